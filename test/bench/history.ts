// What the sent history costs as it grows, and what writing ahead costs a run.
//
// Recording one run (a single send: planned, tried, sent, ended), in a history that already
// holds 200 runs of 10,000 recipients each (bulk runs, every outcome kept), against the same in an
// empty history. After: the HistoryStore of today (a small index plus one journal per run; at the
// cap of 200, each new run removes the oldest run's file). Before: what the store before journals
// did on every send, rebuilt here with node:fs as it was (JSON.stringify of every entry, written to
// a temporary file and renamed over history.json), counted from a warm cache (no read or parse, as
// in the window that wrote the file last); from another window it also read and parsed the file.
//
// The journal's cost per message: a personalized run of 10,000 through the run engine with a send
// that answers at once, journaled (before each request a line, after its answer another) and not.
// Each sample in a fresh storage folder, in turns; printed as ms per message and as a ratio.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HistoryStore } from '../../src/features/history/historyStore';
import { summaryOf } from '../../src/features/history/historyIndex';
import { readJournal } from '../../src/features/history/runJournal';
import { journaled } from '../../src/features/send/journaled';
import { runPersonalized } from '../../src/features/send/sendRun';
import { info, measured, median, ms, ratio, spread } from './report';

const RUNS = 200;
const id = (n: number) => n.toString(16).padStart(24, '0');

