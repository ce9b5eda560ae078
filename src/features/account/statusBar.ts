// The status bar entry that says whether an API token is set and for whom. It shows what the
// account record says, so neither showing nor updating it reads the keyring: activation creates
// it from the stored record, the features keep it current. Clicking it sets a token when there is
// none, otherwise offers what can be done with the account ("Prolific: Manage Account…").
import vscode = require('vscode');
import type { ProlificAccount, AccountRecord } from './account';
import { COMMANDS, runCommand } from '../../host/commands';
import type { TokenController } from './tokenController';

export interface TokenStatusItem extends vscode.Disposable {
  render(current: AccountRecord | undefined): void;
}

export function createTokenStatusItem(initial: AccountRecord | undefined): TokenStatusItem {
  // Left of the unread count (priority 100), which belongs to the same account.
  const item = vscode.window.createStatusBarItem('prolific.account', vscode.StatusBarAlignment.Right, 101);
  item.name = vscode.l10n.t('Prolific Account');
  const render = (current: AccountRecord | undefined) => {
    if (current) {
      item.text = '$(key) Prolific';
      item.tooltip = vscode.l10n.t('Prolific API token set for {0}', current.label);
      item.command = COMMANDS.manageAccount;
    } else {
      item.text = '$(warning) Prolific';
      item.tooltip = vscode.l10n.t('No Prolific API token is set. Click to set one.');
      item.command = COMMANDS.setApiToken;
    }
    item.accessibilityInformation = { label: item.tooltip };
  };
  render(initial);
  item.show();
  return { render, dispose: () => item.dispose() };
}

/** "Prolific: Manage Account…": what can be done with the account whose token is set. */
export async function manageAccount(account: ProlificAccount, tokenController: TokenController): Promise<void> {
  const current = account.get();
  if (!current) {
    await tokenController.promptAndSet();
    return;
  }
  const actions = [
    { label: vscode.l10n.t('$(key) Set a Different API Token…'), run: () => tokenController.promptAndSet() },
    { label: vscode.l10n.t('$(sign-out) Sign Out (Clear API Token)'), run: () => tokenController.clear() },
    { label: vscode.l10n.t('$(inbox) Open Inbox'), run: () => runCommand('showInbox') },
    { label: vscode.l10n.t('$(book) Get Started with Prolific Messenger'), run: () => runCommand('getStarted') },
  ];
  const choice = await vscode.window.showQuickPick(actions, {
    title: vscode.l10n.t('Prolific: signed in as {0}', current.label),
    placeHolder: vscode.l10n.t('What would you like to do?'),
  });
  await choice?.run();
}
