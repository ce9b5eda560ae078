// The "Inbox" view: one row per participant conversation, newest first, unread marked.
import vscode = require('vscode');
import { categoryLabel } from '../../shared/topics';
import { preview, type Conversation } from './conversations';
import type { InboxService } from './inboxService';

export class InboxViewProvider implements vscode.TreeDataProvider<Conversation>, vscode.Disposable {
  static readonly viewId = 'prolific.inbox';
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;
  /** The first load, started when VS Code first asks for the rows (the view was shown). */
  private firstLoad: Thenable<unknown> | undefined;

  constructor(
    private readonly inbox: InboxService,
    private readonly studyName: (id: string) => string | undefined,
    /** Loads the inbox; never rejects (a failure shows in the view). */
    private readonly load: () => Thenable<unknown>,
  ) {
    this.subscription = inbox.onDidChange(() => this.changed.fire());
  }

  /** Whether the rows have been asked for and loaded once. */
  get loaded(): boolean {
    return this.firstLoad !== undefined;
  }

  /**
   * The first answer waits for the first load: an empty answer would show the "no messages" welcome
   * until the rows came, and a tree shown in place of the welcome loses the keyboard focus that
   * "Focus on Inbox View" had just given the view.
   */
  getChildren(element?: Conversation): Conversation[] | Thenable<Conversation[]> {
    if (element) return [];
    if (!this.firstLoad) return this.loadedOnce().then(() => this.inbox.state.conversations);
    return this.inbox.state.conversations;
  }

  /** Settles once the inbox has been loaded (or failed to load) once; starts that load if needed. */
  loadedOnce(): Thenable<unknown> {
    return (this.firstLoad ??= this.load());
  }

  getParent(): undefined {
    return undefined; // every row is a conversation at the top
  }

  getTreeItem(c: Conversation): vscode.TreeItem {
    const last = c.messages[c.messages.length - 1];
    const unread = c.unreadIds.length;
    const item = new vscode.TreeItem(unread ? `● ${c.participantId}` : c.participantId);
    const study = c.studyId ? (this.studyName(c.studyId) ?? c.studyId) : undefined;
    const category = c.category ? categoryLabel(c.category) : undefined;
    const subject = c.subject ? `“${preview(c.subject, 60)}”` : '';
    item.description = [last ? relative(last.createdAt) : '', subject, study, category, last ? preview(last.body, 60) : '']
      .filter(Boolean)
      .join(' · ');
    const tooltip = new vscode.MarkdownString();
    const counts = [
      unread ? vscode.l10n.t('{0} unread', unread) : '',
      // Prolific cannot be told a message was read (no such endpoint): its web inbox still counts these.
      c.readHereIds.length ? vscode.l10n.t('{0} read here, still unread on Prolific', c.readHereIds.length) : '',
      c.messages.length === 1 ? vscode.l10n.t('1 message') : vscode.l10n.t('{0} messages', c.messages.length),
      study,
      category,
    ];
    if (c.subject) tooltip.appendText(`${preview(c.subject, 300)}\n\n`);
    tooltip.appendText(`${counts.filter(Boolean).join(' · ')}\n\n`);
    if (last) tooltip.appendText(preview(last.body, 300));
    item.tooltip = tooltip;
    item.iconPath = new vscode.ThemeIcon(unread ? 'mail' : 'mail-read');
    item.accessibilityInformation = {
      label: unread
        ? vscode.l10n.t('Unread. Conversation with participant {0}. {1}', c.participantId, item.description)
        : vscode.l10n.t('Conversation with participant {0}. {1}', c.participantId, item.description),
    };
    item.contextValue = 'conversation';
    item.command = {
      command: 'prolific.inbox.open',
      title: vscode.l10n.t('Open Conversation'),
      arguments: c.conversationId ? [c.participantId, c.conversationId] : [c.participantId],
    };
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** "5 min ago", "3 h ago", "2 d ago", then the date. */
export function relative(iso: string, now = Date.now()): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  const minutes = Math.max(0, Math.round((now - then) / 60_000));
  if (minutes < 1) return vscode.l10n.t('just now');
  if (minutes < 60) return vscode.l10n.t('{0} min ago', minutes);
  if (minutes < 48 * 60) return vscode.l10n.t('{0} h ago', Math.round(minutes / 60));
  if (minutes < 30 * 24 * 60) return vscode.l10n.t('{0} d ago', Math.round(minutes / 1440));
  return new Date(then).toLocaleDateString(vscode.env.language);
}
