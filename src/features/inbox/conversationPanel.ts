// A participant's thread in an editor tab, with a reply box. One tab per participant (per
// conversation, where Prolific has them), revealed when already open. Replies go through the
// message service like every send; in a conversation, into that conversation.
import vscode = require('vscode');
import { reportFailure } from '../../host/failures';
import { WebviewHost, webviewOptions, type PageKind } from '../../host/webviewHost';
import type { InboxMessage } from '../../prolific/messageTypes';
import type { MessageService } from '../send/messageService';
import { renderConversationHtml } from '../../webviews/conversation/html';
import { parsePageMessage, type HostMessage, type PageMessage, type ThreadView } from '../../webviews/conversation/protocol';
import { categoryLabel } from '../../shared/topics';
import type { InboxService } from './inboxService';

/** The web app's inbox; a thread's channel ID is added when known. */
export function prolificInboxUrl(channelId: string | null): vscode.Uri {
  return vscode.Uri.parse(`https://app.prolific.com/researcher/messages/inbox${channelId ? `/${encodeURIComponent(channelId)}` : ''}`);
}

/** What the host keeps of a thread: the inbox's messages (channel IDs included) and the category as the API names it. */
interface Thread extends Omit<ThreadView, 'messages' | 'categoryLabel'> {
  messages: InboxMessage[];
  category: string | null;
}

/** What the page is shown of a thread: the messages as it shows them, the category by its name in the user's language. */
function threadView(thread: Thread): ThreadView {
  const { messages, category, ...rest } = thread;
  return {
    ...rest,
    messages: messages.map(({ id, senderId, body, createdAt }) => ({ id, senderId, body, createdAt })),
    categoryLabel: category ? categoryLabel(category) : null,
  };
}

interface Services {
  extensionUri: vscode.Uri;
  inbox: InboxService;
  messages: MessageService;
  log: vscode.LogOutputChannel;
}

/** One participant's tab: loads the thread, shows it, and sends the replies written in it. */
class ConversationTab implements vscode.Disposable {
  private thread: Thread;
  private readonly page: WebviewHost<PageMessage, HostMessage>;
  private readonly deliveries: vscode.Disposable;

  constructor(
    webview: vscode.Webview,
    private readonly participantId: string,
    private readonly services: Services,
    /** Prolific's conversation this tab shows, where it has them; otherwise all of the participant's messages. */
    private readonly conversationId?: string,
  ) {
    this.thread = {
      participantId,
      subject: null,
      myId: null,
      messages: [],
      studyId: null,
      studyName: null,
      category: null,
      loading: true,
      error: null,
    };
    const kind: PageKind<PageMessage> = {
      name: 'conversation',
      script: 'conversation.js',
      style: 'conversation.css',
      render: (assets) => renderConversationHtml({ ...assets, title: vscode.l10n.t('Participant {0}', participantId) }),
      parse: parsePageMessage,
    };
    this.page = new WebviewHost(webview, services.extensionUri, kind, services.log, (message) => this.onMessage(message));
    // Whatever sent it (this tab's reply, a Retry from its notification, the compose form), a
    // message to this participant belongs in the thread, and the reply box may hold it still.
    this.deliveries = services.messages.onDidDeliver((draft) => {
      if (draft.recipient_id !== participantId) return;
      this.page.post({ type: 'delivered', body: draft.body });
      void this.load();
    });
  }

  private async onMessage(message: PageMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
      case 'refresh':
        await this.load();
        return;
      case 'openInProlific':
        await vscode.env.openExternal(prolificInboxUrl(this.thread.messages.at(-1)?.channelId ?? null));
        return;
      case 'reply':
        await this.reply(message.requestId, message.body);
    }
  }

  /** The cached thread at once (still loading), then the API's. */
  private async load(): Promise<void> {
    const { inbox, log } = this.services;
    const { participantId, conversationId } = this;
    this.thread = {
      ...this.thread,
      ...this.describe(await inbox.thread(participantId, false, conversationId)),
      loading: true,
      error: null,
    };
    this.showThread();
    await inbox.markRead(participantId, conversationId);
    try {
      this.thread = { ...this.thread, ...this.describe(await inbox.thread(participantId, true, conversationId)), loading: false };
      await inbox.markRead(participantId, conversationId);
    } catch (error) {
      const message = reportFailure(error, vscode.l10n.t('Could not refresh this conversation')).message;
      log.warn(message);
      this.thread = { ...this.thread, loading: false, error: message };
    }
    this.showThread();
  }

  private async reply(requestId: number, body: string): Promise<void> {
    if (!this.thread.studyId) {
      const error = vscode.l10n.t(
        'This conversation names no study, and Prolific needs one for a reply. Use "{0}" with the study ID.',
        vscode.l10n.t('Prolific: Send Message'),
      );
      this.page.post({ type: 'replyResult', requestId, ok: false, error });
      return;
    }
    const result = await this.services.messages.reply(
      { recipient_id: this.participantId, study_id: this.thread.studyId, body },
      this.conversationId,
    );
    this.page.post(
      result.ok ? { type: 'replyResult', requestId, ok: true } : { type: 'replyResult', requestId, ok: false, error: result.message },
    );
    // On success the thread reloads from the delivery event (see the constructor).
  }

  private showThread(): void {
    this.page.post({ type: 'thread', thread: threadView(this.thread) });
  }

  private describe(data: { messages: InboxMessage[]; myId: string | null }): Partial<Thread> {
    const withStudy = [...data.messages].reverse().find((m) => m.studyId);
    const withCategory = [...data.messages].reverse().find((m) => m.category);
    const conversation = this.services.inbox.row(this.participantId, this.conversationId);
    const studyId = withStudy?.studyId ?? conversation?.studyId ?? null;
    return {
      messages: data.messages,
      myId: data.myId,
      // The subject of this conversation; a participant's whole thread has none.
      subject: this.conversationId ? (conversation?.subject ?? null) : null,
      studyId,
      studyName: studyId ? (this.services.messages.studyNames.get(studyId) ?? null) : null,
      category: withCategory?.category ?? conversation?.category ?? null,
    };
  }

  dispose(): void {
    this.deliveries.dispose();
    this.page.dispose();
  }
}

export class ConversationPanels implements vscode.Disposable {
  private readonly open = new Map<string, vscode.WebviewPanel>();
  private readonly services: Services;

  constructor(extensionUri: vscode.Uri, inbox: InboxService, messages: MessageService, log: vscode.LogOutputChannel) {
    this.services = { extensionUri, inbox, messages, log };
  }

  show(participantId: string, conversationId?: string): void {
    const key = conversationId ?? participantId;
    const existing = this.open.get(key);
    if (existing) {
      existing.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      'prolific.conversation',
      vscode.l10n.t('Participant {0}…', participantId.slice(0, 8)),
      vscode.ViewColumn.Active,
      {
        ...webviewOptions(this.services.extensionUri),
        // A reply's result must reach the page even if the tab was hidden while it was sent.
        retainContextWhenHidden: true,
      },
    );
    this.open.set(key, panel);
    const tab = new ConversationTab(panel.webview, participantId, this.services, conversationId);
    panel.onDidDispose(() => {
      tab.dispose();
      this.open.delete(key);
    });
  }

  dispose(): void {
    for (const panel of this.open.values()) panel.dispose();
  }
}
