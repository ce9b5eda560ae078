// Validation of a message before any request, shared by the compose page (inline errors)
// and the message service (which trusts no caller). Pure: no vscode, no DOM.
import { l10n } from './l10n';
import type { Draft, FieldErrors } from '../webviews/compose/protocol';
import { isHexId } from './recipients/participantIds';

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
  if (!study) errors.study_id = l10n.t('Enter the ID of the study this message is about.');
  else if (!isHexId(study)) errors.study_id = l10n.t('A study ID is 24 hexadecimal characters (0-9, a-f).');
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
