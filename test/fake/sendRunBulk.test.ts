// runBulk with the real client against the fake Prolific API. Chunks go one at a time, in order;
// the first failure of a chunk (of any kind) stops the run and the later chunks are skipped, so
// nothing is sent blindly after an outcome the user has not seen (see sendRun.ts).
import assert from 'node:assert/strict';
import { parseBaseUrl } from '../../src/prolific/baseUrl';
import { ProlificClient } from '../../src/prolific/client';
import type { RunReport } from '../../src/shared/outcomes';
import { bulkStoppedReason, cancelledReason, runBulk, type RunProgress } from '../../src/features/send/sendRun';
import { startFakeProlific, type FakeProlific } from '../fake-prolific/server';
import { SEED_IDS, participantId } from '../fake-prolific/seed';

const TOKEN = 'tok_BULK_1f2e3d4c5b6a79881726354a';
const BULK = '/api/v1/messages/bulk/';
const STUDY = SEED_IDS.studies.reading;
const FAST = { backoff: { baseMs: 20, maxMs: 100 } };

function ids(count: number): string[] {
  return Array.from({ length: count }, (_, n) => participantId(n));
}

describe('runBulk against the fake Prolific API', function () {
  this.timeout(10_000);

  let fake: FakeProlific;
  let client: ProlificClient;
  const posts = () => fake.requests.filter((r) => r.path === BULK);
  const sendChunk = (chunk: string[], signal: AbortSignal) =>
    client.sendBulk({ ids: chunk, body: 'Thank you for taking part.', study_id: STUDY }, signal);

  /** Each ID received at most once, and exactly the ones reported sent. */
  function assertAccounted(report: RunReport, input: string[]): void {
    assert.deepEqual(
      report.outcomes.map((o) => o.id),
      input,
    );
    const received = fake.sent().map((m) => m.recipient_id);
    assert.equal(new Set(received).size, received.length, 'nobody was messaged twice');
    assert.deepEqual(
      received,
      report.outcomes.filter((o) => o.status === 'sent').map((o) => o.id),
    );
  }

  function statuses(report: RunReport): string[] {
    return report.outcomes.map((o) => `${o.status}${o.retryable === undefined ? '' : `:${o.retryable}`}`);
  }

  before(async () => {
    fake = await startFakeProlific({ token: TOKEN });
    const parsed = parseBaseUrl(fake.url);
    assert.ok(parsed.ok);
    client = new ProlificClient({ baseUrl: parsed.url, token: TOKEN, timeoutMs: 5_000, userAgent: 'test' });
  });
  beforeEach(() => fake.reset());
  after(async () => {
    await fake?.close();
  });

  it('4,001 IDs in chunks of 4,000: exactly two POSTs, in order', async () => {
    const input = ids(4001);
    const progress: RunProgress[] = [];
    const report = await runBulk(input, 4000, sendChunk, { onProgress: (p) => progress.push(p) });
    assert.deepEqual(report.counts, { sent: 4001, failed: 0, skipped: 0, unknown: 0 });
    assert.deepEqual(
      posts().map((r) => (r.body as { ids: string[] }).ids),
      [input.slice(0, 4000), input.slice(4000)],
    );
    assertAccounted(report, input);
    assert.deepEqual(
      progress.map((p) => p.done),
      [4000, 4001],
    );
  });

  it('a chunk failing with 500: its IDs failed and not retryable, later chunks skipped, nothing resent', async () => {
    // The first request takes the no-op delay rule, so the 500 meets the second chunk.
    fake.inject({ path: BULK, times: 1, fault: { kind: 'delay', ms: 0 } });
    fake.inject({ path: BULK, times: 1, fault: { kind: 'status', status: 500 } });
    const input = ids(25);
    const report = await runBulk(input, 10, sendChunk, FAST);
    assertAccounted(report, input);
    assert.deepEqual(statuses(report), [...Array(10).fill('sent'), ...Array(10).fill('failed:false'), ...Array(5).fill('skipped')]);
    assert.match(report.outcomes[10].reason ?? '', /server error \(500/);
    assert.equal(report.outcomes[20].reason, bulkStoppedReason());
    assert.equal(posts().length, 2);
    assert.equal(report.cancelled, false);
  });

  it('a chunk refused with 400: its IDs failed and retryable, later chunks skipped', async () => {
    const input = ids(25);
    input[13] = 'not-an-id';
    const report = await runBulk(input, 10, sendChunk, FAST);
    assertAccounted(report, input);
    assert.deepEqual(statuses(report), [...Array(10).fill('sent'), ...Array(10).fill('failed:true'), ...Array(5).fill('skipped')]);
    assert.match(report.outcomes[10].reason ?? '', /400 Bad Request/);
    assert.equal(posts().length, 2);
  });

  it('a 429 on a chunk is waited out and the same chunk resent, then the run goes on', async () => {
    fake.inject({ path: BULK, times: 1, fault: { kind: 'delay', ms: 0 } });
    fake.inject({ path: BULK, times: 2, fault: { kind: 'rateLimit' } });
    const input = ids(25);
    const report = await runBulk(input, 10, sendChunk, FAST);
    assertAccounted(report, input);
    assert.deepEqual(report.counts, { sent: 25, failed: 0, skipped: 0, unknown: 0 });
    assert.deepEqual(
      posts().map((r) => (r.body as { ids: string[] }).ids[0]),
      [input[0], input[10], input[10], input[10], input[20]],
    );
  });

  it('a 401 stops the run with its reason', async () => {
    fake.inject({ path: BULK, times: 1, fault: { kind: 'delay', ms: 0 } });
    fake.inject({ path: BULK, times: 1, fault: { kind: 'status', status: 401, body: { detail: 'Invalid token.' } } });
    const report = await runBulk(ids(30), 10, sendChunk, FAST);
    assert.deepEqual(report.counts, { sent: 10, failed: 10, skipped: 10, unknown: 0 });
    assert.equal(report.outcomes[29].reason, 'Not sent: Prolific rejected the request (401 Unauthorized): Invalid token.');
  });

  it('cancel between chunks: the chunk in flight finishes, the rest are skipped', async () => {
    fake.inject({ path: BULK, fault: { kind: 'delay', ms: 50 } });
    const controller = new AbortController();
    const input = ids(30);
    const report = await runBulk(input, 10, sendChunk, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.sent > 0) controller.abort();
      },
    });
    assertAccounted(report, input);
    assert.equal(report.cancelled, true);
    assert.deepEqual(report.counts, { sent: 10, failed: 0, skipped: 20, unknown: 0 });
    assert.ok(report.outcomes.slice(10).every((o) => o.reason === cancelledReason()));
    assert.equal(posts().length, 1);
  });

  it('refuses a chunk size below 1; an empty list sends nothing', async () => {
    await assert.rejects(runBulk(ids(3), 0, sendChunk, {}), RangeError);
    await assert.rejects(runBulk(ids(3), 1.5, sendChunk, {}), RangeError);
    assert.deepEqual((await runBulk([], 10, sendChunk, {})).counts, { sent: 0, failed: 0, skipped: 0, unknown: 0 });
    assert.equal(fake.requests.length, 0);
  });
});
