// The unread poller's first poll falls due one interval after activation, but the poller is
// part of the features bundle, loaded on first use. Until it loads, this timer stands in for it:
// when the first poll falls due it loads the features, whose poller then polls at once
// (UnreadPoller.start(armedAt)). Like the poller, it starts over when the interval setting changes.
import vscode = require('vscode');
import { affectsSetting, inboxPollMinutes } from '../../host/settings';

export class FirstPollTimer implements vscode.Disposable {
  /** When the interval last started: the poller's first poll is one interval later. */
  armedAt = Date.now();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly due: () => void) {
    this.arm();
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => affectsSetting(e, 'inboxPollMinutes') && this.arm());
  }

  private arm(): void {
    clearTimeout(this.timer);
    this.armedAt = Date.now();
    // As PollSchedule reads the setting: 0 (or less) turns polling off.
    const intervalMs = inboxPollMinutes() * 60_000;
    if (Number.isFinite(intervalMs) && intervalMs > 0) this.timer = setTimeout(this.due, intervalMs);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.subscription.dispose();
  }
}
