// The "Inbox" view: one row per participant conversation, newest first, unread marked.
import vscode = require('vscode');
import { preview } from './conversations';
import type { InboxService } from './inboxService';
import type { Conversation } from './types';

export class InboxViewProvider implements vscode.TreeDataProvider<Conversation>, vscode.Disposable {
  static readonly viewId = 'prolific.inbox';
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly inbox: InboxService,
    private readonly studyName: (id: string) => string | undefined,
  ) {
    this.subscription = inbox.onDidChange(() => this.changed.fire());
  }

  getChildren(element?: Conversation): Conversation[] {
    return element ? [] : this.inbox.state.conversations;
  }

  getTreeItem(c: Conversation): vscode.TreeItem {
    const last = c.messages[c.messages.length - 1];
    const unread = c.unreadIds.length;
    const item = new vscode.TreeItem(unread ? `● ${c.participantId}` : c.participantId);
    const study = c.studyId ? (this.studyName(c.studyId) ?? c.studyId) : undefined;
    item.description = [last ? relative(last.createdAt) : '', study, c.category, last ? preview(last.body, 60) : ''].filter(Boolean).join(' · ');
    const tooltip = new vscode.MarkdownString();
    tooltip.appendText(`${unread ? `${unread} unread · ` : ''}${c.messages.length} messages${study ? ` · ${study}` : ''}${c.category ? ` · ${c.category}` : ''}\n\n`);
    if (last) tooltip.appendText(preview(last.body, 300));
    item.tooltip = tooltip;
    item.iconPath = new vscode.ThemeIcon(unread ? 'mail' : 'mail-read');
    item.accessibilityInformation = { label: `${unread ? 'Unread. ' : ''}Conversation with participant ${c.participantId}. ${item.description}` };
    item.contextValue = 'conversation';
    item.command = { command: 'prolific.inbox.open', title: 'Open Conversation', arguments: [c.participantId] };
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
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h ago`;
  if (minutes < 30 * 24 * 60) return `${Math.round(minutes / 1440)} d ago`;
  return new Date(then).toLocaleDateString();
}
