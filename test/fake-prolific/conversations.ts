// Prolific's newer messaging endpoints (docs/prolific-api/messages.md § 6): conversations, each a
// thread between the researcher and one participant with an optional subject, topic and study, and
// broadcasts, one message to many, each recipient in a conversation of their own. They page by
// cursor (`next` is a full URL), not by `_links`. A workspace may not have them yet: with
// `conversationsEnabled` off every one of them answers 404, as there.
import { randomBytes, randomUUID } from 'node:crypto';
import { Fields, ID_PATTERN, created, ok, readObject, type Ctx } from './requests';
import { nestedError, notFound, type ApiResponse } from './responses';
import type { ApiState } from './routes';
import { hexId, participantId, type StoredMessage } from './seed';
import { deliver, knownStudy, threadId } from './store';

/** A conversation started through the API (the pairs' own threads are found from their messages). */
export interface FakeConversation {
  id: string;
  members: [string, string];
  subject: string | null;
  topic: string | null;
  studyId: string | null;
  broadcastId: string | null;
  createdAt: string;
}

export interface FakeBroadcast {
  id: string;
  studyId: string;
  subject: string;
  topic: string;
  body: string;
  recipients: string[];
  createdAt: string;
}

/**
 * The topics the fake accepts. Prolific's docs say "an enum of fixed categories" without listing
 * them (messages.md § 6); these are the categories participants' messages carry (§ 1), the one
 * list of topics Prolific is known to use.
 */
export const TOPICS = ['payment-timing', 'payment-issues', 'technical-issues', 'feedback', 'rejections', 'other'] as const;
/** The documented caps. */
export const MAX_SUBJECT = 500;
export const MAX_CONVERSATION_BODY = 10_000;
export const MAX_BROADCAST_RECIPIENTS = 4000;
const CONVERSATIONS_PAGE = { default: 25, cap: 100 };
const BROADCASTS_PAGE = { default: 25, cap: 50 };

/** A client-supplied broadcast ID: a UUID or any short token (the docs do not say which). */
const BROADCAST_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Each conversation the researcher is in, with its messages oldest first; most recently updated first. */
function threads(state: ApiState): { conversation: FakeConversation; messages: StoredMessage[]; updated: string }[] {
  const me = state.seed.researcher.id;
  const byId = new Map<string, { conversation: FakeConversation; messages: StoredMessage[] }>();
  for (const conversation of state.conversations)
    if (conversation.members.includes(me)) byId.set(conversation.id, { conversation, messages: [] });
  for (const m of [...state.messages].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt))) {
    if (m.senderId !== me && m.recipientId !== me) continue;
    const id = threadId(m);
    let thread = byId.get(id);
    if (!thread && m.conversationId === undefined) {
      // The pair's own thread: older than subjects and topics, so it has neither.
      const other = m.senderId === me ? m.recipientId : m.senderId;
      const conversation = {
        id,
        members: [me, other] as [string, string],
        subject: null,
        topic: null,
        studyId: m.studyId,
        broadcastId: null,
        createdAt: m.createdAt,
      };
      byId.set(id, (thread = { conversation, messages: [] }));
    }
    thread?.messages.push(m);
  }
  // Started within the same millisecond: the later one first.
  return [...byId.values()]
    .map((t, order) => ({ ...t, order, updated: t.messages.at(-1)?.createdAt ?? t.conversation.createdAt }))
    .sort((a, b) => Date.parse(b.updated) - Date.parse(a.updated) || b.order - a.order);
}

export function renderMessage(m: StoredMessage): Record<string, unknown> {
  return {
    id: m.id,
    sender_id: m.senderId,
    body: m.body,
    [m.documentedFieldNames ? 'sent_at' : 'datetime_created']: m.createdAt,
    type: 'message',
    channel_id: threadId(m),
    data: { study_id: m.studyId, category: m.category },
  };
}

function renderConversation(state: ApiState, t: { conversation: FakeConversation; messages: StoredMessage[]; updated: string }) {
  const { conversation: c, messages } = t;
  const last = messages.at(-1);
  return {
    id: c.id,
    subject: c.subject,
    topic: c.topic,
    study_id: c.studyId,
    broadcast_id: c.broadcastId,
    participants: c.members.map((id) => ({ id, type: id === state.seed.researcher.id ? 'researcher' : 'participant' })),
    last_message: last ? renderMessage(last) : null,
    unread_count: messages.filter((m) => m.unread && m.recipientId === state.seed.researcher.id).length,
    datetime_created: c.createdAt,
    datetime_updated: t.updated,
  };
}

