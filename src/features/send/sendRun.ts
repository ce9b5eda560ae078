// The send engine: sends to many participants and accounts for every one of them. No vscode, so
// it is tested against the fake API in plain Node.
//
// What it protects against: a participant messaged twice, or silently not at all.
// - It resends automatically only when the failure proves the message was not processed: 429
//   (the server refused it) and connection refused (nothing was sent). A timeout, a reset, a 5xx
//   or an unreadable answer may come after the message was delivered, so those are never resent;
//   they end as failed with retryable false and the user decides.
// - A 429 pauses the whole run, not just the worker that got it: the run slows to what the
//   server allows instead of hammering it with the other workers. An item gives up after
//   `maxAutoRetries` refusals in a row with nothing sent anywhere in the run between them: a
//   server that refuses everything ends the item, while one unlucky item in a run that is getting
//   through keeps its place (it was refused only because the run was at the server's limit).
// - Cancel starts nothing new but lets requests in flight finish, so their outcome is known
//   (sent or failed) rather than "may have been sent". The signal given to `send` therefore
//   does not fire on cancel; it exists so the API matches the client's.
// - A 401 or a settings/keyring failure would fail every later request the same way: the run
//   stops and the rest are skipped, which "Retry Failed" offers again once it is fixed.
// - Bulk chunks stop at the first failure of any kind. After an uncertain one (5xx, timeout) the
//   later chunks are not sent blindly; after a refusal (400, 403...) the same refusal is likely
//   for the next chunk. Either way the user sees what happened and chooses (skipped ones are
//   retryable).
import { sleep } from '../../shared/sleep';
import { l10n } from '../../shared/l10n';
import { ProlificApiError } from '../../prolific/errors';
import { KeyringError, SettingsError } from '../../host/errors';
import { countOutcomes, type RecipientOutcome, type RunCounts, type RunReport } from '../../shared/outcomes';

export interface RunItem {
  id: string;
  body: string;
}

export interface RunProgress {
  done: number;
  total: number;
  sent: number;
  failed: number;
  /** While the run is paused by a 429: whole seconds left to wait. */
  waitingSeconds?: number;
}

export interface RunOptions {
  /** Requests in flight at once (personalized sends); bulk chunks always go one at a time. */
  concurrency: number;
  /** Cancel: start nothing new, let requests in flight finish, skip the rest. */
  signal?: AbortSignal;
  onProgress?: (p: RunProgress) => void;
  /** Automatic resends per item, for 429 and connection refused only, in a row while nothing in the run is sent. Default 8. */
  maxAutoRetries?: number;
  /** Wait before a resend when the server gave no Retry-After. Default 1000 / 60000 ms. */
  backoff?: { baseMs: number; maxMs: number };
}

/** Why a participant was not attempted because the run was cancelled. */
export function cancelledReason(): string {
  return l10n.t('Cancelled before sending.');
}

/** Why the rest of a bulk send was not attempted after a batch failed. */
export function bulkStoppedReason(): string {
  return l10n.t('Not sent: an earlier batch failed, so sending stopped.');
}

/** One message per participant (POST /messages/ each), up to `concurrency` at once. */
export async function runPersonalized(
  items: RunItem[],
  send: (item: RunItem, signal: AbortSignal) => Promise<void>,
  options: RunOptions,
): Promise<RunReport> {
  checkCount('concurrency', options.concurrency);
  const tasks = items.map((item, index) => ({ indexes: [index], run: (signal: AbortSignal) => send(item, signal) }));
  const ids = items.map((i) => i.id);
  return new Run(ids, options, false).execute(tasks, options.concurrency);
}

/** Bulk: the IDs in chunks of `chunkSize`, sent one after another in order (POST /messages/bulk/ each). */
export async function runBulk(
  ids: string[],
  chunkSize: number,
  sendChunk: (ids: string[], signal: AbortSignal) => Promise<void>,
  options: Omit<RunOptions, 'concurrency'>,
): Promise<RunReport> {
  checkCount('chunkSize', chunkSize);
  const tasks = [];
  for (let start = 0; start < ids.length; start += chunkSize) {
    const chunk = ids.slice(start, start + chunkSize);
    tasks.push({ indexes: chunk.map((_, i) => start + i), run: (signal: AbortSignal) => sendChunk(chunk, signal) });
  }
  return new Run(ids, options, true).execute(tasks, 1);
}

interface Task {
  /** Positions in the input covered by this request: one item, or a whole chunk. */
  indexes: number[];
  run: (signal: AbortSignal) => Promise<void>;
}

class Run {
  private readonly outcomes: (RecipientOutcome | undefined)[];
  private readonly maxAutoRetries: number;
  private readonly backoff: { baseMs: number; maxMs: number };
  /** Wakes every waiting worker when the run stops (cancel or a fatal error). */
  private readonly wake = new AbortController();
  /** Given to `send`; never aborted, so requests in flight finish (see the top of the file). */
  private readonly sendSignal = new AbortController().signal;
  /** Kept as outcomes settle, so progress costs O(1) per request even for long lists. */
  private readonly counts: RunCounts = { sent: 0, failed: 0, skipped: 0, unknown: 0 };
  /** Requests that succeeded so far: tells an item whether the run got through during its refusals. */
  private successes = 0;
  private stopReason: string | undefined;
  private pausedUntil = 0;
  private pauseReported = false;
  private next = 0;

