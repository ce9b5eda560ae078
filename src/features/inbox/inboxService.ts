// The inbox: unread messages and the last 30 days from the API, merged into a cache on disk so
// threads older than the API's window stay readable. Where Prolific has conversations, the rows
// are its conversations (every cursor page) and a thread is read by conversation; their messages
// go into the same cache, so either mode shows what the other fetched. Reads happen on refresh or
// when a thread is opened, never during activation.
import vscode = require('vscode');
import type { ProlificClient } from '../../prolific/client';
import { groupConversations, threadFor, type Conversation } from './conversations';
import type { ConversationSummary, MessagingFeatures } from '../../prolific/conversationsApi';
import {
  allCached,
  cachedThread,
  emptyCache,
  mergeMessages,
  ownerOf,
  parseCacheFile,
  serializeCache,
  withReadHere,
  type CacheFile,
} from './messageCache';
import type { InboxMessage } from '../../prolific/messageTypes';

const CACHE_FILE = 'inbox-cache.json';
const WINDOW_MS = 30 * 24 * 60 * 60 * 1000;

export interface InboxState {
  conversations: Conversation[];
  /** Messages Prolific counts unread, less those read here. */
  unread: number;
  /** Set when there is no token, so the view can say so instead of showing an empty list. */
  signedOut: boolean;
  error: string | null;
}

