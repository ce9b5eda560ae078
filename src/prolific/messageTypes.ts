// The inbox's data, normalised from the API's two field-name variants (sent_at or
// datetime_created, sender_id or sender). Pure: no vscode.

export type MessageCategory = 'payment-timing' | 'payment-issues' | 'technical-issues' | 'feedback' | 'rejections' | 'other';

export interface InboxMessage {
  id: string;
  /** Who wrote it: a participant, or the researcher (the user) for their own messages. */
  senderId: string;
  body: string;
  /** ISO 8601. */
  createdAt: string;
  channelId: string | null;
  studyId: string | null;
  category: string | null;
}

/** All messages with one participant, oldest first. */
export interface Conversation {
  participantId: string;
  messages: InboxMessage[];
  /** IDs of messages from the participant that Prolific still reports as unread. */
  unreadIds: string[];
  /** The study and category of the latest message that names one. */
  studyId: string | null;
  category: string | null;
  channelId: string | null;
}
