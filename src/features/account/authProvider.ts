// "Prolific" in VS Code's Accounts menu, backed by the same stored API token as "Set API Token":
// signing in runs that command's prompt and check, signing out clears the token. The session
// answers from the account record (no secret read, no request), because VS Code asks for it as
// soon as the provider is registered. Its accessToken is empty on purpose: the token carries
// every permission of the researcher's account, so it is not handed to other extensions through
// VS Code's authentication API (SECURITY.md); this extension reads it from SecretStorage itself.
import vscode = require('vscode');
import type { TokenController } from './tokenController';
import { storedAccount, type AccountRecord, type ProlificAccount } from './account';

export const PROVIDER_ID = 'prolific';
/**
 * A Prolific token has no scopes: it can do everything the account can. Sessions still name one,
 * because VS Code matches a sign-in request to the session that answers it by its scopes, and
 * an empty list never matches (the request would stay in the Accounts menu after signing in).
 */
export const SCOPES: readonly string[] = ['api'];

export class ProlificAuthProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly account: ProlificAccount,
    private readonly tokenController: TokenController,
  ) {
    this.subscriptions = [
      this.changed,
      account.onDidChange(({ previous, current }) => {
        if (previous && current && previous.id === current.id) this.changed.fire({ added: [], removed: [], changed: [sessionOf(current)] });
        else this.changed.fire({ added: current ? [sessionOf(current)] : [], removed: previous ? [sessionOf(previous)] : [], changed: [] });
      }),
    ];
  }

  getSessions(): Promise<vscode.AuthenticationSession[]> {
    const current = this.account.get();
    return Promise.resolve(current ? [sessionOf(current)] : []);
  }

  /** The "Set API Token" prompt and check. A cancelled prompt or a refused token rejects. */
  async createSession(_scopes: readonly string[]): Promise<vscode.AuthenticationSession> {
    const token = await this.tokenController.promptAndSet();
    const current = this.account.get();
    // The user has already been told why (a refused token shows its error with its fix); a
    // cancellation error keeps VS Code from showing a second notification for the same thing.
    if (!token || !current) throw new vscode.CancellationError();
    return sessionOf(current);
  }

  /** "Clear API Token". */
  async removeSession(_sessionId: string): Promise<void> {
    await this.tokenController.clear();
    if (this.account.get()) throw new Error(vscode.l10n.t('The Prolific API token was not cleared.'));
  }

  dispose(): void {
    for (const s of this.subscriptions.reverse()) s.dispose();
  }
}

function sessionOf(account: AccountRecord): vscode.AuthenticationSession {
  return { id: `prolific-${account.id}`, accessToken: '', account: { id: account.id, label: account.label }, scopes: SCOPES };
}

/**
 * What activation registers in the Accounts menu. VS Code asks a provider for its sessions as soon
 * as it is registered, before anything else of the extension has loaded: until the features load
 * (and `attach` the real provider), sessions come from the stored account record, and signing in
 * or out loads them. While no token is set, it asks VS Code for a session without creating one:
 * that is what puts "Sign in with Prolific to use Prolific Messenger" in the Accounts menu. Only
 * then: a request while signed in would ask the user to grant this extension its own account.
 */
export class AuthProviderStandIn implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.changed.event;
  private real: ProlificAuthProvider | undefined;
  private readonly subscriptions: vscode.Disposable[] = [this.changed];

  constructor(
    private readonly state: vscode.Memento,
    private readonly load: () => ProlificAuthProvider,
  ) {
    this.subscriptions.push(
      vscode.authentication.registerAuthenticationProvider(PROVIDER_ID, vscode.l10n.t('Prolific'), this, {
        supportsMultipleAccounts: false,
      }),
    );
    this.offerSignIn(storedAccount(state));
  }

  /** The features' provider, from now on answering for this one. */
  attach(real: ProlificAuthProvider, account: ProlificAccount): void {
    this.real = real;
    this.subscriptions.push(
      real.onDidChangeSessions((e) => this.changed.fire(e)),
      account.onDidChange(({ current }) => this.offerSignIn(current)),
    );
  }

  getSessions(): Promise<vscode.AuthenticationSession[]> {
    if (this.real) return this.real.getSessions();
    const stored = storedAccount(this.state);
    return Promise.resolve(stored ? [sessionOf(stored)] : []);
  }

  createSession(scopes: readonly string[]): Promise<vscode.AuthenticationSession> {
    return this.load().createSession(scopes);
  }

  removeSession(sessionId: string): Promise<void> {
    return this.load().removeSession(sessionId);
  }

  private offerSignIn(current: AccountRecord | undefined): void {
    if (!current) vscode.authentication.getSession(PROVIDER_ID, SCOPES, { createIfNone: false }).then(undefined, () => undefined);
  }

  dispose(): void {
    for (const s of this.subscriptions.reverse()) s.dispose();
  }
}
