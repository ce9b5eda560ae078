// The unread poller's timing: backoff after failures, Retry-After, the cap, and "off".
import assert from 'node:assert/strict';
import { ProlificApiError } from '../../src/prolific/errors';
import { PollSchedule } from '../../src/features/inbox/pollSchedule';

const MINUTE = 60_000;

function rateLimited(retryAfterSeconds?: number): ProlificApiError {
  return new ProlificApiError({ kind: 'http', status: 429, mayHaveReachedServer: false, message: 'Too many requests.', retryAfterSeconds });
}

const serverError = new ProlificApiError({ kind: 'http', status: 502, mayHaveReachedServer: true, message: 'Bad gateway.' });

/** nextDelay after each of `errors`, in minutes. */
function delays(schedule: PollSchedule, errors: unknown[]): number[] {
  return errors.map((error) => {
    schedule.onFailure(error);
    return schedule.nextDelay() / MINUTE;
  });
}

describe('PollSchedule', () => {
  it('polls at the interval while all is well', () => {
    const schedule = new PollSchedule({ intervalMs: 5 * MINUTE });
    assert.equal(schedule.nextDelay(), 5 * MINUTE);
    schedule.onSuccess();
    assert.equal(schedule.nextDelay(), 5 * MINUTE);
    assert.equal(schedule.failures, 0);
  });

  it('doubles the wait from the interval on each failure, up to the 60-minute default cap', () => {
    const schedule = new PollSchedule({ intervalMs: 5 * MINUTE });
    assert.deepEqual(
      delays(schedule, [serverError, new Error('offline'), 'odd', serverError, serverError, serverError]),
      [10, 20, 40, 60, 60, 60],
    );
    assert.equal(schedule.failures, 6);
  });

  it('resets to the interval after a success', () => {
    const schedule = new PollSchedule({ intervalMs: MINUTE });
    delays(schedule, [serverError, serverError, serverError]);
    schedule.onSuccess();
    assert.equal(schedule.failures, 0);
    assert.equal(schedule.nextDelay(), MINUTE);
    assert.deepEqual(delays(schedule, [serverError]), [2], 'backoff starts over too');
  });

  it('honours Retry-After when longer than the backoff, and the backoff when longer', () => {
    const schedule = new PollSchedule({ intervalMs: MINUTE });
    assert.deepEqual(delays(schedule, [rateLimited(15 * 60)]), [15]);
    // Retry-After is a one-off: the next failure continues the backoff (4 minutes), not 2 × 15.
    assert.deepEqual(delays(schedule, [serverError, rateLimited(30), rateLimited(), rateLimited(0)]), [4, 8, 16, 32]);
  });

  it('caps a huge Retry-After too, so a bad header cannot silence the inbox for a day', () => {
    const schedule = new PollSchedule({ intervalMs: MINUTE, maxBackoffMs: 30 * MINUTE });
    assert.deepEqual(delays(schedule, [rateLimited(24 * 60 * 60)]), [30]);
  });

  it('a custom cap applies, but never below the interval', () => {
    assert.deepEqual(
      delays(new PollSchedule({ intervalMs: MINUTE, maxBackoffMs: 3 * MINUTE }), [serverError, serverError, serverError]),
      [2, 3, 3],
    );
    const slow = new PollSchedule({ intervalMs: 90 * MINUTE });
    assert.deepEqual(delays(slow, [serverError, rateLimited(60)]), [90, 90]);
  });

  it('a cancelled poll changes nothing', () => {
    const schedule = new PollSchedule({ intervalMs: MINUTE });
    schedule.onFailure(new ProlificApiError({ kind: 'cancelled', mayHaveReachedServer: false, message: 'Cancelled.' }));
    assert.equal(schedule.failures, 0);
    assert.equal(schedule.nextDelay(), MINUTE);
  });

  it('an interval of 0 (or nonsense) means off, whatever happens', () => {
    for (const intervalMs of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      const schedule = new PollSchedule({ intervalMs });
      assert.equal(schedule.nextDelay(), Infinity, String(intervalMs));
      schedule.onFailure(rateLimited(60));
      assert.equal(schedule.nextDelay(), Infinity, String(intervalMs));
      schedule.onSuccess();
      assert.equal(schedule.nextDelay(), Infinity, String(intervalMs));
    }
  });
});
