// Turns any failure into what the user is told: one sentence and the actions that fix it.
import { ProlificApiError } from './api/errors';
import type { DraftField, FieldErrors } from './compose/protocol';
import { KeyringError, SettingsError } from './errors';

export type FixAction = 'Set API Token' | 'Open Settings' | 'Retry' | 'Show Log';

export interface FailureReport {
  message: string;
  actions: FixAction[];
  fieldErrors: FieldErrors;
  /** The server may have acted on the request: never resend without the user asking. */
  mayHaveReachedServer: boolean;
}

export const FIELD_LABELS: Record<DraftField, string> = {
  recipient_id: 'Participant ID',
  study_id: 'Study',
  body: 'Message',
};

export function reportFailure(error: unknown, what: string): FailureReport {
  if (error instanceof SettingsError) {
    return { message: `${what}: ${error.message}`, actions: ['Open Settings'], fieldErrors: {}, mayHaveReachedServer: false };
  }
  if (error instanceof KeyringError) {
    return { message: error.message, actions: ['Retry', 'Show Log'], fieldErrors: {}, mayHaveReachedServer: false };
  }
  if (!(error instanceof ProlificApiError)) {
    const text = error instanceof Error ? error.message : String(error);
    return { message: `${what}: ${text}`, actions: ['Retry', 'Show Log'], fieldErrors: {}, mayHaveReachedServer: true };
  }
  const fieldErrors = knownFieldErrors(error.fieldErrors);
  const base = { fieldErrors, mayHaveReachedServer: error.mayHaveReachedServer };
  switch (error.kind) {
    case 'http':
      if (error.status === 401) {
        return { ...base, message: `${what}: Prolific rejected the API token (401). Set a valid API token and try again.`, actions: ['Set API Token', 'Show Log'] };
      }
      if (error.status === 403) {
        return { ...base, message: `${what}: Prolific refused access (403). Check that this token's account owns the study. ${error.detail ?? ''}`.trim(), actions: ['Set API Token', 'Show Log'] };
      }
      if (error.status === 429) {
        const seconds = error.retryAfterSeconds;
        const wait = seconds ? ` Wait ${seconds} second${seconds === 1 ? '' : 's'}, then retry.` : ' Wait a moment, then retry.';
        return { ...base, message: `${what}: Prolific is receiving too many requests (429).${wait}`, actions: ['Retry', 'Show Log'] };
      }
      if (error.status === 404) {
        // The endpoints the extension calls exist, so a 404 most likely means the base URL is not
        // Prolific's API (a wrong path prefix, say), which no retry fixes.
        return { ...base, message: `${what}: ${error.message} Check that the setting "prolific.apiBaseUrl" points at Prolific's API.`, actions: ['Open Settings', 'Show Log'] };
      }
      if (Object.keys(fieldErrors).length > 0) {
        const named = (Object.keys(fieldErrors) as DraftField[]).map((f) => `${FIELD_LABELS[f]}: ${fieldErrors[f]}`);
        return { ...base, message: `${what}: Prolific rejected the message (${error.status}). ${named.join(' ')}`, actions: ['Show Log'] };
      }
      return { ...base, message: `${what}: ${error.message}`, actions: ['Retry', 'Show Log'] };
    case 'network':
    case 'timeout':
    case 'redirect':
      return { ...base, message: `${what}: ${error.message} Check the setting "prolific.apiBaseUrl" and your connection.`, actions: ['Retry', 'Open Settings', 'Show Log'] };
    case 'cancelled':
      return { ...base, message: `${what}: cancelled.`, actions: ['Retry'] };
    default:
      return { ...base, message: `${what}: ${error.message}`, actions: ['Retry', 'Show Log'] };
  }
}

function knownFieldErrors(fields: Record<string, string[]>): FieldErrors {
  const result: FieldErrors = {};
  for (const key of Object.keys(FIELD_LABELS) as DraftField[]) {
    const messages = fields[key];
    if (messages?.length) result[key] = messages.join(' ');
  }
  return result;
}
