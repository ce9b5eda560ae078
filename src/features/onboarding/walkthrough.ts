// "Get started with Prolific Messenger" (contributes.walkthroughs): its steps tick themselves from
// context keys kept here, a setting and the Inbox view. The keys come from memory (the account
// record, a flag in globalState), never from the keyring or the disk, so they can be set during
// activation. VS Code opens the walkthrough itself when the extension is installed
// (workbench.welcomePage.walkthroughs.openOnInstall), so this never opens it on its own.
import vscode = require('vscode');
import type { ProlificClient } from '../../prolific/client';
import type { Study } from '../../prolific/schemas';
import type { ProlificAccount } from '../account/account';
import { registerCommands } from '../../host/commands';
import { setUserSetting, userSetting } from '../../host/settings';
import { reportFailure } from '../../host/failures';
import type { HistoryStore } from '../history/historyStore';

export const WALKTHROUGH_ID = 'prolific-messenger.prolific-messenger#gettingStarted';
/** Context key: an API token is set (from the account record). */
export const TOKEN_SET_KEY = 'prolific.tokenSet';
/** Context key: a message has reached at least one participant from this VS Code profile. */
export const MESSAGE_SENT_KEY = 'prolific.messageSent';
const MESSAGE_SENT_STATE = 'prolific.walkthrough.messageSent';

export function registerWalkthrough(
  state: vscode.Memento,
  account: ProlificAccount,
  history: HistoryStore,
  clientFor: () => Promise<ProlificClient | undefined>,
): vscode.Disposable {
  const setContext = (key: string, value: boolean) => void vscode.commands.executeCommand('setContext', key, value);
  setContext(TOKEN_SET_KEY, account.get() !== undefined);
  setContext(MESSAGE_SENT_KEY, state.get(MESSAGE_SENT_STATE) === true);
  return vscode.Disposable.from(
    account.onDidChange(({ current }) => setContext(TOKEN_SET_KEY, current !== undefined)),
    // The history changes after every send; whether anyone got it is in the entry's counts.
    history.onDidChange(async () => {
      if (state.get(MESSAGE_SENT_STATE) === true) return;
      if (!(await history.list()).some((entry) => entry.counts.sent > 0)) return;
      await state.update(MESSAGE_SENT_STATE, true);
      setContext(MESSAGE_SENT_KEY, true);
    }),
    registerCommands({
      getStarted: () => vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false),
      chooseDefaultStudy: () => chooseDefaultStudy(clientFor),
    }),
  );
}

/** "Prolific: Choose Default Study…": one of the account's studies, written to the user settings. */
async function chooseDefaultStudy(clientFor: () => Promise<ProlificClient | undefined>): Promise<void> {
  const client = await clientFor();
  if (!client) return;
  let studies: Study[];
  try {
    studies = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Listing your studies…') },
      () => client.listStudies(),
    );
  } catch (error) {
    void vscode.window.showErrorMessage(reportFailure(error, vscode.l10n.t('Could not list your studies')).message);
    return;
  }
  if (studies.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Your Prolific account has no studies yet.'));
    return;
  }
  const now = userSetting<string>('defaultStudyId') ?? '';
  const picked = await vscode.window.showQuickPick(
    studies.map((s) => ({
      label: s.name,
      description: s.id === now ? vscode.l10n.t('current default') : (s.status ?? ''),
      detail: s.id,
      id: s.id,
    })),
    {
      title: vscode.l10n.t('Prolific: Choose Default Study'),
      ignoreFocusOut: true,
      placeHolder: vscode.l10n.t('The study new messages start with'),
      matchOnDetail: true,
    },
  );
  if (!picked) return;
  await setUserSetting('defaultStudyId', picked.id);
  void vscode.window.showInformationMessage(vscode.l10n.t('Default study set to "{0}".', picked.label));
}
