// VS Code dying mid-send, 50 times over. A child process sends a personalized run of 30 to the fake
// through the extension's own history store, journal, run engine and client (test/support/
// killWorker.ts); the test SIGKILLs it at a random point (after 0 to 29 requests reached the
// fake, so before, during and after the plan is written), then starts another process that
// resumes what the dead one left, as the Resume button does. The fake's log must show nobody
// messaged twice, and the only ones left without the message must be those the journal calls
// "may have received it": at most the concurrency of them per kill.
// The loop runs in the integration layer, inside the extension host, but the process it kills is
// a child: the extension host can't SIGKILL itself 50 times and go on testing. The UI test
// (test/ui/interrupted.test.ts) kills a real extension host once.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HistoryStore } from '../../src/features/history/historyStore';
import { startFakeProlific, type FakeProlific } from '../fake-prolific/server';
import { SEED_IDS, participantId } from '../fake-prolific/seed';
import { SEED, prng } from '../support/random';

const KILLS = 50;
const PER_RUN = 30;
const CONCURRENCY = 4;
const STUDY = SEED_IDS.studies.reading;
const WORKER = join(__dirname, '..', 'support', 'killWorker.js');

interface Worker {
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  kill(): void;
}

function startWorker(args: string[]): Worker {
  const child = spawn(process.execPath, [WORKER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { exited, kill: () => child.kill('SIGKILL') };
}

/** Resolves when `condition` holds, checking every few ms; the fake answers in between (same process). */
async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe('killed mid-send, resumed: the kill loop', function () {
  this.timeout(600_000);
  let fake: FakeProlific;
  let storage: string;

  before(async () => {
    fake = await startFakeProlific({ latency: { ms: 15, jitterMs: 10 } });
    storage = mkdtempSync(join(tmpdir(), 'prolific-kill-'));
  });
  after(async () => {
    await fake.close();
    rmSync(storage, { recursive: true, force: true });
  });

  it(`survives ${KILLS} SIGKILLs at random points: nobody messaged twice, at most ${CONCURRENCY} unknown per kill`, async () => {
    const random = prng(SEED);
    const posts = () => fake.requests.filter((r) => r.method === 'POST').length;
    const common = [storage, fake.url, fake.token, STUDY];
    let kills = 0;
    let finishedFirst = 0;
    let beforeRecorded = 0;
    const unknownPerKill: number[] = [];
    let missing = 0;
    for (let round = 0; kills < KILLS; round++) {
      assert.ok(round < KILLS * 2, 'most runs are killed before they finish');
      fake.reset();
      const items = Array.from({ length: PER_RUN }, (_, n) => ({
        id: participantId(round * 1000 + n),
        body: `Round ${round}, participant ${n}`,
      }));
      const itemsFile = join(storage, 'items.json');
      writeFileSync(itemsFile, JSON.stringify(items));

      const killAt = Math.floor(random() * (PER_RUN - 1));
      const sending = startWorker(['start', ...common, itemsFile, String(CONCURRENCY)]);
      let done = false;
      void sending.exited.then(() => (done = true));
      await until(() => done || posts() >= killAt, `${killAt} requests`);
      sending.kill();
      const died = await sending.exited;
      if (died.signal !== 'SIGKILL') {
        assert.equal(died.code, 0, died.stderr);
        finishedFirst++;
        continue;
      }
      kills++;

      const store = new HistoryStore(storage, () => 200);
      const interrupted = (await store.list()).filter((r) => r.interrupted);
      assert.ok(interrupted.length <= 1, 'only the run just killed is interrupted');
      const entry = interrupted[0] && (await store.get(interrupted[0].id));
      const unknown = new Set(entry?.outcomes.filter((o) => o.status === 'unknown').map((o) => o.id));
      if (!entry) {
        // Killed before the run was on disk in full: sends start only after that, so nothing left.
        beforeRecorded++;
        await until(() => fake.sent().length === posts(), 'the fake to answer what it got');
        assert.equal(posts(), 0, `round ${round}: a request left before the run was recorded`);
        continue;
      }
      unknownPerKill.push(unknown.size);
      assert.ok(unknown.size <= CONCURRENCY, `round ${round}: ${unknown.size} unknown`);

      const resuming = startWorker(['resume', ...common, '-', String(CONCURRENCY)]);
      const resumed = await resuming.exited;
      assert.equal(resumed.code, 0, resumed.stderr);
      await until(() => fake.sent().length === posts(), 'the fake to answer what it got');

      const received = fake.sent().map((m) => m.recipient_id);
      assert.equal(new Set(received).size, received.length, `round ${round}: somebody was messaged twice`);
      const got = new Set(received);
      const left = items.filter((i) => !got.has(i.id)).map((i) => i.id);
      for (const id of left) assert.ok(unknown.has(id), `round ${round}: ${id} was left out but not reported as "may have received it"`);
      missing += left.length;
      for (const m of fake.sent()) assert.equal(m.body, items.find((i) => i.id === m.recipient_id)?.body, 'each got their own text');
      const after = (await new HistoryStore(storage, () => 200).list()).find((r) => r.id === entry.id);
      assert.deepEqual([after?.state, after?.interrupted], ['done', false], 'the resumed run is finished');
    }
    const sorted = [...unknownPerKill].sort((a, b) => a - b);
    console.log(
      `      kill loop (seed ${SEED}): ${kills} kills survived (${beforeRecorded} before the run was on disk, ${finishedFirst} runs finished before their kill), ` +
        `duplicates 0, unknown per kill min/median/max ${sorted[0] ?? 0}/${sorted[Math.floor(sorted.length / 2)] ?? 0}/${sorted.at(-1) ?? 0} ` +
        `(limit ${CONCURRENCY}), left without the message after Resume: ${missing} in all`,
    );
  });
  it('records the runs of processes sending at once on one profile, losing none', async () => {
    // Each process is a window's extension host: its own store on the same storage folder.
    fake.reset();
    const shared = mkdtempSync(join(tmpdir(), 'prolific-windows-'));
    try {
      const workers = Array.from({ length: 8 }, (_, w) => {
        const itemsFile = join(shared, `items-${w}.json`);
        writeFileSync(itemsFile, JSON.stringify([0, 1, 2].map((n) => ({ id: participantId(900_000 + w * 10 + n), body: `Window ${w}` }))));
        return startWorker(['start', shared, fake.url, fake.token, STUDY, itemsFile, String(CONCURRENCY)]);
      });
      for (const { code, stderr } of await Promise.all(workers.map((w) => w.exited))) assert.equal(code, 0, stderr);
      const runs = await new HistoryStore(shared, () => 200).list();
      assert.equal(runs.length, 8, 'every run is in the index');
      assert.deepEqual(
        runs.map((r) => r.counts.sent),
        Array(8).fill(3),
      );
      assert.equal(fake.sent().length, 24);
    } finally {
      rmSync(shared, { recursive: true, force: true });
    }
  });
});
