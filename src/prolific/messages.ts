// Turns the API's messages, in either of their field-name variants, into InboxMessage; and reads
// InboxMessage back from the on-disk cache. Pure: no vscode, no network.
import * as z from 'zod/mini';
import { Message, isoTime } from './schemas';
import type { InboxMessage } from './messageTypes';

/**
 * One message as the API sent it, or null when it cannot be shown: no id, no body, no sender
 * (`sender_id` / `sender`) or no readable time (`datetime_created` / `sent_at`). Callers drop
 * such a message rather than failing the whole list. The body is kept exactly as received: it is
 * the participant's text, shown as text (never HTML) wherever it is displayed.
 */
export function normalizeMessage(raw: unknown): InboxMessage | null {
  const parsed = Message.safeParse(raw);
  if (!parsed.success) return null;
  const m = parsed.data;
  // The checks in Message guarantee one of each pair; documented names first.
  const senderId = m.sender_id || m.sender;
  const createdAt = isoTime(m.datetime_created || m.sent_at || '');
  if (!senderId || !createdAt) return null;
  return {
    id: m.id,
    senderId,
    body: m.body,
    createdAt,
    channelId: m.channel_id || null,
    studyId: m.data?.study_id || null,
    category: m.data?.category || null,
  };
}

const nullableText = z.nullable(z.string());

/** InboxMessage as the cache stores it. Optional fields missing from an older file read as null. */
const StoredMessage = z.object({
  id: z.string().check(z.minLength(1)),
  senderId: z.string().check(z.minLength(1)),
  body: z.string(),
  createdAt: z.string(),
  channelId: z.optional(nullableText),
  studyId: z.optional(nullableText),
  category: z.optional(nullableText),
});

/** An InboxMessage read back from storage, or null when it is not one. */
export function readStoredMessage(raw: unknown): InboxMessage | null {
  const parsed = StoredMessage.safeParse(raw);
  if (!parsed.success) return null;
  const m = parsed.data;
  const createdAt = isoTime(m.createdAt);
  if (!createdAt) return null;
  return {
    id: m.id,
    senderId: m.senderId,
    body: m.body,
    createdAt,
    channelId: m.channelId ?? null,
    studyId: m.studyId ?? null,
    category: m.category ?? null,
  };
}
