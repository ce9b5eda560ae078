// A message being written (the compose form's draft) and its validation before any request,
// shared by the compose page (inline errors), the draft store and the message service (which
// trusts no caller). Pure: no vscode, no DOM.
import { l10n } from './l10n';
import { isHexId } from './recipients/participantIds';

/** The form's fields; the names are the HTML `name` attributes and the API's JSON keys. */
export interface Draft {
  recipient_id: string;
  study_id: string;
  body: string;
}

export type DraftField = keyof Draft;
/** The fields in form order. */
export const DRAFT_FIELDS: readonly DraftField[] = ['recipient_id', 'study_id', 'body'];
export type FieldErrors = Partial<Record<DraftField, string>>;
/** Some fields of a draft: what one side changed, so the other never rewrites a field it did not. */
export type DraftChanges = Partial<Draft>;

export const EMPTY_DRAFT: Draft = { recipient_id: '', study_id: '', body: '' };

/** What a send tells the form that asked for it: sent, or why not (by field where it can). */
export type SendResult = { ok: true } | { ok: false; fieldErrors: FieldErrors; message: string };

/** @param toList the form sends to a list (bulk, group): the recipient field is not used. */
export function validateDraft(draft: Draft, toList = false): FieldErrors {
  const errors: FieldErrors = {};
  const recipient = draft.recipient_id.trim();
  if (toList) {
    // The list was checked when it was built.
  } else if (!recipient) errors.recipient_id = l10n.t('Enter the participant ID of the recipient.');
  else if (!isHexId(recipient)) errors.recipient_id = l10n.t('A participant ID is 24 hexadecimal characters (0-9, a-f).');
  const study = draft.study_id.trim();
  if (!study) errors.study_id = l10n.t('Choose the study this message is about.');
  else if (!isHexId(study))
    errors.study_id = l10n.t('Choose one of your studies, or paste a study ID (24 hexadecimal characters, 0-9 and a-f).');
  if (!draft.body.trim()) errors.body = l10n.t('Write a message.');
  return errors;
}

/** The draft as it is sent: IDs trimmed and lower-cased, the body as typed. */
export function normalizeDraft(draft: Draft): Draft {
  return {
    recipient_id: draft.recipient_id.trim().toLowerCase(),
    study_id: draft.study_id.trim().toLowerCase(),
    body: draft.body,
  };
}
