// Messages between the conversation page (src/webviews/apps/conversation/page.ts) and its host
// (src/features/inbox/conversationPanel.ts). Bodies are participants' text: the page shows them with
// textContent only, never as HTML.
import type { InboxMessage } from '../../prolific/messageTypes';

export interface ThreadView {
  participantId: string;
  /** The researcher's own user ID, to tell their messages from the participant's. */
  myId: string | null;
  messages: InboxMessage[];
  studyId: string | null;
  studyName: string | null;
  category: string | null;
  /** True while a refresh is running. */
  loading: boolean;
  /** A sentence when the thread could not be refreshed (cached messages are still shown). */
  error: string | null;
}

/** Page → host. */
export type ConversationPageMessage =
  | { type: 'ready' }
  | { type: 'reply'; requestId: number; body: string }
  | { type: 'refresh' }
  | { type: 'openInProlific' };

/** Host → page. */
export type ConversationHostMessage =
  | { type: 'thread'; thread: ThreadView }
  /** Answer to `reply`: on ok the page clears its reply box; otherwise it keeps it and shows `error`. */
  | { type: 'replyResult'; requestId: number; ok: boolean; error?: string };