export class InboxService implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<InboxState>();
  readonly onDidChange = this.changed.event;
  private cache: CacheFile | undefined;
  private unreadIds = new Set<string>();
  private current: InboxState = { conversations: [], unread: 0, signedOut: false, error: null };
  /** Aborts the refresh in progress, when a newer one starts. */
  private refreshing: AbortController | undefined;
  /** Prolific's conversations as last listed; undefined where it has none (the rows are then by participant). */
  private summaries: ConversationSummary[] | undefined;

  constructor(
    private readonly storageDir: vscode.Uri,
    /** A client if a token is set; never prompts (the poller runs unattended). */
    private readonly client: () => Promise<ProlificClient | undefined>,
    private readonly log: vscode.LogOutputChannel,
    /** What the account has (asked once per window and account; never throws). */
    private readonly features: (client: ProlificClient) => Promise<MessagingFeatures>,
  ) {}

  get state(): InboxState {
    return this.current;
  }

  /**
   * Unread and recent messages. Throws API errors, so the poller can back off. A refresh started
   * while another runs (after a token change, say) supersedes it: the older one stops its
   * requests (lists come in pages, so it may have several to go) and resolves with the state as
   * it is, so it never saves or shows an older token's inbox over the newer state.
   */
  async refresh(): Promise<InboxState> {
    this.refreshing?.abort();
    const controller = new AbortController();
    this.refreshing = controller;
    try {
      return await this.load(controller.signal);
    } catch (error) {
      if (controller.signal.aborted) return this.current;
      throw error;
    } finally {
      if (this.refreshing === controller) this.refreshing = undefined;
    }
  }

  private async load(signal: AbortSignal): Promise<InboxState> {
    const client = await this.client();
    if (signal.aborted) return this.current;
    if (!client) return this.publish({ conversations: [], unread: 0, signedOut: true, error: null });
    const myId = (await client.getMe(signal)).id;
    // Another account's messages (after a token change) are not this account's history.
    const loaded = await this.loadCache();
    const cache = loaded.myId === myId ? loaded : emptyCache(myId);
    // Where Prolific has conversations, they are the rows and each one's last message is kept;
    // elsewhere the rows come from the last 30 days of messages.
    const byConversation = (await this.features(client)).conversations;
    const since = new Date(Date.now() - WINDOW_MS + 60_000);
    const [summaries, recent, unread] = await Promise.all([
      byConversation ? client.conversations.list(myId, {}, signal) : undefined,
      byConversation ? [] : client.getMessages({ createdAfter: since }, signal),
      client.getUnreadMessages(signal),
    ]);
    if (signal.aborted) return this.current;
    this.summaries = summaries;
    this.unreadIds = new Set(unread.map((m) => m.id));
    let merged = mergeMessages(cache, null, recent);
    for (const s of summaries ?? [])
      if (s.participantId && s.lastMessage) merged = mergeMessages(merged, s.participantId, [inConversation(s.lastMessage, s.id)]);
    await this.saveCache(withReadHere(mergeMessages(merged, null, unread), [], this.unreadIds));
    return this.publish({ conversations: this.conversations(), unread: this.unreadHere(), signedOut: false, error: null });
  }

  /** Unread only: what the poller asks for. */
  async refreshUnread(): Promise<InboxState> {
    const client = await this.client();
    if (!client) return this.publish({ conversations: [], unread: 0, signedOut: true, error: null });
    const unread = await client.getUnreadMessages();
    this.unreadIds = new Set(unread.map((m) => m.id));
    await this.saveCache(withReadHere(mergeMessages(await this.loadCache(), null, unread), [], this.unreadIds));
    return this.publish({ conversations: this.conversations(), unread: this.unreadHere(), signedOut: false, error: null });
  }

  /**
   * Shows a participant's unread messages as read once their thread was shown here: not bold, not
   * counted. Prolific has no endpoint to mark a message read, so its web inbox still shows them
   * unread; the row's tooltip says so.
   */
  async markRead(participantId: string, conversationId?: string): Promise<void> {
    const conversation = this.row(participantId, conversationId);
    if (!conversation?.unreadIds.length) return;
    await this.saveCache(withReadHere(await this.loadCache(), conversation.unreadIds, this.unreadIds));
    this.publish({ ...this.current, conversations: this.conversations(), unread: this.unreadHere() });
  }

  /** The Inbox row of this participant (of this conversation of theirs, where Prolific has them). */
  row(participantId: string, conversationId?: string): Conversation | undefined {
    return this.current.conversations.find(
      (c) => c.participantId === participantId && (conversationId === undefined || c.conversationId === conversationId),
    );
  }

  /**
   * One participant's whole thread, or one conversation of theirs (`conversationId`): cached, then
   * refreshed from the API.
   */
  async thread(participantId: string, fetch: boolean, conversationId?: string): Promise<{ messages: InboxMessage[]; myId: string | null }> {
    const client = fetch ? await this.client() : undefined;
    if (client) {
      const messages = conversationId
        ? (await client.conversations.messages(conversationId)).map((m) => inConversation(m, conversationId))
        : await client.getMessages({ userId: participantId });
      await this.saveCache(mergeMessages(await this.loadCache(), participantId, messages));
    }
    const cache = await this.loadCache();
    const messages = cachedThread(cache, participantId);
    return { messages: conversationId ? messages.filter((m) => m.channelId === conversationId) : messages, myId: cache.myId };
  }

  /**
   * Who the local copy knows each message was with: by message ID, and by thread (channel ID).
   * For "messaged within" in audience files: the researcher's own messages name no recipient.
   */
  async knownParticipants(): Promise<{ byMessage: Map<string, string>; byChannel: Map<string, string> }> {
    const cache = await this.loadCache();
    const byMessage = new Map<string, string>();
    const byChannel = new Map<string, string>();
    for (const m of allCached(cache)) {
      const owner = ownerOf(cache, m.id) ?? (cache.myId !== null && m.senderId !== cache.myId ? m.senderId : undefined);
      if (!owner) continue;
      byMessage.set(m.id, owner);
      if (m.channelId) byChannel.set(m.channelId, owner);
    }
    return { byMessage, byChannel };
  }

  reportError(message: string): void {
    this.publish({ ...this.current, error: message });
  }

  async clearCache(): Promise<void> {
    this.cache = emptyCache();
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(this.storageDir, CACHE_FILE)).then(undefined, () => undefined);
    this.publish({ ...this.current, conversations: this.conversations() });
  }

  private conversations(): Conversation[] {
    const cache = this.cache;
    if (!cache) return [];
    if (this.summaries) return this.summaries.flatMap((s) => rowOf(s, cache, this.unreadIds));
    return groupConversations(allCached(cache), this.unreadIds, cache.myId, (m) => ownerOf(cache, m.id), new Set(cache.readHere));
  }

  private unreadHere(): number {
    const readHere = new Set(this.cache?.readHere);
    return [...this.unreadIds].filter((id) => !readHere.has(id)).length;
  }

  private publish(state: InboxState): InboxState {
    this.current = state;
    this.changed.fire(state);
    return state;
  }

  private async loadCache(): Promise<CacheFile> {
    if (this.cache) return this.cache;
    const file = vscode.Uri.joinPath(this.storageDir, CACHE_FILE);
    const bytes = await vscode.workspace.fs.readFile(file).then(
      (b) => new TextDecoder().decode(b),
      () => '',
    );
    const { cache, corrupt, problem } = parseCacheFile(bytes);
    if (corrupt) {
      // Kept aside, not overwritten: it may be a newer version's file, or worth a look.
      const aside = vscode.Uri.joinPath(this.storageDir, `inbox-cache.unreadable-${Date.now()}.json`);
      await vscode.workspace.fs.rename(file, aside, { overwrite: true }).then(undefined, () => undefined);
      this.log.warn(
        `The local message history could not be read (${problem ?? 'unknown format'}); it was set aside as ${aside.path} and started afresh.`,
      );
    }
    this.cache = cache;
    return cache;
  }

  private async saveCache(cache: CacheFile): Promise<void> {
    this.cache = cache;
    await vscode.workspace.fs.createDirectory(this.storageDir);
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(this.storageDir, CACHE_FILE), new TextEncoder().encode(serializeCache(cache)));
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** A message of a conversation, known to be in it (an answer may leave out its channel). */
function inConversation(message: InboxMessage, conversationId: string): InboxMessage {
  return message.channelId ? message : { ...message, channelId: conversationId };
}

/** A conversation's row: its cached messages (at least its last), unread as Prolific says, less those read here. */
function rowOf(s: ConversationSummary, cache: CacheFile, unreadIds: ReadonlySet<string>): Conversation[] {
  if (!s.participantId) return [];
  const cached = cachedThread(cache, s.participantId).filter((m) => m.channelId === s.id);
  const messages = cached.length || !s.lastMessage ? cached : [inConversation(s.lastMessage, s.id)];
  const row = threadFor(s.participantId, messages, unreadIds, new Set(cache.readHere));
  return [
    {
      ...row,
      conversationId: s.id,
      subject: s.subject,
      studyId: s.studyId ?? row.studyId,
      category: s.topic ?? row.category,
      channelId: s.id,
    },
  ];
}
