// Stand-ins registered at activation for what is built on first use (see extension.ts): VS Code
// needs a provider for each view then, but only asks it for anything once the view is shown.
import vscode = require('vscode');

/** A tree's data from a provider built when the tree first asks; its changes are passed on. */
export class LazyTreeDataProvider<T> implements vscode.TreeDataProvider<T>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<T | T[] | undefined | null | void>();
  readonly onDidChangeTreeData = this.changed.event;
  private provider: vscode.TreeDataProvider<T> | undefined;
  private subscription: vscode.Disposable | undefined;

  constructor(private readonly load: () => vscode.TreeDataProvider<T>) {}

  getChildren(element?: T): vscode.ProviderResult<T[]> {
    return this.real().getChildren(element);
  }

  getTreeItem(element: T): vscode.TreeItem | Thenable<vscode.TreeItem> {
    return this.real().getTreeItem(element);
  }

  /** TreeView.reveal needs it; a provider without one has only top-level rows. */
  getParent(element: T): vscode.ProviderResult<T> {
    return this.real().getParent?.(element);
  }

  private real(): vscode.TreeDataProvider<T> {
    if (!this.provider) {
      this.provider = this.load();
      // Nothing was shown before this, so no earlier change can have been missed.
      this.subscription = this.provider.onDidChangeTreeData?.((e) => this.changed.fire(e));
    }
    return this.provider;
  }

  dispose(): void {
    this.subscription?.dispose();
    this.changed.dispose();
  }
}

/** A webview view whose provider is built when the view is first resolved. */
export function lazyWebviewViewProvider(load: () => vscode.WebviewViewProvider): vscode.WebviewViewProvider {
  return {
    resolveWebviewView: (view, context, token) => load().resolveWebviewView(view, context, token),
  };
}