export async function benchHistory(quick: boolean): Promise<void> {
  const perRun = quick ? 1_000 : 10_000;
  const samples = quick ? 5 : 20;
  const root = mkdtempSync(join(tmpdir(), 'prolific-bench-history-'));
  try {
    info(
      'history',
      `${RUNS} bulk runs of ${perRun.toLocaleString('en-US')} recipients, every outcome kept; then ${samples} single sends recorded`,
    );
    const big = join(root, 'big');
    const bytes = await fillHistory(big, perRun);
    info('  on disk (journals + index)', `${(bytes / 1e6).toFixed(1)} MB`);
    const empty = join(root, 'empty');
    mkdirSync(empty);
    const [inBig, inEmpty] = [await recordRuns(big, samples), await recordRuns(empty, samples)];
    info('after: record one run, history of 200 × ' + perRun.toLocaleString('en-US'), spread(inBig, ms));
    info('after: record one run, empty history', spread(inEmpty, ms));
    const growth = median(inBig) / median(inEmpty);
    measured('recording a run: full history vs empty (medians)', ratio(growth), '≤ 1.50×', growth <= 1.5);

    const old = await oldHistory(join(root, 'old'), perRun);
    info('before: history.json', `${(old.bytes / 1e6).toFixed(1)} MB`);
    info('before: record one run (warm: stringify, write, rename)', spread(old.warm, ms));
    info('before: record one run (from another window: + read, parse)', spread(old.cold, ms));
    info('  before / after (medians, warm)', ratio(median(old.warm) / median(inBig)));

    const messages = quick ? 2_000 : 10_000;
    const plain: number[] = [];
    const written: number[] = [];
    for (let i = 0; i < (quick ? 3 : 7); i++) {
      plain.push(await personalizedRun(join(root, `plain-${i}`), messages, false));
      written.push(await personalizedRun(join(root, `journal-${i}`), messages, true));
    }
    info(`personalized run of ${messages.toLocaleString('en-US')}, instant answers, no journal`, spread(plain, ms));
    info('  the same, journaled', spread(written, ms));
    const perMessage = (median(written) - median(plain)) / messages;
    measured('journal overhead per message (medians)', ms(perMessage), '≤ 0.10 ms', perMessage <= 0.1);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** What the bench's run number `r` was: the same in the journals and in the old history.json. */
function runFields(r: number, perRun: number) {
  return {
    id: `run-${r}`,
    time: new Date(Date.UTC(2026, 0, 1, 0, r)).toISOString(),
    kind: 'bulk',
    studyId: id(999_999_999),
    body: `Wave ${r}: thank you for taking part.`,
    recipientCount: perRun,
  };
}

/** Writes 200 ended journals and their index, as recording them one by one would have left them. */
async function fillHistory(storage: string, perRun: number): Promise<number> {
  const runs = join(storage, 'history', 'runs');
  mkdirSync(runs, { recursive: true });
  const summaries = [];
  let bytes = 0;
  for (let r = 0; r < RUNS; r++) {
    const ids = Array.from({ length: perRun }, (_, n) => id(r * perRun + n));
    const header = { t: 'run', ...runFields(r, perRun), owner: { pid: 1, host: 'bench' } };
    const lines = [header];
    for (let s = 0; s < perRun; s += 1000) lines.push({ t: 'plan', ids: ids.slice(s, s + 1000) } as never);
    for (let s = 0; s < perRun; s += 500)
      lines.push({ t: 'try', ids: ids.slice(s, s + 500) } as never, { t: 'sent', ids: ids.slice(s, s + 500) } as never);
    lines.push({ t: 'end', cancelled: false } as never);
    const text = lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
    bytes += text.length;
    writeFileSync(join(runs, `run-${r}.jsonl`), text);
    const record = readJournal(text);
    if (!record) throw new Error('bench journal unreadable');
    summaries.unshift({ ...summaryOf(record), state: 'done' as const });
  }
  const index = JSON.stringify({ version: 2, runs: summaries });
  writeFileSync(join(storage, 'history', 'index.json'), index);
  return bytes + index.length;
}

/** Records `count` single sends through the store; the wall time of each. */
async function recordRuns(storage: string, count: number): Promise<number[]> {
  const store = new HistoryStore(storage, () => RUNS);
  await store.list(); // the store's first use (reading the index) is not part of recording
  const times: number[] = [];
  for (let n = 0; n < count; n++) {
    const t0 = performance.now();
    const run = await store.startRun({ kind: 'single', studyId: id(1), body: `Message ${n}`, recipientCount: 1, items: [{ id: id(n) }] });
    await run.trying([id(n)]);
    await run.sent([id(n)]);
    await run.end({ cancelled: false });
    times.push(performance.now() - t0);
  }
  return times;
}

/** The store before journals: its file, and the time of its add(), warm and after reading. */
async function oldHistory(dir: string, perRun: number): Promise<{ bytes: number; warm: number[]; cold: number[] }> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'history.json');
  let entries = Array.from({ length: RUNS }, (_, r) => ({
    ...runFields(r, perRun),
    counts: { sent: perRun, failed: 0, skipped: 0 },
    cancelled: false,
    outcomes: Array.from({ length: perRun }, (_, n) => ({ id: id(r * perRun + n), status: 'sent' })),
  }));
  const save = async () => {
    const temp = `${file}.${Math.random()}.tmp`;
    await writeFile(temp, JSON.stringify({ version: 1, entries }));
    await rename(temp, file);
  };
  await save();
  const warm: number[] = [];
  const cold: number[] = [];
  for (let n = 0; n < 5; n++) {
    const single = { ...entries[0], id: `new-${n}`, recipientCount: 1, outcomes: [{ id: id(n), status: 'sent' }] };
    let t0 = performance.now();
    entries = [single, ...entries].slice(0, RUNS);
    await save();
    warm.push(performance.now() - t0);
    t0 = performance.now();
    entries = (JSON.parse(await readFile(file, 'utf8')) as { entries: typeof entries }).entries;
    entries = [{ ...single, id: `again-${n}` }, ...entries].slice(0, RUNS);
    await save();
    cold.push(performance.now() - t0);
  }
  const bytes = (await readFile(file)).length;
  return { bytes, warm, cold };
}

/** One personalized run of `count` whose every request is answered at once; its wall time. */
async function personalizedRun(storage: string, count: number, withJournal: boolean): Promise<number> {
  const items = Array.from({ length: count }, (_, n) => ({ id: id(n), body: `Hello ${n}` }));
  const store = new HistoryStore(storage, () => RUNS);
  const answer = () => new Promise<void>((resolve) => setImmediate(resolve));
  const t0 = performance.now();
  if (withJournal) {
    const writer = await store.startRun({ kind: 'personalized', studyId: id(1), body: 'Hello {n}', recipientCount: count, items });
    const report = await runPersonalized(items, (item) => journaled(writer, [item.id], answer), { concurrency: 4 });
    await writer.end({ cancelled: report.cancelled });
  } else {
    await runPersonalized(items, () => answer(), { concurrency: 4 });
  }
  return performance.now() - t0;
}
