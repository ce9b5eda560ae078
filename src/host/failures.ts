// Turns any failure into what the user is told: one sentence and the actions that fix it.
import { ProlificApiError, type ApiResource } from '../prolific/errors';
import { DRAFT_FIELDS, type DraftField, type FieldErrors } from '../shared/draft';
import { l10n } from '../shared/l10n';
import { KeyringError, SettingsError } from './errors';

/** What a notification offers to fix a failure; shown by its label (actionLabel). */
export type FixAction = 'Set API Token' | 'Open Settings' | 'Retry' | 'Show Log';

/** The button text of an action, in the user's language. */
export function actionLabel(action: FixAction): string {
  switch (action) {
    case 'Set API Token':
      return l10n.t('Set API Token');
    case 'Open Settings':
      return l10n.t('Open Settings');
    case 'Retry':
      return l10n.t('Retry');
    case 'Show Log':
      return l10n.t('Show Log');
  }
}

/** The action whose label the user picked in a notification, if any. */
export function chosenAction(label: string | undefined, actions: readonly FixAction[]): FixAction | undefined {
  return actions.find((a) => actionLabel(a) === label);
}

export interface FailureReport {
  message: string;
  actions: FixAction[];
  fieldErrors: FieldErrors;
  /** The server may have acted on the request: never resend without the user asking. */
  mayHaveReachedServer: boolean;
}

/** The form's name for a field, in the user's language. */
export function fieldLabel(field: DraftField): string {
  switch (field) {
    case 'recipient_id':
      return l10n.t('Participant ID');
    case 'study_id':
      return l10n.t('Study');
    case 'subject':
      return l10n.t('Subject');
    case 'topic':
      return l10n.t('Topic');
    case 'body':
      return l10n.t('Message');
  }
}

export function reportFailure(error: unknown, what: string): FailureReport {
  if (error instanceof SettingsError) {
    return { message: l10n.t('{0}: {1}', what, error.message), actions: ['Open Settings'], fieldErrors: {}, mayHaveReachedServer: false };
  }
  if (error instanceof KeyringError) {
    return { message: error.message, actions: ['Retry', 'Show Log'], fieldErrors: {}, mayHaveReachedServer: false };
  }
  if (!(error instanceof ProlificApiError)) {
    const text = error instanceof Error ? error.message : String(error);
    return { message: l10n.t('{0}: {1}', what, text), actions: ['Retry', 'Show Log'], fieldErrors: {}, mayHaveReachedServer: true };
  }
  const fieldErrors = knownFieldErrors(error.fieldErrors);
  const base = { fieldErrors, mayHaveReachedServer: error.mayHaveReachedServer };
  switch (error.kind) {
    case 'http':
      return httpFailure(error, what, base);
    case 'network':
    case 'timeout':
    case 'redirect':
      return {
        ...base,
        message: l10n.t('{0}: {1} Check the setting "prolific.apiBaseUrl" and your connection.', what, error.message),
        actions: ['Retry', 'Open Settings', 'Show Log'],
      };
    case 'cancelled':
      return { ...base, message: l10n.t('{0}: cancelled.', what), actions: ['Retry'] };
    default:
      return { ...base, message: l10n.t('{0}: {1}', what, error.message), actions: ['Retry', 'Show Log'] };
  }
}

/**
 * A failed send in words. One that timed out or lost its connection after the request went out
 * may have been delivered all the same, so it is not called "not sent": a Retry could message
 * the participant twice (a broadcast's Retry cannot: it sends the same ID).
 */
export function sendFailure(error: unknown, what: 'message' | 'reply' | 'broadcast'): FailureReport {
  const unknown = error instanceof ProlificApiError && error.mayHaveReachedServer && error.kind !== 'http';
  switch (what) {
    case 'message':
      return reportFailure(error, unknown ? l10n.t('Unknown whether the message was sent') : l10n.t('Message not sent'));
    case 'reply':
      return reportFailure(error, unknown ? l10n.t('Unknown whether the reply was sent') : l10n.t('Reply not sent'));
    case 'broadcast':
      return reportFailure(error, unknown ? l10n.t('Unknown whether the broadcast was sent') : l10n.t('Broadcast not sent'));
  }
}

