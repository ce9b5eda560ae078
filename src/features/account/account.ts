// Who the stored API token belongs to, known without reading the token: the Accounts menu, the
// status bar and the walkthrough ask at startup, when a secret read is not allowed. The token's
// check (GET /users/me/) names the researcher; that name and ID are kept in globalState (never
// the token). Whenever the token changes, here or in another window, the keyring is read once to
// bring the record in line with it.
import vscode = require('vscode');
import type { User } from '../../prolific/schemas';
import type { TokenStore } from './tokenStore';

const KEY = 'prolific.account';

export interface AccountRecord {
  /** The researcher's Prolific user ID. */
  id: string;
  /** Their name, or their email when Prolific has no name for them. */
  label: string;
}

export interface AccountChange {
  previous: AccountRecord | undefined;
  current: AccountRecord | undefined;
}

/** The account record as stored: what activation shows before the features (and the keyring) load. */
export function storedAccount(state: vscode.Memento): AccountRecord | undefined {
  return readRecord(state.get(KEY));
}

export class ProlificAccount implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<AccountChange>();
  /** Fires when a token is set or cleared (by any path, in any window) or its account's name changes. */
  readonly onDidChange = this.changed.event;
  private current: AccountRecord | undefined;
  /** Reconciliations run one after another, so the last change's read is the one that counts. */
  private queue: Promise<void> = Promise.resolve();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly state: vscode.Memento,
    private readonly tokens: TokenStore,
  ) {
    this.current = readRecord(state.get(KEY));
    this.subscriptions = [
      this.changed,
      tokens.onDidChange(() => (this.queue = this.queue.then(() => this.reconcile()))),
      // Another window that set a token wrote its record to the shared globalState, which may
      // arrive after the token's change event: look again (memory only) on coming back.
      vscode.window.onDidChangeWindowState(
        (s) => s.focused && this.current && this.update(readRecord(this.state.get(KEY)) ?? this.current),
      ),
    ];
  }

  /** The account whose token is stored, as last known; undefined when no token is set. */
  get(): AccountRecord | undefined {
    return this.current;
  }

  /**
   * Stores a checked token. The record is written first, so that every listener of the token's
   * change (in this window or another) finds the name; it is put back if the keyring fails.
   */
  async setToken(token: string, user: User): Promise<void> {
    const before = this.state.get(KEY);
    const record = recordOf(user);
    await this.state.update(KEY, record);
    try {
      await this.tokens.set(token);
    } catch (error) {
      await this.state.update(KEY, before);
      throw error;
    }
    this.update(record);
  }

  async clearToken(): Promise<void> {
    await this.tokens.clear();
    await this.state.update(KEY, undefined);
    this.update(undefined);
  }

  /** After a change of the secret: whether a token is there now decides; the record names it. */
  private async reconcile(): Promise<void> {
    let token: string | undefined;
    try {
      token = await this.tokens.get();
    } catch {
      return; // the keyring failed: what is shown stays as it was; using the token reports it
    }
    if (!token) {
      // Only the record of the token this window knew: one that another window has just written
      // for a new token (whose change is on its way) stays.
      const stored = readRecord(this.state.get(KEY));
      if (stored && same(stored, this.current)) await this.state.update(KEY, undefined);
      this.update(undefined);
      return;
    }
    // A token without a record was set by a version that kept none: it works, its name is unknown.
    this.update(readRecord(this.state.get(KEY)) ?? { id: 'unknown', label: vscode.l10n.t('Prolific account') });
  }

  private update(next: AccountRecord | undefined): void {
    const previous = this.current;
    if (same(previous, next)) return;
    this.current = next;
    this.changed.fire({ previous, current: next });
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}

export function recordOf(user: User): AccountRecord {
  const name = user.name || [user.first_name, user.last_name].filter(Boolean).join(' ');
  return { id: user.id, label: name || user.email };
}

function same(a: AccountRecord | undefined, b: AccountRecord | undefined): boolean {
  return a?.id === b?.id && a?.label === b?.label;
}

function readRecord(value: unknown): AccountRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { id, label } = value as Record<string, unknown>;
  return typeof id === 'string' && id && typeof label === 'string' && label ? { id, label } : undefined;
}
