// A message being written (the compose form's draft) and its validation before any request,
// shared by the compose page (inline errors), the draft store and the message service (which
// trusts no caller). Pure: no vscode, no DOM.
import { l10n } from './l10n';
import { CONVERSATION_TOPICS } from './topics';
import { isHexId } from './recipients/participantIds';

/** The form's fields; the names are the HTML `name` attributes and the API's JSON keys. */
export interface Draft {
  recipient_id: string;
  study_id: string;
  /**
   * Empty or absent for a plain message. Where Prolific has conversations, a subject starts one with
   * that title; to a list, it makes the message a broadcast (a conversation with each participant).
   */
  subject?: string;
  /** The conversation's topic (CONVERSATION_TOPICS); used only with a subject. */
  topic?: string;
  body: string;
}

export type DraftField = keyof Draft;
/** The fields in form order. */
export const DRAFT_FIELDS: readonly DraftField[] = ['recipient_id', 'study_id', 'subject', 'topic', 'body'];
/** The fields a plain message leaves out (absent or empty): a conversation's subject and topic. */
export const CONVERSATION_FIELDS = ['subject', 'topic'] as const satisfies readonly DraftField[];
export const isConversationField = (f: DraftField): boolean => (CONVERSATION_FIELDS as readonly DraftField[]).includes(f);
export type FieldErrors = Partial<Record<DraftField, string>>;
/** Some fields of a draft: what one side changed, so the other never rewrites a field it did not. */
export type DraftChanges = Partial<Draft>;

export const EMPTY_DRAFT: Draft = { recipient_id: '', study_id: '', body: '' };

/** Prolific's cap on a conversation's subject (§ 6). */
export const MAX_SUBJECT_LENGTH = 500;

/** What a send tells the form that asked for it: sent, or why not (by field where it can). */
export type SendResult = { ok: true } | { ok: false; fieldErrors: FieldErrors; message: string };

/** Who the form sends to: the recipient field, a list of IDs, or a participant group. */
export type SendsTo = 'single' | 'list' | 'group';

/**
 * @param to a list or a group leaves the recipient field unused. A subject goes with one
 *   participant (a conversation) or a list (a broadcast), never a group.
 */
export function validateDraft(draft: Draft, to: SendsTo = 'single'): FieldErrors {
  const errors: FieldErrors = {};
  const recipient = draft.recipient_id.trim();
  if (to !== 'single') {
    // The list was checked when it was built.
  } else if (!recipient) errors.recipient_id = l10n.t('Enter the participant ID of the recipient.');
  else if (!isHexId(recipient)) errors.recipient_id = l10n.t('A participant ID is 24 hexadecimal characters (0-9, a-f).');
  const study = draft.study_id.trim();
  if (!study) errors.study_id = l10n.t('Choose the study this message is about.');
  else if (!isHexId(study))
    errors.study_id = l10n.t('Choose one of your studies, or paste a study ID (24 hexadecimal characters, 0-9 and a-f).');
  const subject = draft.subject?.trim() ?? '';
  if (subject && to === 'group')
    errors.subject = l10n.t('A participant group gets a plain message: clear the subject to send to the group.');
  else if (subject.length > MAX_SUBJECT_LENGTH)
    errors.subject = l10n.t('A subject has at most {0} characters; this one has {1}.', MAX_SUBJECT_LENGTH, subject.length);
  else if (subject && !(CONVERSATION_TOPICS as readonly string[]).includes(draft.topic ?? ''))
    errors.topic = l10n.t('Choose a topic for the conversation.');
  if (!draft.body.trim()) errors.body = l10n.t('Write a message.');
  return errors;
}

/** The draft as it is sent: IDs trimmed and lower-cased, the body as typed; a subject trimmed, with its topic, only when there is one. */
export function normalizeDraft(draft: Draft): Draft {
  const subject = draft.subject?.trim();
  return {
    recipient_id: draft.recipient_id.trim().toLowerCase(),
    study_id: draft.study_id.trim().toLowerCase(),
    body: draft.body,
    ...(subject ? { subject, topic: draft.topic ?? '' } : {}),
  };
}