function renderBroadcast(state: ApiState, b: FakeBroadcast) {
  // Replies from the sender do not count (docs): a reply is a message from the recipient in the broadcast's conversation.
  const replied = state.conversations
    .filter((c) => c.broadcastId === b.id)
    .filter((c) => state.messages.some((m) => m.conversationId === c.id && m.senderId !== state.seed.researcher.id)).length;
  return {
    id: b.id,
    study_id: b.studyId,
    subject: b.subject,
    topic: b.topic,
    body: b.body,
    audience_source: 'participant_ids',
    recipient_count: b.recipients.length,
    replied_count: replied,
    datetime_created: b.createdAt,
  };
}

/** `{next, results}`, `limit` items from the opaque `cursor`; `next` is a full URL or null. */
function cursorPage<T>({ state, req }: Ctx, items: T[], size: { default: number; cap: number }): { next: string | null; results: T[] } {
  const asked = /^\d+$/.test(req.query['limit'] ?? '') ? Number(req.query['limit']) : size.default;
  const limit = Math.min(Math.max(asked, 1), size.cap);
  const from = decodeCursor(req.query['cursor']);
  const url = new URL(req.path, state.baseUrl);
  for (const [key, value] of Object.entries(req.query)) url.searchParams.set(key, value);
  url.searchParams.set('cursor', Buffer.from(`o:${from + limit}`).toString('base64url'));
  return { next: from + limit < items.length ? url.toString() : null, results: items.slice(from, from + limit) };
}

function decodeCursor(cursor: string | undefined): number {
  const match = cursor === undefined ? undefined : /^o:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  return match ? Number(match[1]) : 0;
}

/** Off (a workspace without them): 404 for every endpoint here, checked before anything else. */
function available(handler: (ctx: Ctx) => ApiResponse): (ctx: Ctx) => ApiResponse {
  return (ctx) => (ctx.state.conversationsEnabled ? handler(ctx) : notFound());
}

export const listConversations = available((ctx) => {
  const { study_id: study, broadcast_id: broadcast } = ctx.req.query;
  const found = threads(ctx.state).filter(
    (t) => (!study || t.conversation.studyId === study) && (!broadcast || t.conversation.broadcastId === broadcast),
  );
  return ok(
    cursorPage(
      ctx,
      found.map((t) => renderConversation(ctx.state, t)),
      CONVERSATIONS_PAGE,
    ),
  );
});

export const conversationMessages = available((ctx) => {
  // Not a member (or no such conversation): 404, as documented.
  const thread = threads(ctx.state).find((t) => t.conversation.id === ctx.params[0]);
  if (!thread) return notFound();
  return ok(cursorPage(ctx, thread.messages.map(renderMessage), CONVERSATIONS_PAGE));
});

/** Fields shared by a new conversation and a broadcast: subject, topic, body with their caps. */
function subjectTopicBody(fields: Fields, bodyRequired: boolean) {
  const subject = fields.text('subject');
  if (subject !== undefined && subject.length > MAX_SUBJECT)
    fields.fail('subject', `Ensure this field has no more than ${MAX_SUBJECT} characters.`);
  const topic = fields.text('topic');
  if (topic !== undefined && !(TOPICS as readonly string[]).includes(topic)) fields.fail('topic', `"${topic}" is not a valid choice.`);
  const body = bodyRequired || fields.has('body') ? fields.text('body') : null;
  if (typeof body === 'string' && body.length > MAX_CONVERSATION_BODY)
    fields.fail('body', `Ensure this field has no more than ${MAX_CONVERSATION_BODY} characters.`);
  return { subject, topic, body };
}

export const startConversation = available(({ state, req }) => {
  const parsed = readObject(req);
  if ('error' in parsed) return parsed.error;
  const fields = new Fields(parsed.data);
  const recipient = fields.id('recipient_id');
  const { subject, topic, body } = subjectTopicBody(fields, false);
  const study = fields.id('study_id', true);
  if (!fields.valid || !recipient || !subject || !topic || study === undefined || body === undefined)
    return nestedError(400, fields.errors);
  if (study !== null && !knownStudy(state, study)) return notFound();
  const conversation = newConversation(state, recipient, { subject, topic, studyId: study, broadcastId: null });
  if (body !== null) deliver(state, [recipient], body, study, 'conversation', () => conversation.id);
  return created(
    renderConversation(
      state,
      threads(state).find((t) => t.conversation.id === conversation.id)!,
    ),
  );
});

function newConversation(
  state: ApiState,
  recipient: string,
  about: Pick<FakeConversation, 'subject' | 'topic' | 'studyId' | 'broadcastId'>,
): FakeConversation {
  const conversation: FakeConversation = {
    id: randomBytes(12).toString('hex'),
    members: [state.seed.researcher.id, recipient],
    ...about,
    createdAt: new Date().toISOString(),
  };
  state.conversations.push(conversation);
  return conversation;
}

