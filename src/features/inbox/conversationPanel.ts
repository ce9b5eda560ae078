// A participant's thread in an editor tab, with a reply box. One tab per participant,
// revealed when already open. Replies go through the message service like every send.
import vscode = require('vscode');
import { makeNonce } from '../../host/webviewHtml';
import { reportFailure } from '../../host/failures';
import type { MessageService } from '../send/messageService';
import { renderConversationHtml } from '../../webviews/conversation/html';
import type { ConversationHostMessage, ThreadView } from '../../webviews/conversation/protocol';
import { parseConversationPageMessage } from '../../webviews/conversation/pageMessages';
import type { InboxService } from './inboxService';

/** The web app's inbox; a thread's channel ID is added when known. */
export function prolificInboxUrl(channelId: string | null): vscode.Uri {
  return vscode.Uri.parse(`https://app.prolific.com/researcher/messages/inbox${channelId ? `/${encodeURIComponent(channelId)}` : ''}`);
}

export class ConversationPanels implements vscode.Disposable {
  private readonly open = new Map<string, vscode.WebviewPanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly inbox: InboxService,
    private readonly messages: MessageService,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  show(participantId: string): void {
    const existing = this.open.get(participantId);
    if (existing) {
      existing.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel('prolific.conversation', vscode.l10n.t('Participant {0}…', participantId.slice(0, 8)), vscode.ViewColumn.Active, {
      enableScripts: true,
      // A reply's result must reach the page even if the tab was hidden while it was sent.
      retainContextWhenHidden: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    });
    this.open.set(participantId, panel);
    const webview = panel.webview;
    webview.html = renderConversationHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'conversation.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'conversation.css')).toString(),
      title: vscode.l10n.t('Participant {0}', participantId),
    });
    let ready = false;
    let thread: ThreadView = { participantId, myId: null, messages: [], studyId: null, studyName: null, category: null, loading: true, error: null };
    const post = (m: ConversationHostMessage) => ready && void webview.postMessage(m);
    /** The cached thread at once (still loading), then the API's. */
    const load = async () => {
      thread = { ...thread, ...this.describe(participantId, await this.inbox.thread(participantId, false)), loading: true, error: null };
      post({ type: 'thread', thread });
      try {
        thread = { ...thread, ...this.describe(participantId, await this.inbox.thread(participantId, true)), loading: false };
      } catch (error) {
        const message = reportFailure(error, vscode.l10n.t('Could not refresh this conversation')).message;
        this.log.warn(message);
        thread = { ...thread, loading: false, error: message };
      }
      post({ type: 'thread', thread });
    };
    const wiring = webview.onDidReceiveMessage(async (raw: unknown) => {
      const message = parseConversationPageMessage(raw);
      if (!message) return;
      switch (message.type) {
        case 'ready':
          ready = true;
          await load();
          return;
        case 'refresh':
          await load();
          return;
        case 'openInProlific':
          await vscode.env.openExternal(prolificInboxUrl(thread.messages.at(-1)?.channelId ?? null));
          return;
        case 'reply': {
          if (!thread.studyId) {
            post({ type: 'replyResult', requestId: message.requestId, ok: false, error: vscode.l10n.t('This conversation names no study, and Prolific needs one for a reply. Use "{0}" with the study ID.', vscode.l10n.t('Prolific: Send Message')) });
            return;
          }
          const result = await this.messages.reply({ recipient_id: participantId, study_id: thread.studyId, body: message.body });
          post(result.ok ? { type: 'replyResult', requestId: message.requestId, ok: true } : { type: 'replyResult', requestId: message.requestId, ok: false, error: result.message });
          if (result.ok) await load();
        }
      }
    });
    panel.onDidDispose(() => {
      wiring.dispose();
      this.open.delete(participantId);
    });
  }

  private describe(participantId: string, data: { messages: ThreadView['messages']; myId: string | null }): Partial<ThreadView> {
    const withStudy = [...data.messages].reverse().find((m) => m.studyId);
    const withCategory = [...data.messages].reverse().find((m) => m.category);
    const conversation = this.inbox.state.conversations.find((c) => c.participantId === participantId);
    const studyId = withStudy?.studyId ?? conversation?.studyId ?? null;
    return {
      messages: data.messages,
      myId: data.myId,
      studyId,
      studyName: studyId ? (this.messages.studyNames.get(studyId) ?? null) : null,
      category: withCategory?.category ?? conversation?.category ?? null,
    };
  }

  dispose(): void {
    for (const panel of this.open.values()) panel.dispose();
  }
}
