// Failures of the extension's own making (not the API's), kept free of `vscode` so the code
// that turns failures into sentences can be tested in plain Node.

/** The settings are unusable; the message names the setting to change. */
export class SettingsError extends Error {
  constructor(
    message: string,
    readonly setting: string,
  ) {
    super(message);
  }
}

/** The OS keyring behind SecretStorage could not be used; the message says so in a sentence. */
export class KeyringError extends Error {}
