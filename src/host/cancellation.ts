// VS Code's cancellation, as the AbortSignal the API client takes.
import type * as vscode from 'vscode';

/** An AbortSignal that fires when `token` is cancelled (a progress notification's Cancel). */
export function abortSignalFor(token: vscode.CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}
