// One request of a run, written ahead: the journal names who it is for before it leaves and says
// what happened once it is answered. Plain Node (no vscode), like the run engine it wraps.
import type { ProlificClient } from '../../prolific/client';
import { l10n } from '../../shared/l10n';
import { notDelivered, type RunItem } from './sendRun';

/** Where a run's events go (RunJournal, or the history's RunWriter around it). */
export interface RunLog {
  trying(ids: readonly string[]): Promise<void>;
  sent(ids: readonly string[]): Promise<void>;
  failed(ids: readonly string[], reason: string, retryable: boolean): Promise<void>;
}

/**
 * Sends `request` for `ids`, journaled. A failure is recorded (retryable when it proves the
 * message was not delivered) and thrown on, so the run engine decides what comes next.
 */
export async function journaled(log: RunLog, ids: readonly string[], request: () => Promise<void>): Promise<void> {
  await log.trying(ids);
  try {
    await request();
  } catch (error) {
    const reason = error instanceof Error && error.message ? error.message : l10n.t('The message could not be sent.');
    await log.failed(ids, reason, notDelivered(error));
    throw error;
  }
  await log.sent(ids);
}

/** A personalized run's sender: one journaled POST /messages/ per participant. */
export function journaledMessages(
  log: RunLog,
  client: ProlificClient,
  studyId: string,
): (item: RunItem, signal: AbortSignal) => Promise<void> {
  return (item, signal) =>
    journaled(log, [item.id], () => client.sendMessage({ recipient_id: item.id, body: item.body, study_id: studyId }, signal));
}
