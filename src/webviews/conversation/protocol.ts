// Every message between the conversation page (src/webviews/apps/conversation/page.ts) and its
// host (src/features/inbox/conversationPanel.ts), both ways. Both ends import it, so each message
// is typed at both. The page is untrusted: the host checks what arrives against
// `pageMessageSchema` (zod) before use. The page imports this file's types only (`import type`),
// so zod stays out of its bundle. Bodies are participants' text: the page shows them with
// textContent only, never as HTML.
import * as z from 'zod/mini';

/** One message of the thread, as the page shows it (the host maps the inbox's messages to it). */
export interface ThreadMessage {
  id: string;
  /** Who wrote it: the participant, or the researcher (the user) for their own messages. */
  senderId: string;
  body: string;
  /** ISO 8601. */
  createdAt: string;
}

export interface ThreadView {
  participantId: string;
  /** The conversation's subject, where Prolific has conversations and it has one. */
  subject: string | null;
  /** The researcher's own user ID, to tell their messages from the participant's. */
  myId: string | null;
  messages: ThreadMessage[];
  studyId: string | null;
  studyName: string | null;
  /** The name of the thread's message category, already in the user's language. */
  categoryLabel: string | null;
  /** True while a refresh is running. */
  loading: boolean;
  /** A sentence when the thread could not be refreshed (cached messages are still shown). */
  error: string | null;
}

// --- page → host ---

export const pageMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('refresh') }),
  z.object({ type: z.literal('openInProlific') }),
  z.object({
    type: z.literal('reply'),
    requestId: z.number().check(z.int(), z.nonnegative()),
    body: z.string().check(z.maxLength(100_000)),
  }),
]);

/** Page → host: exactly what `pageMessageSchema` accepts. */
export type PageMessage = z.infer<typeof pageMessageSchema>;

/** The host's check of a message from the page: a clean copy with only the known keys, or undefined. */
export function parsePageMessage(value: unknown): PageMessage | undefined {
  const result = pageMessageSchema.safeParse(value);
  return result.success ? result.data : undefined;
}

// --- host → page (the page checks these itself: apps/conversation/hostMessages.ts) ---

export type HostMessage =
  | { type: 'thread'; thread: ThreadView }
  /** Answer to `reply`: on ok the page clears its reply box; otherwise it keeps it and shows `error`. */
  | { type: 'replyResult'; requestId: number; ok: boolean; error?: string }
  /** A message to this participant was delivered (also by a Retry from a notification): the page
   *  clears its reply box if it still holds that text and no reply of its own is on the way. */
  | { type: 'delivered'; body: string };
