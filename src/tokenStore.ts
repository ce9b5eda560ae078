// The API token lives only in SecretStorage (the OS keyring on desktop). It is read afresh on
// every use, never cached, so a token set or cleared in another window is seen here at once.
import type * as vscode from 'vscode';
import { KeyringError } from './errors';

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

function keyringError(action: string, cause: unknown): KeyringError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new KeyringError(
    `VS Code could not ${action} the Prolific API token in the operating system's keyring (${reason}). ` +
      'Make sure a keyring is installed and unlocked (on Linux, for example GNOME Keyring), then try again.',
  );
}
