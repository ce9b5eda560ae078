// The newer messaging endpoints (docs/prolific-api/messages.md § 6): conversations with a subject
// and topic, their threads, replies into them, and broadcasts. A workspace may not have them yet
// (404); `probe` tells. Like the rest of the client it knows nothing of VS Code and never retries:
// sendBroadcastSafely (safeBroadcast.ts) retries broadcasts, the one request that may be resent.
import * as z from 'zod/mini';
import type { Call, HttpExchange } from './http';
import { normalizeMessage } from './messages';
import type { InboxMessage } from './messageTypes';
import { ProlificApiError } from './errors';
import {
  Broadcast,
  BroadcastRequest,
  Conversation,
  ConversationMessageRequest,
  CursorPage,
  StartConversationRequest,
} from './conversationSchemas';
import { checkArgument, PATH_SEGMENT } from './clientArguments';

/** A conversation as the extension uses it. */
export interface ConversationSummary {
  id: string;
  subject: string | null;
  topic: string | null;
  studyId: string | null;
  /** The participant in it (the member who is not the researcher), when the answer says. */
  participantId: string | null;
  broadcastId: string | null;
  lastMessage: InboxMessage | null;
  unreadCount: number;
  /** ISO 8601, when the answer says. */
  updatedAt: string | null;
}

/** What the account's workspace has (see probe). */
export interface MessagingFeatures {
  conversations: boolean;
  broadcasts: boolean;
}

export class ConversationsApi {
  constructor(
    private readonly http: HttpExchange,
    private readonly readMessages: (first: Call) => Promise<InboxMessage[]>,
  ) {}

  /** Whether conversations and broadcasts answer: two one-item list requests; a 404 means "not here". Other errors are thrown. */
  async probe(signal?: AbortSignal): Promise<MessagingFeatures> {
    const answers = async (path: string) => {
      try {
        await this.http.perform(
          this.http.call('GET', path, { query: new URLSearchParams({ limit: '1' }), signal }),
          CursorPage(z.unknown()),
        );
        return true;
      } catch (error) {
        if (error instanceof ProlificApiError && error.status === 404) return false;
        throw error;
      }
    };
    const conversations = await answers('/api/v1/conversations/');
    return { conversations, broadcasts: conversations && (await answers('/api/v1/broadcasts/')) };
  }

  /** The researcher's conversations, most recently updated first, every cursor page (100 a page, the cap). */
  async list(
    researcherId: string,
    query: { studyId?: string; broadcastId?: string } = {},
    signal?: AbortSignal,
  ): Promise<ConversationSummary[]> {
    const params = new URLSearchParams({ limit: '100' });
    if (query.studyId !== undefined) params.set('study_id', query.studyId);
    if (query.broadcastId !== undefined) params.set('broadcast_id', query.broadcastId);
    const call = this.http.call('GET', '/api/v1/conversations/', { query: params, signal });
    const conversations = await this.http.readPages(call, CursorPage(Conversation), (page) => page.results ?? []);
    return conversations.map((c) => summarize(c, researcherId));
  }

  /** One conversation's messages, oldest first, every cursor page. A 404: not there, or not the researcher's. */
  async messages(conversationId: string, signal?: AbortSignal): Promise<InboxMessage[]> {
    if (!PATH_SEGMENT.test(conversationId)) throw new TypeError('conversations.messages was called with an invalid conversation ID.');
    const query = new URLSearchParams({ limit: '100' });
    return this.readMessages(this.http.call('GET', `/api/v1/conversations/${conversationId}/messages/`, { query, signal }));
  }

  /** Starts a conversation (with its first message when `body` is given). */
  async start(request: StartConversationRequest, researcherId: string, signal?: AbortSignal): Promise<ConversationSummary> {
    const body = checkArgument('conversations.start', StartConversationRequest, request);
    const resource = body.study_id === undefined ? undefined : ({ kind: 'study', id: body.study_id } as const);
    const conversation = await this.http.perform(
      this.http.call('POST', '/api/v1/conversations/', { body, resource, signal }),
      Conversation,
    );
    return summarize(conversation, researcherId);
  }

  /** A message into a conversation (a reply). Resolves on any 2xx. */
  async reply(request: ConversationMessageRequest, signal?: AbortSignal): Promise<void> {
    const body = checkArgument('conversations.reply', ConversationMessageRequest, request);
    await this.http.perform(this.http.call('POST', '/api/v1/messages/', { body, signal }), undefined);
  }

  /** One attempt at a broadcast; the same `id` again returns the broadcast already made. */
  async broadcast(request: BroadcastRequest, signal?: AbortSignal): Promise<Broadcast> {
    const body = checkArgument('conversations.broadcast', BroadcastRequest, request);
    const resource = { kind: 'study', id: body.study_id } as const;
    return this.http.perform(this.http.call('POST', '/api/v1/broadcasts/', { body, resource, signal }), Broadcast);
  }

  /** One broadcast, with its recipient and reply counts. */
  async getBroadcast(broadcastId: string, signal?: AbortSignal): Promise<Broadcast> {
    if (!PATH_SEGMENT.test(broadcastId)) throw new TypeError('conversations.getBroadcast was called with an invalid broadcast ID.');
    return this.http.perform(this.http.call('GET', `/api/v1/broadcasts/${broadcastId}/`, { signal }), Broadcast);
  }

  /** The broadcasts, newest first, every cursor page (50 a page, the cap). */
  async listBroadcasts(query: { studyId?: string } = {}, signal?: AbortSignal): Promise<Broadcast[]> {
    const params = new URLSearchParams({ limit: '50' });
    if (query.studyId !== undefined) params.set('study_id', query.studyId);
    const call = this.http.call('GET', '/api/v1/broadcasts/', { query: params, signal });
    return this.http.readPages(call, CursorPage(Broadcast), (page) => page.results ?? []);
  }
}

function summarize(c: Conversation, researcherId: string): ConversationSummary {
  const members = (c.participants ?? c.members ?? []).map((m) =>
    typeof m === 'string'
      ? { id: m, type: null }
      : { id: m.id || m.user_id || m.participant_id || null, type: m.type || m.user_type || null },
  );
  const participant = members.find((m) => m.type === 'participant') ?? members.find((m) => m.id !== researcherId);
  const study = typeof c.study === 'string' ? c.study : c.study?.id;
  return {
    id: c.id,
    subject: c.subject || null,
    topic: c.topic || null,
    studyId: c.study_id || study || null,
    participantId: participant?.id ?? null,
    broadcastId: c.broadcast_id || null,
    lastMessage: c.last_message ? normalizeMessage(c.last_message) : null,
    unreadCount: c.unread_count ?? 0,
    updatedAt: c.datetime_updated || c.datetime_created || null,
  };
}
