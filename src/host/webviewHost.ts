// The host side of a webview page, for the compose form (editor panel and sidebar view) and the
// conversation tabs alike: the webview's options, its HTML with a fresh nonce under a strict CSP,
// the `ready` gate (nothing is posted before the page listens) and a channel typed both ways by
// the page's protocol. What arrives from the page is untrusted: a message the protocol's check
// (zod) refuses is logged and dropped.
import vscode = require('vscode');
import type { PageAssets } from '../webviews/html';
import { makeNonce } from './nonce';

/** Only the bundles and media the pages load, nothing else of the extension or workspace. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/** One kind of page: its files, its HTML and its protocol's check of what it posts. */
export interface PageKind<In> {
  /** For the log: "compose", "conversation". */
  name: string;
  /** The page script, in dist/. */
  script: string;
  /** The page's style sheet, in media/. */
  style: string;
  render(assets: PageAssets): string;
  /** The protocol's check (zod): a clean copy of a well-formed message, or undefined. */
  parse(raw: unknown): In | undefined;
}

/** A page shown in one webview, once it is wired: its HTML is set and its messages are heard. */
export class WebviewHost<In extends { type: string }, Out> implements vscode.Disposable {
  private ready = false;
  private readonly listening: vscode.Disposable;

  /** Sets the webview's options and HTML, and hands every well-formed message of the page to `onMessage`. */
  constructor(
    readonly webview: vscode.Webview,
    extensionUri: vscode.Uri,
    kind: PageKind<In>,
    log: vscode.LogOutputChannel,
    onMessage: (message: In) => unknown,
  ) {
    webview.options = webviewOptions(extensionUri);
    const uri = (...path: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...path)).toString();
    webview.html = kind.render({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: uri('dist', kind.script),
      styleUri: uri('media', kind.style),
    });
    this.listening = webview.onDidReceiveMessage((raw: unknown) => {
      const message = kind.parse(raw);
      if (!message) {
        log.warn(`Ignored a malformed message from the ${kind.name} page`);
        return;
      }
      if (message.type === 'ready') this.ready = true;
      return onMessage(message);
    });
  }

  /** Posts to the page once it has said `ready`; before that the page is not listening, and nothing is posted. */
  post(message: Out): void {
    if (this.ready) void this.webview.postMessage(message);
  }

  dispose(): void {
    // An answer that arrives later (studies, features) must not reach a webview that is gone.
    this.ready = false;
    this.listening.dispose();
  }
}
