// Serves the compose page in any webview (the editor panel and the sidebar view share it):
// sets its HTML, waits for its `ready`, answers its requests by id, and keeps every open
// form in step with the saved draft and the current audience.
import vscode = require('vscode');
import { previewMessages } from './preview';
import type { SendResult } from '../../shared/draft';
import { summarize, type AudienceStore } from './audienceStore';
import type { DraftStore } from './draftStore';
import { WebviewHost, webviewOptions, type PageKind } from '../../host/webviewHost';
import { renderComposeHtml } from '../../webviews/compose/html';
import { parsePageMessage, type HostMessage, type PageMessage, type StudyOption } from '../../webviews/compose/protocol';
import type { Draft } from '../../shared/draft';

/** What the form needs from the send feature: given by the container, so compose does not import it. */
export interface ComposeSender {
  send(draft: Draft, origin: unknown): Promise<SendResult>;
  listStudies(): Promise<{ studies: StudyOption[]; error?: string }>;
  /** What the form may offer (a subject where the account has conversations); never fails. */
  features(): Promise<{ subjects: boolean; broadcasts: boolean }>;
  /** The features may have changed: the token did (signed in, out, or as someone else). */
  readonly onDidChangeFeatures: vscode.Event<void>;
}

/** One page the controller serves. */
interface PageLink {
  host: WebviewHost<PageMessage, HostMessage>;
  /** The `seq` of the page's last draft message applied to the draft store. */
  seen: number;
}

function composePage(mode: 'panel' | 'view'): PageKind<PageMessage> {
  return {
    name: 'compose',
    script: 'webview.js',
    style: 'compose.css',
    render: (assets) => renderComposeHtml({ ...assets, mode }),
    parse: parsePageMessage,
  };
}

export class ComposeController {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly drafts: DraftStore,
    private readonly audiences: AudienceStore,
    private readonly messages: ComposeSender,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** For a panel, made before it is attached: the options every page gets (see webviewOptions). */
  webviewOptions(): vscode.WebviewOptions {
    return webviewOptions(this.extensionUri);
  }

  /** Wires one webview; dispose the result when the webview goes away. */
  attach(webview: vscode.Webview, mode: 'panel' | 'view'): vscode.Disposable {
    const page: PageLink = {
      host: new WebviewHost(webview, this.extensionUri, composePage(mode), this.log, (message) => this.handle(message, page)),
      seen: 0,
    };
    const post = (message: HostMessage) => page.host.post(message);
    return vscode.Disposable.from(
      page.host,
      this.drafts.onDidChange(({ changes, origin }) => origin !== webview && post({ type: 'setDraft', changes, seen: page.seen })),
      this.audiences.onDidChange((audience) => post({ type: 'setAudience', audience: summarize(audience) })),
      this.messages.onDidChangeFeatures(() => this.postFeatures(page)),
    );
  }

  /** Tells the page what it may offer (a subject), once Prolific has said. */
  private async postFeatures(page: PageLink): Promise<void> {
    page.host.post({ type: 'features', ...(await this.messages.features()) });
  }

  private async handle(message: PageMessage, page: PageLink): Promise<void> {
    const origin = page.host.webview;
    const post = (m: HostMessage) => page.host.post(m);
    switch (message.type) {
      case 'ready':
        post({ type: 'init', draft: this.drafts.get(), audience: summarize(this.audiences.get()), seen: page.seen });
        // After init, so the form never waits for Prolific: the subject appears once it is known.
        await this.postFeatures(page);
        return;
      case 'draftChanged': {
        // Applied (in memory, at once) before `seen` moves on: a change the host makes after this
        // may then overwrite these fields on the page.
        const saving = this.drafts.patch(message.changes, origin);
        page.seen = Math.max(page.seen, message.seq);
        await saving;
        return;
      }
      case 'send': {
        const saving = this.drafts.update(message.draft, origin);
        page.seen = Math.max(page.seen, message.seq);
        await saving;
        const result = await this.messages.send(message.draft, origin);
        post(
          result.ok
            ? { type: 'sendResult', requestId: message.requestId, ok: true, fieldErrors: {} }
            : { type: 'sendResult', requestId: message.requestId, ok: false, fieldErrors: result.fieldErrors, error: result.message },
        );
        return;
      }
      case 'listStudies': {
        const { studies, error } = await this.messages.listStudies();
        post({ type: 'studies', requestId: message.requestId, studies, ...(error ? { error } : {}) });
        return;
      }
      case 'clearAudience':
        this.audiences.clear();
        return;
      case 'preview': {
        const audience = this.audiences.get();
        const { items, errors } =
          audience.kind === 'list' && audience.rows
            ? previewMessages(message.body, audience.ids, audience.rows(), audience.columns ?? [], audience.rowNumbers)
            : { items: [], errors: [] };
        post({ type: 'preview', requestId: message.requestId, items, errors });
        return;
      }
    }
  }
}
