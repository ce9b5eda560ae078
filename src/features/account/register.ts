// The account: the API token in SecretStorage, who it belongs to, "Set/Clear API Token", the
// Accounts-menu provider and the status bar entry.
import vscode = require('vscode');
import type { ClientFactory } from '../../host/clientFactory';
import { registerCommands } from '../../host/commands';
import type { ProlificClient } from '../../prolific/client';
import { ProlificAccount } from './account';
import { ProlificAuthProvider } from './authProvider';
import { manageAccount, type TokenStatusItem } from './statusBar';
import { TokenController } from './tokenController';
import { TokenStore } from './tokenStore';

export interface AccountFeature extends vscode.Disposable {
  tokens: TokenStore;
  tokenController: TokenController;
  account: ProlificAccount;
  authProvider: ProlificAuthProvider;
  /** A client for the stored token, asking for one when none is set; undefined if the user did not give one. */
  clientFor(): Promise<ProlificClient | undefined>;
  /** A client for the stored token, never asking (for work nobody started: the inbox, the poller). */
  signedInClient(): Promise<ProlificClient | undefined>;
}

export function registerAccount(
  context: vscode.ExtensionContext,
  clients: ClientFactory,
  log: vscode.LogOutputChannel,
  tokenStatus: TokenStatusItem,
): AccountFeature {
  const tokens = new TokenStore(context.secrets);
  const account = new ProlificAccount(context.globalState, tokens);
  const tokenController = new TokenController(tokens, clients, log, account);
  const authProvider = new ProlificAuthProvider(account, tokenController);
  const disposable = vscode.Disposable.from(
    account,
    authProvider,
    tokens.onDidChange(() => log.info('API token changed')),
    account.onDidChange(({ current }) => tokenStatus.render(current)),
    registerCommands({
      setApiToken: () => tokenController.promptAndSet(),
      clearApiToken: () => tokenController.clear(),
      manageAccount: () => manageAccount(account, tokenController),
    }),
  );
  return {
    tokens,
    tokenController,
    account,
    authProvider,
    clientFor: async () => {
      const token = (await tokens.get()) ?? (await tokenController.promptAndSet());
      return token ? clients.create(token) : undefined;
    },
    signedInClient: async () => {
      const token = await tokens.get();
      return token ? clients.create(token) : undefined;
    },
    dispose: () => disposable.dispose(),
  };
}
