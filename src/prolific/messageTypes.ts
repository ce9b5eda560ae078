// A message as the API client returns it, normalised from the API's two field-name variants
// (sent_at or datetime_created, sender_id or sender); see messages.ts. Pure: no vscode.

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