/** A failure Prolific answered with an HTTP error status, worded for its status. */
function httpFailure(
  error: ProlificApiError,
  what: string,
  base: Pick<FailureReport, 'fieldErrors' | 'mayHaveReachedServer'>,
): FailureReport {
  const { fieldErrors } = base;
  if (error.status === 401) {
    return {
      ...base,
      message: l10n.t('{0}: Prolific rejected the API token (401). Set a valid API token and try again.', what),
      actions: ['Set API Token', 'Show Log'],
    };
  }
  if (error.status === 403) {
    const message = l10n.t(
      "{0}: Prolific refused access (403). Check that this token's account owns the study. {1}",
      what,
      error.detail ?? '',
    );
    return {
      ...base,
      message: message.trim(),
      actions: ['Set API Token', 'Show Log'],
    };
  }
  if (error.status === 429) {
    const seconds = error.retryAfterSeconds;
    const message = !seconds
      ? l10n.t('{0}: Prolific is receiving too many requests (429). Wait a moment, then retry.', what)
      : seconds === 1
        ? l10n.t('{0}: Prolific is receiving too many requests (429). Wait 1 second, then retry.', what)
        : l10n.t('{0}: Prolific is receiving too many requests (429). Wait {1} seconds, then retry.', what, seconds);
    return { ...base, message, actions: ['Retry', 'Show Log'] };
  }
  if (error.status === 404 && error.resource) {
    // The request named a study, group or workspace by ID, one the user picked from a list the
    // same base URL served: that one is missing, or hidden from this account (docs/prolific-api/related.md § 6).
    return { ...base, message: l10n.t('{0}: {1}', what, missingResource(error.resource)), actions: ['Show Log'] };
  }
  if (error.status === 404) {
    // The endpoints the extension calls exist, so a 404 on one that names nothing most likely
    // means the base URL is not Prolific's API (a wrong path prefix, say), which no retry fixes.
    return {
      ...base,
      message: l10n.t('{0}: {1} Check that the setting "prolific.apiBaseUrl" points at Prolific\'s API.', what, error.message),
      actions: ['Open Settings', 'Show Log'],
    };
  }
  if (Object.keys(fieldErrors).length > 0) {
    return {
      ...base,
      message: l10n.t('{0}: Prolific rejected the message ({1}). {2}', what, error.status ?? '', namedFieldErrors(fieldErrors)),
      actions: ['Show Log'],
    };
  }
  return { ...base, message: l10n.t('{0}: {1}', what, error.message), actions: ['Retry', 'Show Log'] };
}

/** A 404's meaning when the request named something by ID. */
function missingResource(resource: ApiResource): string {
  switch (resource.kind) {
    case 'study':
      return l10n.t("Prolific has no study with the ID {0}, or this token's account cannot see it (404).", resource.id);
    case 'participantGroup':
      return l10n.t("Prolific has no participant group with the ID {0}, or this token's account cannot see it (404).", resource.id);
    case 'workspace':
      return l10n.t("Prolific has no workspace with the ID {0}, or this token's account cannot see it (404).", resource.id);
  }
}

function knownFieldErrors(fields: Record<string, string[]>): FieldErrors {
  const result: FieldErrors = {};
  for (const key of DRAFT_FIELDS) {
    const messages = fields[key];
    if (messages?.length) result[key] = messages.join(' ');
  }
  return result;
}

/** "Participant ID: … Message: …": each field's error after the field's name. */
export function namedFieldErrors(errors: FieldErrors): string {
  return DRAFT_FIELDS.filter((f) => errors[f])
    .map((f) => l10n.t('{0}: {1}', fieldLabel(f), errors[f] ?? ''))
    .join(' ');
}
