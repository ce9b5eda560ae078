// Shape checks for what reaches the conversation page: host messages and the saved webview
// state. As on the compose page (../compose/hostMessages.ts), a `message` event may not come from
// our host in our format (another extension version, a stale host, a devtools console), so
// anything unexpected is ignored. Every accepted value is a clean copy with only the known fields.
import type { HostMessage, ThreadMessage, ThreadView } from '../../conversation/protocol';
import { errorText, isNullableString, isRequestId } from '../shared/checks';
import { isRecord } from '../../../shared/guards';

function threadMessage(v: unknown): ThreadMessage | null {
  if (!isRecord(v)) return null;
  const { id, senderId, body, createdAt } = v;
  if (typeof id !== 'string' || typeof senderId !== 'string' || typeof body !== 'string' || typeof createdAt !== 'string') return null;
  return { id, senderId, body, createdAt };
}

/**
 * A clean copy of a well-formed thread, or null. All or nothing: a thread with one malformed
 * message is refused rather than shown with a gap the researcher cannot see.
 */
export function parseThread(v: unknown): ThreadView | null {
  if (!isRecord(v)) return null;
  const { participantId, subject, myId, messages, studyId, studyName, categoryLabel, loading, error } = v;
  if (typeof participantId !== 'string' || participantId === '' || !isNullableString(myId)) return null;
  if (!isNullableString(studyId) || !isNullableString(studyName) || !isNullableString(categoryLabel) || !isNullableString(subject))
    return null;
  if (typeof loading !== 'boolean' || !isNullableString(error) || !Array.isArray(messages)) return null;
  const clean: ThreadMessage[] = [];
  for (const m of messages) {
    const message = threadMessage(m);
    if (!message) return null;
    clean.push(message);
  }
  return { participantId, subject, myId, messages: clean, studyId, studyName, categoryLabel, loading, error: error === '' ? null : error };
}

/** Returns a clean copy of a well-formed host message, or null for anything else. */
export function parseHostMessage(data: unknown): HostMessage | null {
  if (!isRecord(data)) return null;
  switch (data.type) {
    case 'thread': {
      const thread = parseThread(data.thread);
      return thread ? { type: 'thread', thread } : null;
    }
    case 'replyResult': {
      if (!isRequestId(data.requestId) || typeof data.ok !== 'boolean') return null;
      if (data.error !== undefined && typeof data.error !== 'string') return null;
      const error = errorText(data.error);
      return error === undefined
        ? { type: 'replyResult', requestId: data.requestId, ok: data.ok }
        : { type: 'replyResult', requestId: data.requestId, ok: data.ok, error };
    }
    case 'delivered':
      return typeof data.body === 'string' ? { type: 'delivered', body: data.body } : null;
    default:
      return null;
  }
}

/** What the page keeps with setState: the reply being written, so hiding the tab keeps it. */
export interface PageState {
  reply: string;
}

export function parsePageState(v: unknown): PageState | null {
  return isRecord(v) && typeof v.reply === 'string' ? { reply: v.reply } : null;
}
