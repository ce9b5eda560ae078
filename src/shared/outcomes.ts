// The result of sending to many participants: every ID ends as exactly one of sent, failed,
// skipped (not sent) or unknown (may have received it: the send was interrupted while its request
// was on its way), so a report always accounts for everyone. Pure: no vscode.

export type RecipientStatus = 'sent' | 'failed' | 'skipped' | 'unknown';

export interface RecipientOutcome {
  id: string;
  status: RecipientStatus;
  /** A sentence for failed and skipped ones. */
  reason?: string;
  /**
   * Failed only: true when the failure proves the message was not delivered (a 4xx answer,
   * connection refused...), so "Retry Failed" may send it again. False when it may have
   * arrived (timeout, reset, 5xx): it is never resent by itself.
   */
  retryable?: boolean;
}

export interface RunCounts {
  sent: number;
  failed: number;
  skipped: number;
  /** May have received it (see RecipientStatus); never resent by the extension. */
  unknown: number;
}

export interface RunReport {
  outcomes: RecipientOutcome[];
  counts: RunCounts;
  cancelled: boolean;
}

export function countOutcomes(outcomes: readonly RecipientOutcome[]): RunCounts {
  const counts: RunCounts = { sent: 0, failed: 0, skipped: 0, unknown: 0 };
  for (const o of outcomes) counts[o.status]++;
  return counts;
}

/** The IDs "Retry Failed" may send to again: failed and proven undelivered, or skipped. */
export function retryableIds(outcomes: readonly RecipientOutcome[]): string[] {
  return outcomes.filter((o) => o.status === 'skipped' || (o.status === 'failed' && o.retryable === true)).map((o) => o.id);
}
