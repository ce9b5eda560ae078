// When the unread poller asks next. Pure timing, no timers: the caller sets its own timeout to
// nextDelay() and reports each poll's outcome, which keeps this testable without a clock.
import { ProlificApiError } from '../../prolific/errors';

export interface PollScheduleOptions {
  /** The normal gap between polls; 0 (or less) turns polling off. */
  intervalMs: number;
  /** Longest wait after failures, Retry-After included. Default 60 minutes; never below intervalMs. */
  maxBackoffMs?: number;
}

const DEFAULT_MAX_BACKOFF_MS = 60 * 60 * 1000;

export class PollSchedule {
  private readonly intervalMs: number;
  private readonly capMs: number;
  private failureCount = 0;
  /** interval × 2^failures, capped; Retry-After does not feed into it. */
  private backoffMs: number;
  /** The backoff, or longer when the server asked for it. */
  private delayMs: number;

  constructor(options: PollScheduleOptions) {
    this.intervalMs = Number.isFinite(options.intervalMs) && options.intervalMs > 0 ? options.intervalMs : 0;
    const max = options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS;
    // Backing off must never poll more often than normal.
    this.capMs = Math.max(Number.isFinite(max) && max > 0 ? max : DEFAULT_MAX_BACKOFF_MS, this.intervalMs);
    this.backoffMs = this.intervalMs;
    this.delayMs = this.intervalMs;
  }

  /** Milliseconds until the next poll; Infinity when polling is off. */
  nextDelay(): number {
    return this.intervalMs === 0 ? Infinity : this.delayMs;
  }

  /** Consecutive failures since the last success. */
  get failures(): number {
    return this.failureCount;
  }

  onSuccess(): void {
    this.failureCount = 0;
    this.backoffMs = this.intervalMs;
    this.delayMs = this.intervalMs;
  }

  /**
   * Each failure doubles the wait, from the interval (2×, 4×, … the interval) up to the cap. When
   * the server said how long to wait (Retry-After, sent with 429), the wait is at least that, but
   * still capped: a bogus header of a day must not silence the inbox for a day. Retry-After is a
   * one-off: the failure after it doubles the backoff, not the server's wait. A cancelled poll is
   * nobody's failure and changes nothing.
   */
  onFailure(error: unknown): void {
    if (error instanceof ProlificApiError && error.kind === 'cancelled') return;
    this.failureCount++;
    const retryAfterMs = error instanceof ProlificApiError && error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : 0;
    this.backoffMs = Math.min(this.capMs, this.backoffMs * 2);
    this.delayMs = Math.min(this.capMs, Math.max(this.backoffMs, retryAfterMs));
  }
}
