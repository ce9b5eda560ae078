// The compose form as an editor tab: one at a time, revealed when already open.
import vscode = require('vscode');
import type { ComposeController } from './composeController';

export class ComposePanel implements vscode.Disposable {
  static readonly viewType = 'prolific.composePanel';
  private panel: vscode.WebviewPanel | undefined;

  constructor(private readonly controller: ComposeController) {}

  show(): void {
    if (this.panel) {
      this.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      ComposePanel.viewType,
      vscode.l10n.t('Prolific: Send Message'),
      vscode.ViewColumn.Active,
      {
        ...this.controller.webviewOptions(),
      },
    );
    const wiring = this.controller.attach(panel.webview, 'panel');
    panel.onDidDispose(() => {
      wiring.dispose();
      this.panel = undefined;
    });
    this.panel = panel;
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
