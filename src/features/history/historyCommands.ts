// The Sent view's commands. Each takes the entry the view passes (or its ID); run from the
// Command Palette with none, it asks which entry with a QuickPick.
import { homedir } from 'node:os';
import vscode = require('vscode');
import { registerCommands } from '../../host/commands';
import { firstLine } from '../../shared/text';
import { audienceText, hasRetryable, recipients, resultText, type HistoryEntry } from './historyEntry';
import { toCsv, toJson, toMarkdown } from './historyExport';
import type { HistoryStore, SentRun } from './historyStore';
import { longTime, shortTime } from './sentView';

/** What the send feature does for an entry of the history. */
export interface HistorySending {
  retryFailed(entry: HistoryEntry): Promise<void>;
  /** Carries an interrupted send on to those it never sent to. */
  resume(runId: string): Promise<void>;
}

export function registerHistoryCommands(
  store: HistoryStore,
  sending: HistorySending,
  studyName: (id: string) => string | undefined,
): vscode.Disposable {
  return vscode.Disposable.from(
    // Entries open as read-only documents: nothing to save, nothing written to disk.
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, {
      provideTextDocumentContent: async (uri) => {
        const entry = await store.get(uri.path.replace(/^\/|\.md$/g, ''));
        return entry ? toMarkdown(entry, longTime, studyName) : vscode.l10n.t('This sent message is no longer in the history.');
      },
    }),
    registerCommands({
      openSent: reported(vscode.l10n.t('Could not open the sent message'), async (arg) => {
        const entry = await resolveEntry(store, arg);
        if (entry) await openEntry(entry);
      }),
      retryFailed: reported(vscode.l10n.t('Could not retry'), async (arg) => {
        const entry = await resolveEntry(store, arg, hasRetryable);
        if (entry) await sending.retryFailed(entry);
      }),
      resumeSend: reported(vscode.l10n.t('Could not resume the send'), async (arg) => {
        const entry = await resolveEntry(store, arg, (run) => run.interrupted);
        if (entry) await sending.resume(entry.id);
      }),
      exportSent: reported(vscode.l10n.t('Could not export the sent message'), async (arg) => {
        const entry = await resolveEntry(store, arg);
        if (entry) await exportEntry(entry);
      }),
      clearSent: reported(vscode.l10n.t('Could not clear the sent history'), () => clearHistory(store)),
    }),
  );
}

/**
 * A command whose failure (a disk error, a damaged entry) is one readable notification instead
 * of VS Code's generic "command failed".
 */
function reported(failure: string, run: (arg?: unknown) => Promise<unknown>): (arg?: unknown) => Promise<void> {
  return async (arg?: unknown) => {
    try {
      await run(arg);
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('{0}: {1}', failure, error instanceof Error ? error.message : String(error)));
    }
  };
}

async function clearHistory(store: HistoryStore): Promise<void> {
  if ((await store.list()).length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('The sent history is already empty.'));
    return;
  }
  const clear = vscode.l10n.t('Clear');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('Clear the sent history? This cannot be undone.'),
    { modal: true },
    clear,
  );
  if (choice === clear) await store.clear();
}

/** The entry an argument names (the view passes the entry, its row command the ID), else asks. */
async function resolveEntry(store: HistoryStore, arg: unknown, filter?: (e: SentRun) => boolean): Promise<HistoryEntry | undefined> {
  const id =
    typeof arg === 'string'
      ? arg
      : typeof arg === 'object' && arg !== null && typeof (arg as { id?: unknown }).id === 'string'
        ? (arg as { id: string }).id
        : undefined;
  if (id !== undefined) {
    // Looked up again rather than trusting the argument: the history may have been cleared since.
    const entry = await store.get(id);
    if (!entry) void vscode.window.showWarningMessage(vscode.l10n.t('That message is no longer in the sent history.'));
    return entry;
  }
  const entries = (await store.list()).filter(filter ?? (() => true));
  if (entries.length === 0) {
    void vscode.window.showInformationMessage(
      filter ? vscode.l10n.t('No message in the sent history has participants to retry.') : vscode.l10n.t('The sent history is empty.'),
    );
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    entries.map((entry) => ({
      label: firstLine(entry.bodyPreview),
      description: `${shortTime(entry.time)} · ${audienceText(entry)} · ${resultText(entry)}`,
      entry,
    })),
    {
      title: vscode.l10n.t('Sent History'),
      ignoreFocusOut: true,
      placeHolder: vscode.l10n.t('Choose a sent message'),
      matchOnDescription: true,
    },
  );
  return picked && store.get(picked.entry.id);
}

const REPORT_SCHEME = 'prolific-sent';

/** The whole entry as a read-only Markdown document. */
async function openEntry(entry: HistoryEntry): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/${entry.id}.md` }));
  await vscode.window.showTextDocument(doc, { preview: true });
}

async function exportEntry(entry: HistoryEntry): Promise<void> {
  const format = await vscode.window.showQuickPick(
    [
      { label: 'CSV', description: vscode.l10n.t('participant_id, status, reason: one row per participant'), ext: 'csv' as const },
      { label: 'JSON', description: vscode.l10n.t('the whole entry: message, counts and every participant'), ext: 'json' as const },
    ],
    { title: vscode.l10n.t('Export Sent Message'), ignoreFocusOut: true, placeHolder: vscode.l10n.t('Export as') },
  );
  if (!format) return;
  const base = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir());
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.joinPath(base, `prolific-${entry.kind}-${localDate(entry.time)}.${format.ext}`),
    filters: format.ext === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
    saveLabel: vscode.l10n.t('Export'),
  });
  if (!target) return;
  const text = format.ext === 'csv' ? toCsv(entry) : toJson(entry);
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  const where = vscode.workspace.asRelativePath(target);
  void vscode.window.showInformationMessage(
    entry.outcomes.length
      ? vscode.l10n.t('Exported {0} to {1}.', recipients(entry.outcomes.length), where)
      : vscode.l10n.t('Exported the message (a group message has no per-participant results) to {0}.', where),
  );
}

/** YYYY-MM-DD in the user's time zone, for file names. */
function localDate(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
