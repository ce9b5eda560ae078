// The fake's message store: what every send endpoint does with what it accepts.
import { createHash, randomBytes } from 'node:crypto';
import { nestedError, type ApiResponse } from './responses';
import type { ApiState } from './routes';
import type { StoredMessage } from './seed';
import type { SentMessage } from './server';

export function knownStudy(state: ApiState, id: string): boolean {
  return state.seed.studies.some((s) => s.id === id);
}

export const invalidStudy = (): ApiResponse => nestedError(400, 'study ID is invalid');

export function deliver(
  state: ApiState,
  recipients: string[],
  body: string,
  studyId: string | null,
  via: SentMessage['via'],
  /** The conversation each recipient's message goes into; by default the pair's own thread (threadId). */
  conversationOf?: (recipient: string) => string,
): void {
  const time = Date.now();
  // Stored verbatim: the docs say bodies are "sanitised" without saying how, so the fake does not
  // guess and clients must escape on display. A repeated recipient is delivered (and logged in
  // sent()) once per occurrence: the docs do not say Prolific drops repeats, and a fake that did
  // would hide a client posting duplicates.
  for (const recipient of recipients) {
    const conversationId = conversationOf?.(recipient);
    state.sent.push({
      recipient_id: recipient,
      body,
      study_id: studyId,
      via,
      time,
      ...(conversationId ? { conversation_id: conversationId } : {}),
    });
    state.messages.push({
      ...(conversationId ? { conversationId } : {}),
      id: randomBytes(12).toString('hex'),
      senderId: state.seed.researcher.id,
      recipientId: recipient,
      body,
      createdAt: new Date(time).toISOString(),
      studyId,
      category: null,
      unread: false,
    });
  }
}

/** The thread ID: stable per pair of users and 64 hex long like the real one. */
export function channelId(a: string, b: string): string {
  return createHash('sha256').update([a, b].sort().join(':')).digest('hex');
}

/** The conversation a message belongs to: the one it was sent into, else the pair's own thread. */
export function threadId(m: StoredMessage): string {
  return m.conversationId ?? channelId(m.senderId, m.recipientId);
}
