// The compose form in the "Prolific" sidebar container.
import vscode = require('vscode');
import type { ComposeController } from './composeController';

export class ComposeViewProvider implements vscode.WebviewViewProvider {
  static readonly viewId = 'prolific.compose';

  constructor(private readonly controller: ComposeController) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    const wiring = this.controller.attach(view.webview, 'view');
    view.onDidDispose(() => wiring.dispose());
  }
}
