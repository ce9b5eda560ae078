// Polls the unread count for the status bar: every prolific.inboxPollMinutes while the window
// has focus, backing off after errors and 429s; 0 turns it off. Optionally tells the user of
// new messages.
import vscode = require('vscode');
import { COMMANDS, runCommand } from '../../host/commands';
import { reportFailure } from '../../host/failures';
import { affectsSetting, readSettings } from '../../host/settings';
import type { InboxService } from './inboxService';
import { PollSchedule } from './pollSchedule';

export class UnreadPoller implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('prolific.unread', vscode.StatusBarAlignment.Right, 100);
  private timer: ReturnType<typeof setTimeout> | undefined;
  private schedule = this.newSchedule();
  /** A poll fell due while the window was in the background: run it on return. */
  private due = false;
  private seen: Set<string> | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly inbox: InboxService) {
    this.item.name = vscode.l10n.t('Prolific Unread Messages');
    this.item.command = COMMANDS.showInbox;
    this.subscriptions = [
      inbox.onDidChange((state) => this.show(state.signedOut ? undefined : state.unread)),
      vscode.window.onDidChangeWindowState((s) => s.focused && this.due && this.poll()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affectsSetting(e, 'inboxPollMinutes')) {
          this.schedule = this.newSchedule();
          this.arm();
        }
      }),
    ];
  }

  /**
   * Starts the first poll one interval after `armedAt`, not now: activation does no network
   * work. The poller loads on first use, so activation's own timer (FirstPollTimer) passes the
   * time it was armed: the first poll falls due when it would have without the wait.
   */
  start(armedAt = Date.now()): void {
    this.arm(Date.now() - armedAt);
  }

  /** Number of polls made, for tests and the log. */
  polls = 0;

  private newSchedule(): PollSchedule {
    return new PollSchedule({ intervalMs: readSettings().inboxPollMinutes * 60_000 });
  }

  private arm(elapsedMs = 0): void {
    clearTimeout(this.timer);
    const delay = this.schedule.nextDelay();
    if (!Number.isFinite(delay)) return;
    this.timer = setTimeout(() => void this.poll(), Math.max(0, delay - elapsedMs));
  }

  private async poll(): Promise<void> {
    if (!vscode.window.state.focused) {
      this.due = true;
      return;
    }
    this.due = false;
    clearTimeout(this.timer);
    this.polls++;
    try {
      const state = await this.inbox.refreshUnread();
      this.schedule.onSuccess();
      this.announceNew(state.conversations.flatMap((c) => c.unreadIds));
    } catch (error) {
      this.schedule.onFailure(error);
      this.inbox.reportError(reportFailure(error, vscode.l10n.t('Could not check for new messages')).message);
    }
    this.arm();
  }

  private announceNew(unreadIds: string[]): void {
    const previous = this.seen;
    this.seen = new Set(unreadIds);
    if (!previous || !readSettings().inboxNotify) return;
    const fresh = unreadIds.filter((id) => !previous.has(id)).length;
    if (fresh === 0) return;
    const text =
      fresh === 1 ? vscode.l10n.t('1 new message from participants.') : vscode.l10n.t('{0} new messages from participants.', fresh);
    void vscode.window.showInformationMessage(text, vscode.l10n.t('Open Inbox')).then((c) => c && runCommand('showInbox'));
  }

  private show(unread: number | undefined): void {
    if (unread === undefined) {
      this.item.hide();
      return;
    }
    this.item.text = `$(mail) ${unread}`;
    this.item.tooltip = unread === 1 ? vscode.l10n.t('1 unread Prolific message') : vscode.l10n.t('{0} unread Prolific messages', unread);
    this.item.accessibilityInformation = { label: this.item.tooltip };
    this.item.show();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.item.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