/** POST /messages/ with `conversation_id`: the body goes into that conversation, to its other member. */
export function sendIntoConversation(state: ApiState, conversationId: unknown, body: string): ApiResponse {
  if (typeof conversationId !== 'string') return nestedError(400, { conversation_id: ['Not a valid string.'] });
  const thread = threads(state).find((t) => t.conversation.id === conversationId);
  if (!thread) return notFound();
  const other = thread.conversation.members.find((id) => id !== state.seed.researcher.id)!;
  deliver(state, [other], body, thread.conversation.studyId, 'conversation', () => conversationId);
  return { status: 204 };
}

export const sendBroadcast = available(({ state, req }) => {
  const parsed = readObject(req);
  if ('error' in parsed) return parsed.error;
  const fields = new Fields(parsed.data);
  const id = fields.has('id') ? fields.text('id') : randomUUID();
  if (typeof id === 'string' && !BROADCAST_ID.test(id)) fields.fail('id', 'Must be a UUID or up to 64 letters, digits, "-" and "_".');
  const study = fields.id('study_id');
  const { subject, topic, body } = subjectTopicBody(fields, true);
  const recipients = fields.idList('recipient_ids');
  if (!fields.valid || !id || !study || !subject || !topic || !body || !recipients) return nestedError(400, fields.errors);
  // The same ID again: the broadcast it made, nothing sent twice (the point of a client-supplied ID).
  const existing = state.broadcasts.find((b) => b.id === id);
  if (existing) return ok(renderBroadcast(state, existing));
  if (!knownStudy(state, study)) return notFound();
  const distinct = [...new Set(recipients)];
  if (distinct.length > MAX_BROADCAST_RECIPIENTS)
    return nestedError(400, {
      recipient_ids: [`A broadcast can have at most ${MAX_BROADCAST_RECIPIENTS} recipients; this one has ${distinct.length}.`],
    });
  const submitted = new Set((state.seed.submissions[study] ?? []).map((s) => s.participant_id));
  const without = distinct.filter((p) => !submitted.has(p));
  if (without.length > 0)
    return nestedError(400, {
      recipient_ids: [`Every recipient needs a submission in this study. These have none: ${without.join(', ')}.`],
    });
  const broadcast: FakeBroadcast = { id, studyId: study, subject, topic, body, recipients: distinct, createdAt: new Date().toISOString() };
  state.broadcasts.push(broadcast);
  const conversations = new Map(
    distinct.map((p) => [p, newConversation(state, p, { subject, topic, studyId: study, broadcastId: id }).id]),
  );
  deliver(state, distinct, body, study, 'broadcast', (p) => conversations.get(p)!);
  return created(renderBroadcast(state, broadcast));
});

export const listBroadcasts = available((ctx) => {
  const study = ctx.req.query['study_id'];
  const found = ctx.state.broadcasts.filter((b) => !study || b.studyId === study).reverse(); // newest first
  return ok(
    cursorPage(
      ctx,
      found.map((b) => renderBroadcast(ctx.state, b)),
      BROADCASTS_PAGE,
    ),
  );
});

export const getBroadcast = available(({ state, params }) => {
  const broadcast = state.broadcasts.find((b) => b.id === params[0]);
  return broadcast ? ok(renderBroadcast(state, broadcast)) : notFound();
});

/** Two other people's conversation: the researcher is not a member, so reading it is a 404. */
export function somebodyElsesConversation(): FakeConversation {
  return {
    id: hexId('conversation:somebody-else'),
    members: [hexId('researcher:somebody-else'), participantId(999)],
    subject: 'Not yours',
    topic: 'other',
    studyId: null,
    broadcastId: null,
    createdAt: new Date(0).toISOString(),
  };
}

/** A message from a participant (a reply), into a conversation or their own thread with the researcher. */
export function receive(state: ApiState, from: string, body: string, conversationId?: string): void {
  if (!ID_PATTERN.test(from)) throw new TypeError('from must be a participant ID');
  if (conversationId !== undefined && !state.conversations.some((c) => c.id === conversationId && c.members.includes(from)))
    throw new TypeError(`${from} is not in conversation ${conversationId}`);
  state.messages.push({
    id: randomBytes(12).toString('hex'),
    senderId: from,
    recipientId: state.seed.researcher.id,
    body,
    createdAt: new Date().toISOString(),
    studyId: null,
    category: null,
    unread: true,
    ...(conversationId ? { conversationId } : {}),
  });
}
