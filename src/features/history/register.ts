// The sent history: every send recorded on this computer, the Sent view and its commands.
import vscode = require('vscode');
import { registerCommands } from '../../host/commands';
import { readSettings } from '../../host/settings';
import { registerHistoryCommands, type HistorySending } from './historyCommands';
import { HistoryStore } from './historyStore';
import { SentViewProvider, type BroadcastCounts } from './sentView';

export interface HistoryFeature extends vscode.Disposable {
  store: HistoryStore;
  sentView: SentViewProvider;
}

/**
 * @param sending Retry Failed and Resume on an entry (the send feature's).
 * @param studyName the name of a study the window has listed, so the view and reports name it.
 * @param broadcastCounts a broadcast's recipient and reply counts, asked when the Sent view is refreshed.
 */
export function registerHistory(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  sending: HistorySending,
  studyName: (id: string) => string | undefined,
  broadcastCounts: (broadcastId: string) => Promise<BroadcastCounts | undefined>,
): HistoryFeature {
  const store = new HistoryStore(
    context.globalStorageUri.fsPath,
    () => readSettings().historyMaxEntries,
    (message) => {
      log.warn(message);
      void vscode.window.showWarningMessage(message);
    },
  );
  const sentView = new SentViewProvider(store, studyName, broadcastCounts);
  const disposable = vscode.Disposable.from(
    store,
    sentView,
    registerHistoryCommands(store, sending, studyName),
    // Also asks Prolific again for the broadcasts' recipient and reply counts.
    registerCommands({ refreshSent: () => sentView.refresh() }),
  );
  return { store, sentView, dispose: () => disposable.dispose() };
}