  constructor(
    private readonly ids: string[],
    private readonly options: Omit<RunOptions, 'concurrency'>,
    /** Bulk: any failure stops the run. */
    private readonly stopOnFailure: boolean,
  ) {
    this.outcomes = ids.map(() => undefined);
    this.maxAutoRetries = options.maxAutoRetries ?? 8;
    this.backoff = options.backoff ?? { baseMs: 1000, maxMs: 60_000 };
  }

  async execute(tasks: Task[], concurrency: number): Promise<RunReport> {
    const signal = this.options.signal;
    const onAbort = () => this.stop(cancelledReason());
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const worker = async () => {
        while (this.stopReason === undefined && this.next < tasks.length) await this.runTask(tasks[this.next++]);
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, worker));
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    // Whatever was not started (or was waiting to be resent after a proven non-delivery) was not sent.
    const reason = this.stopReason ?? cancelledReason();
    const outcomes = this.outcomes.map((o, i): RecipientOutcome => o ?? { id: this.ids[i], status: 'skipped', reason });
    const counts = countOutcomes(outcomes);
    if (counts.skipped > 0) this.report(counts);
    return { outcomes, counts, cancelled: signal?.aborted === true };
  }

  private async runTask(task: Task): Promise<void> {
    /** Successes in the run when this item's current streak of refusals began. */
    let streakStart = this.successes;
    for (let attempt = 1; ; attempt++) {
      await this.waitWhilePaused();
      if (this.stopReason !== undefined) return;
      try {
        await task.run(this.sendSignal);
        this.successes++;
        this.settle(task, { status: 'sent' });
        return;
      } catch (error) {
        // Refusals count in a row only while nothing in the run gets through (see the top).
        if (this.successes > streakStart) {
          attempt = 1;
          streakStart = this.successes;
        }
        const resend = attempt <= this.maxAutoRetries ? provenNotProcessed(error) : undefined;
        if (resend === 'rateLimited') {
          // "Retry-After: 0" gives no useful pace, so it backs off like a 429 without the header.
          const seconds = (error as ProlificApiError).retryAfterSeconds;
          this.pause(seconds ? seconds * 1000 : this.backoffMs(attempt));
          continue;
        }
        if (resend === 'refused') {
          await sleep(this.backoffMs(attempt), this.wake.signal);
          continue;
        }
        const reason = error instanceof Error && error.message ? error.message : l10n.t('The message could not be sent.');
        this.settle(task, { status: 'failed', reason, retryable: notDelivered(error) });
        if (isFatal(error)) this.stop(l10n.t('Not sent: {0}', reason));
        else if (this.stopOnFailure) this.stop(bulkStoppedReason());
        return;
      }
    }
  }

  private settle(task: Task, outcome: Omit<RecipientOutcome, 'id'>): void {
    for (const index of task.indexes) this.outcomes[index] = { id: this.ids[index], ...outcome };
    this.counts[outcome.status] += task.indexes.length;
    this.progress();
  }

  /** The first reason wins: a cancel after a fatal error does not rename the skipped ones. */
  private stop(reason: string): void {
    this.stopReason ??= reason;
    this.wake.abort();
  }

  /** Pauses every worker; a later 429 can only lengthen the pause. */
  private pause(ms: number): void {
    const until = Date.now() + ms;
    if (until <= this.pausedUntil) return;
    this.pausedUntil = until;
    this.pauseReported = true;
    this.progress();
  }

  private async waitWhilePaused(): Promise<void> {
    // A loop, because another 429 may extend the pause while this worker sleeps.
    for (let left = this.pausedUntil - Date.now(); left > 0 && this.stopReason === undefined; left = this.pausedUntil - Date.now()) {
      await sleep(left, this.wake.signal);
    }
    if (this.pauseReported && this.stopReason === undefined) {
      this.pauseReported = false;
      this.progress();
    }
  }

  /** Exponential, with jitter so workers refused together do not come back together. */
  private backoffMs(attempt: number): number {
    const { baseMs, maxMs } = this.backoff;
    const ceiling = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
    return ceiling / 2 + (Math.random() * ceiling) / 2;
  }

  private progress(): void {
    this.report(this.counts);
  }

  private report(counts: RunCounts): void {
    const left = this.pausedUntil - Date.now();
    const waiting = left > 0 && this.stopReason === undefined ? { waitingSeconds: Math.ceil(left / 1000) } : {};
    try {
      this.options.onProgress?.({
        done: counts.sent + counts.failed + counts.skipped,
        total: this.ids.length,
        sent: counts.sent,
        failed: counts.failed,
        ...waiting,
      });
    } catch {
      // A broken progress display must not change who gets a message.
    }
  }
}

/** Why a failure proves the message was not processed (so it may be resent), or undefined. */
function provenNotProcessed(error: unknown): 'rateLimited' | 'refused' | undefined {
  if (!(error instanceof ProlificApiError) || error.mayHaveReachedServer) return undefined;
  if (error.kind === 'http' && error.status === 429) return 'rateLimited';
  if (error.kind === 'network' && error.code === 'ECONNREFUSED') return 'refused';
  return undefined;
}

/**
 * True when the failure proves the message was not delivered. Settings and keyring failures
 * happen before any request, so they count too; any other unknown error might not have.
 */
export function notDelivered(error: unknown): boolean {
  if (error instanceof ProlificApiError) return !error.mayHaveReachedServer;
  return error instanceof SettingsError || error instanceof KeyringError;
}

function isFatal(error: unknown): boolean {
  if (error instanceof ProlificApiError) return error.kind === 'http' && error.status === 401;
  return error instanceof SettingsError || error instanceof KeyringError;
}

function checkCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a whole number of at least 1, not ${value}.`);
}
