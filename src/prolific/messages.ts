// Turns the API's messages, in either of their field-name variants, into InboxMessage.
// Pure: no vscode, no network.
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
