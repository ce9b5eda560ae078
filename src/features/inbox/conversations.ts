// Groups inbox messages into conversations, one per participant. Pure: no vscode.
//
// A message names only its sender, so a message the researcher wrote cannot be attributed from
// the message alone. Two ways in: threadFor, for messages fetched with `?user_id=X` (all of them
// belong to X), and the `ownerOf` hint of groupConversations (e.g. the cache's owners map).
import type { InboxMessage } from '../../prolific/messageTypes';

/** All messages with one participant, oldest first. */
export interface Conversation {
  participantId: string;
  messages: InboxMessage[];
  /** IDs of messages from the participant that Prolific reports as unread and that were not read here. */
  unreadIds: string[];
  /** IDs of messages that Prolific reports as unread but the researcher has read here (see CacheFile.readHere). */
  readHereIds: string[];
  /** The study and category of the latest message that names one. */
  studyId: string | null;
  category: string | null;
  channelId: string | null;
  /** Where Prolific has conversations: the one this row is (a participant may be in several), and its subject. */
  conversationId?: string;
  subject?: string | null;
}

/**
 * One participant's thread from messages that are known to belong to it (fetched with
 * `?user_id=participantId`, or read from the cache for that participant), whoever sent each.
 */
export function threadFor(
  participantId: string,
  messages: InboxMessage[],
  unreadIds: ReadonlySet<string>,
  readHere: ReadonlySet<string> = new Set(),
): Conversation {
  const sorted = dedupe(messages).sort(oldestFirst);
  const latest = (pick: (m: InboxMessage) => string | null): string | null => {
    for (let i = sorted.length - 1; i >= 0; i--) {
      const value = pick(sorted[i]);
      if (value) return value;
    }
    return null;
  };
  // Only the participant's own messages can be unread for the researcher.
  const unreadOnProlific = sorted.filter((m) => m.senderId === participantId && unreadIds.has(m.id)).map((m) => m.id);
  return {
    participantId,
    messages: sorted,
    unreadIds: unreadOnProlific.filter((id) => !readHere.has(id)),
    readHereIds: unreadOnProlific.filter((id) => readHere.has(id)),
    // Each from the latest message naming one: a reply without a study keeps the thread's study.
    studyId: latest((m) => m.studyId),
    category: latest((m) => m.category),
    channelId: latest((m) => m.channelId),
  };
}

/**
 * Conversations from a mixed list (unread, recent, the whole cache), newest first by last message.
 * A message belongs to `ownerOf(m)` when that knows, else to its sender unless the sender is the
 * researcher (`myId`). The researcher's own messages that `ownerOf` cannot place are left out:
 * showing them under the researcher's own ID would make a conversation with themself. With
 * `myId` null (not known yet) every sender counts as a participant.
 */
export function groupConversations(
  messages: InboxMessage[],
  unreadIds: ReadonlySet<string>,
  myId: string | null,
  ownerOf?: (message: InboxMessage) => string | undefined,
  readHere?: ReadonlySet<string>,
): Conversation[] {
  const byParticipant = new Map<string, InboxMessage[]>();
  for (const message of messages) {
    const hint: unknown = ownerOf?.(message);
    // typeof: a hint read from a plain object could be an inherited property, not a string.
    const owner = typeof hint === 'string' && hint ? hint : message.senderId !== myId ? message.senderId : undefined;
    if (!owner) continue;
    const list = byParticipant.get(owner);
    if (list) list.push(message);
    else byParticipant.set(owner, [message]);
  }
  return [...byParticipant]
    .map(([participantId, list]) => threadFor(participantId, list, unreadIds, readHere))
    .sort((a, b) => lastTime(b) - lastTime(a) || compare(a.participantId, b.participantId));
}

/**
 * Text for a list row or tooltip: one line, runs of whitespace (newlines included) collapsed to
 * one space, control and bidi-override characters removed (a participant's text must not
 * reorder the row around it), at most `max` characters including the closing "…". Cuts between
 * whole characters, so an emoji such as 👍🏽 is never split.
 */
export function preview(text: string, max: number): string {
  const line = text
    .replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/[\s\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .trim();
  if (max < 1) return '';
  const parts: string[] = [];
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(line)) {
    if (parts.length === max)
      return `${parts
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
    parts.push(segment);
  }
  return line;
}

/** Later copies of a message replace earlier ones: pass fresher data last. */
function dedupe(messages: InboxMessage[]): InboxMessage[] {
  return [...new Map(messages.map((m) => [m.id, m])).values()];
}

/** Sort order inside a conversation. */
export function oldestFirst(a: InboxMessage, b: InboxMessage): number {
  // Ties broken by id so the order is the same on every refresh.
  return Date.parse(a.createdAt) - Date.parse(b.createdAt) || compare(a.id, b.id);
}

function lastTime(c: Conversation): number {
  const last = c.messages[c.messages.length - 1];
  return last ? Date.parse(last.createdAt) : 0;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
