// "Set API Token" and "Clear API Token". A token is checked with GET /users/me/ before it is
// kept, so a mistyped token is caught here rather than at the first send.
import vscode = require('vscode');
import type { User } from '../../prolific/schemas';
import type { ProlificAccount } from './account';
import type { ClientFactory } from '../../host/clientFactory';
import { abortSignalFor } from '../../host/cancellation';
import { showFailure } from '../../host/failureNotice';
import { reportFailure } from '../../host/failures';
import type { TokenStore } from './tokenStore';

export class TokenController {
  constructor(
    private readonly tokens: TokenStore,
    private readonly clients: ClientFactory,
    private readonly log: vscode.LogOutputChannel,
    /** Keeps the name of the token's account for the Accounts menu and the status bar. */
    private readonly account?: ProlificAccount,
  ) {}

  /** Asks for a token, checks it and stores it. Returns it, or undefined if not stored. */
  async promptAndSet(reason?: string): Promise<string | undefined> {
    const token = (
      await vscode.window.showInputBox({
        title: vscode.l10n.t('Prolific: Set API Token'),
        prompt: reason ?? vscode.l10n.t('Paste your Prolific API token (Prolific app → Settings → API Tokens).'),
        password: true,
        ignoreFocusOut: true,
        placeHolder: vscode.l10n.t('API token'),
        validateInput: (value) => (value.trim() ? undefined : vscode.l10n.t('Paste the token, or press Escape to cancel.')),
      })
    )?.trim();
    if (!token) return undefined;
    return (await this.setToken(token, reason)) ? token : undefined;
  }

  /**
   * Checks a token with Prolific and stores it, telling the user the outcome either way.
   * Returns true if it was stored.
   * @param reason the prompt to show again if the user picks Retry after a failed check.
   */
  async setToken(token: string, reason?: string): Promise<boolean> {
    let user: User;
    try {
      user = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking the token with Prolific…'), cancellable: true },
        (_progress, cancel) => this.clients.create(token).getMe(abortSignalFor(cancel)),
      );
    } catch (error) {
      const report = reportFailure(error, vscode.l10n.t('The token was not saved'));
      this.log.error(report.message);
      // Retry and Set API Token both ask for a token again.
      void showFailure(report.message, report.actions, { log: this.log, retry: () => this.promptAndSet(reason) });
      return false;
    }

    try {
      await (this.account ? this.account.setToken(token, user) : this.tokens.set(token));
    } catch (error) {
      const report = reportFailure(error, vscode.l10n.t('The token was not saved'));
      this.log.error(report.message);
      void vscode.window.showErrorMessage(report.message);
      return false;
    }
    const who = user.name || [user.first_name, user.last_name].filter(Boolean).join(' ') || user.email;
    this.log.info(`API token set for ${user.email}`);
    void vscode.window.showInformationMessage(vscode.l10n.t('Prolific API token saved. Signed in as {0} ({1}).', who, user.email));
    return true;
  }

  async clear(): Promise<void> {
    try {
      await (this.account ? this.account.clearToken() : this.tokens.clear());
      this.log.info('API token cleared');
      void vscode.window.showInformationMessage(vscode.l10n.t('Prolific API token cleared.'));
    } catch (error) {
      void vscode.window.showErrorMessage(reportFailure(error, vscode.l10n.t('The token was not cleared')).message);
    }
  }
}
