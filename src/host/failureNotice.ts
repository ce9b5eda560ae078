// The one way a failure is shown: its sentence in an error notification with the actions that
// fix it, each run only when the user picks it, never by itself.
import vscode = require('vscode');
import { runCommand } from './commands';
import { actionLabel, type FixAction } from './failures';
import { openSetting } from './settings';

export interface FailureHandlers {
  log: vscode.LogOutputChannel;
  /** "Retry": the failed operation again. Without it, Retry is not offered. */
  retry?: () => unknown;
  /** After "Set API Token" stored a token that Prolific accepted. */
  afterTokenSet?: () => unknown;
  /** The caller's own actions, offered before the fixes ("Retry Failed", "Open Report"). */
  extra?: { label: string; run: () => unknown }[];
  /** A warning rather than an error: nothing failed, something is missing (a token, say). */
  warning?: boolean;
}

/** Shows `message` with the fixes in `actions` (and `extra`); resolves when the chosen one has run. */
export async function showFailure(message: string, actions: readonly FixAction[], handlers: FailureHandlers): Promise<void> {
  const fixes = actions.filter((a) => a !== 'Retry' || handlers.retry);
  const extra = handlers.extra ?? [];
  const show = handlers.warning ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
  const label = await show(message, ...extra.map((e) => e.label), ...fixes.map(actionLabel));
  const own = extra.find((e) => e.label === label);
  if (own) {
    await own.run();
    return;
  }
  switch (fixes.find((a) => actionLabel(a) === label)) {
    case 'Retry':
      await handlers.retry?.();
      return;
    case 'Set API Token':
      if (await runCommand<string | undefined>('setApiToken')) await handlers.afterTokenSet?.();
      return;
    case 'Open Settings':
      await openSetting('apiBaseUrl');
      return;
    case 'Show Log':
      handlers.log.show(true);
  }
}
