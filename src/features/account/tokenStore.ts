// The API token lives only in SecretStorage (the OS keyring on desktop). It is read afresh on
// every use, never cached, so a token set or cleared in another window is seen here at once.
import type * as vscode from 'vscode';
import { l10n } from '../../shared/l10n';
import { KeyringError } from '../../host/errors';

const KEY = 'prolific.apiToken';

export class TokenStore {
  readonly onDidChange: vscode.Event<void>;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.onDidChange = (listener, thisArgs, disposables) =>
      secrets.onDidChange((e) => e.key === KEY && listener.call(thisArgs, undefined), undefined, disposables);
  }

  async get(): Promise<string | undefined> {
    try {
      return (await this.secrets.get(KEY)) || undefined;
    } catch (error) {
      throw keyringError('read', error);
    }
  }

  async set(token: string): Promise<void> {
    try {
      await this.secrets.store(KEY, token);
    } catch (error) {
      throw keyringError('save', error);
    }
  }

  async clear(): Promise<void> {
    try {
      await this.secrets.delete(KEY);
    } catch (error) {
      throw keyringError('remove', error);
    }
  }
}

function keyringError(action: 'read' | 'save' | 'remove', cause: unknown): KeyringError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const fix = l10n.t('Make sure a keyring is installed and unlocked (on Linux, for example GNOME Keyring), then try again.');
  switch (action) {
    case 'read':
      return new KeyringError(
        l10n.t("VS Code could not read the Prolific API token in the operating system's keyring ({0}). {1}", reason, fix),
      );
    case 'save':
      return new KeyringError(
        l10n.t("VS Code could not save the Prolific API token in the operating system's keyring ({0}). {1}", reason, fix),
      );
    case 'remove':
      return new KeyringError(
        l10n.t("VS Code could not remove the Prolific API token in the operating system's keyring ({0}). {1}", reason, fix),
      );
  }
}
