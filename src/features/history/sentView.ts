// The "Sent" view: one row per sent-history entry, newest first. An empty history shows no
// rows, so VS Code shows the view's welcome text (contributed in package.json).
import vscode = require('vscode');
import { COMMANDS } from '../../host/commands';
import { firstLine } from '../../shared/text';
import { audienceText, countsText, hasRetryable, resultText, severity, studyText } from './historyEntry';
import type { HistoryStore, SentRun } from './historyStore';

/** What Prolific says of a broadcast: how many it went to, and how many have replied. */
export interface BroadcastCounts {
  recipients: number | null;
  replied: number | null;
}

/** "30 recipients, 2 replied" (either part left out when Prolific did not say). */
export function countsLine(counts: BroadcastCounts): string {
  const parts = [
    ...(counts.recipients !== null ? [vscode.l10n.t('{0} recipients', counts.recipients)] : []),
    ...(counts.replied !== null ? [vscode.l10n.t('{0} replied', counts.replied)] : []),
  ];
  return parts.join(', ');
}

const ICONS = {
  ok: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  partial: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground')),
};

export class SentViewProvider implements vscode.TreeDataProvider<SentRun>, vscode.Disposable {
  static readonly viewId = 'prolific.sent';

  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  private shownDay = new Date().toDateString();
  /** Broadcasts' counts as Prolific last gave them, by run ID; asked again on each refresh. */
  private readonly broadcastCounts = new Map<string, BroadcastCounts>();
  private readonly askedBroadcasts = new Set<string>();

  constructor(
    private readonly store: HistoryStore,
    /** The name of a study the window knows (from the account's study list), for the tooltip. */
    private readonly studyName: (id: string) => string | undefined = () => undefined,
    /** A broadcast's recipient and reply counts from Prolific; undefined when they cannot be had now. */
    private readonly countsOf: (broadcastId: string) => Promise<BroadcastCounts | undefined> = () => Promise.resolve(undefined),
  ) {
    this.subscriptions = [
      store.onDidChange(() => this.refresh()),
      // Today's rows show only a time ("14:05"): redraw them once the day has changed.
      vscode.window.onDidChangeWindowState((state) => state.focused && new Date().toDateString() !== this.shownDay && this.refresh()),
    ];
  }

  async getChildren(element?: SentRun): Promise<SentRun[]> {
    if (element) return [];
    try {
      const runs = await this.store.list();
      this.askForCounts(runs);
      return runs;
    } catch (error) {
      void vscode.window.showErrorMessage(
        vscode.l10n.t('Could not read the sent history: {0}', error instanceof Error ? error.message : String(error)),
      );
      return [];
    }
  }

  getTreeItem(entry: SentRun): vscode.TreeItem {
    const item = new vscode.TreeItem(firstLine(entry.bodyPreview), vscode.TreeItemCollapsibleState.None);
    item.id = entry.id;
    const counts = this.broadcastCounts.get(entry.id);
    item.description = `${shortTime(entry.time)} · ${audienceText(entry)} · ${resultText(entry)}${counts ? ` · ${countsLine(counts)}` : ''}`;
    item.tooltip = tooltip(entry, this.studyName);
    item.iconPath = entry.running ? new vscode.ThemeIcon('sync~spin') : ICONS[severity(entry)];
    // Menus use this: "Retry Failed" shows only when there is someone it may send to again.
    item.contextValue = entry.interrupted ? 'entryInterrupted' : hasRetryable(entry) ? 'entryWithFailures' : 'entry';
    item.command = { command: COMMANDS.openSent, title: vscode.l10n.t('Open'), arguments: [entry.id] };
    item.accessibilityInformation = {
      label: `${firstLine(entry.bodyPreview)}, ${item.description}, ${vscode.l10n.t('Study')}: ${studyText(entry.studyId, this.studyName)}`,
    };
    return item;
  }

  refresh(): void {
    this.shownDay = new Date().toDateString();
    this.askedBroadcasts.clear();
    this.changed.fire();
  }

  /**
   * Asks Prolific for the counts of the broadcasts listed (the newest 20) once per refresh, and
   * redraws when they come. Never shown as an error: the row simply goes without them.
   */
  private askForCounts(runs: readonly SentRun[]): void {
    const wanted = runs.filter((r) => r.broadcast && r.counts.sent > 0 && !this.askedBroadcasts.has(r.id)).slice(0, 20);
    if (wanted.length === 0) return;
    for (const run of wanted) this.askedBroadcasts.add(run.id);
    void Promise.all(
      wanted.map(async (run) => {
        const counts = run.broadcast && (await this.countsOf(run.broadcast.id).catch(() => undefined));
        if (counts) this.broadcastCounts.set(run.id, counts);
        return counts;
      }),
    ).then((found) => found.some(Boolean) && this.changed.fire());
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}

/** Untrusted, no HTML, and every value added with appendText: the body is the user's text, not Markdown. */
function tooltip(entry: SentRun, studyName: (id: string) => string | undefined): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.isTrusted = false;
  md.supportHtml = false;
  const line = (label: string, value: string) => md.appendMarkdown(`**${label}:** `).appendText(value).appendMarkdown('  \n');
  line(vscode.l10n.t('Sent'), longTime(entry.time));
  line(vscode.l10n.t('To'), entry.source ? vscode.l10n.t('{0} (from {1})', audienceText(entry), entry.source) : audienceText(entry));
  line(vscode.l10n.t('Study'), studyText(entry.studyId, studyName));
  line(vscode.l10n.t('Result'), countsText(entry));
  md.appendMarkdown('\n\n---\n\n').appendText(entry.bodyPreview.length >= 500 ? `${entry.bodyPreview}…` : entry.bodyPreview);
  return md;
}

/** Today: "14:05"; this year: "12 Mar, 14:05"; before: "12 Mar 2024". In VS Code's display language. */
export function shortTime(iso: string): string {
  const date = new Date(iso);
  const now = new Date();
  const options: Intl.DateTimeFormatOptions =
    date.toDateString() === now.toDateString()
      ? { hour: '2-digit', minute: '2-digit' }
      : date.getFullYear() === now.getFullYear()
        ? { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }
        : { day: 'numeric', month: 'short', year: 'numeric' };
  return format(date, options);
}

export function longTime(iso: string): string {
  return format(new Date(iso), { dateStyle: 'medium', timeStyle: 'short' });
}

function format(date: Date, options: Intl.DateTimeFormatOptions): string {
  try {
    return new Intl.DateTimeFormat(vscode.env.language, options).format(date);
  } catch {
    return date.toISOString(); // an unknown locale tag
  }
}
