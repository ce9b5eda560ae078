// Telling the user, at startup, of sends that a window did not live to finish: what each reached
// and what is left, with Resume (only those never sent to) and Open Report. Each run is told of
// until the user answers or closes the notification; the Sent view keeps offering Resume.
import vscode = require('vscode');
import { runCommand } from '../../host/commands';
import type { HistoryStore } from '../history/historyStore';
import type { ListSender } from './listSender';

const TOLD_KEY = 'prolific.history.toldInterrupted';

export async function announceInterrupted(
  ids: readonly string[],
  history: HistoryStore,
  lists: ListSender,
  state: vscode.Memento,
): Promise<void> {
  const told = new Set(state.get<string[]>(TOLD_KEY) ?? []);
  for (const id of ids.filter((i) => !told.has(i))) {
    const entry = await history.get(id);
    if (!entry?.interrupted) continue;
    const { sent, unknown, skipped, failed } = entry.counts;
    const notSent = entry.retryable;
    const message = vscode.l10n.t(
      'A send to {0} participants was interrupted when VS Code stopped: {1} sent, {2} may have received it, {3} not sent.',
      entry.recipientCount,
      sent,
      unknown + skipped + failed - notSent,
      notSent,
    );
    const resume = vscode.l10n.t('Resume');
    const report = vscode.l10n.t('Open Report');
    void vscode.window.showWarningMessage(message, resume, report).then(async (choice) => {
      // Told once the user has answered or closed it; a window closed first tells again next time.
      told.add(id);
      await state.update(TOLD_KEY, [...told].slice(-200));
      if (choice === resume) return lists.resume(id);
      if (choice === report) return runCommand('openSent', id);
      return undefined;
    });
  }
}
