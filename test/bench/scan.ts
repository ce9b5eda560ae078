// Reading participant IDs out of a large CSV, as "Message Participants in This File" does for a
// .csv (audienceCommands.ts: openCsv, detectFileIdColumn, readRows for the column picker's sample,
// recipientsFromFile), against a plain RegExp.exec loop over the same text that collects every
// match. The CSV is Prolific-like: the IDs are in the fourth column ("Participant id"), one in five
// is in upper case and one in twenty in mixed case, and one row in ten repeats an earlier
// participant (in whatever case that row has); no other column holds 24 hex digits.
//
// Warm: in one child process, the median of 7 rounds (3 in --quick), each round the exec loop then
// the pipeline, each after a full GC so that neither pays for the other's garbage. Both have run
// once, untimed, before the first round (the pipeline for the memory figures), so neither pays for
// its first compilation. Each result stays alive until the next round replaces it. Wall time is
// the budgeted figure; CPU time is printed too, since a busy machine inflates it less.
//
// Cold: the first scan of a process, as a user's first "Message Participants in This File" is: a
// fresh child process for each run, which makes the CSV, runs a full GC and times one run of either
// the pipeline or the exec loop (7 of each, 3 in --quick, in turns).
//
// Memory: in the warm child process (with --expose-gc), so that its figures start clean:
//   peak RSS growth while the pipeline runs: the kernel's own peak (VmHWM, reset through
//   /proc/self/clear_refs just before), or where that is missing the RSS sampled every millisecond by
//   a worker thread (the pipeline is synchronous, so the main thread cannot sample itself; on a busy
//   machine the worker can miss the peak, so the larger of the two counts), from a heap with
//   no garbage in it (after a full GC, with the CSV made outside the heap, and once RSS has stopped
//   falling: V8 returns freed pages to the system a little later, from another thread) and with V8's young
//   generation already at its usual full size (16 MB semi-spaces), so that the figure is what
//   the pipeline's data needs, not the one-off growth any allocating code causes;
//   heap still held afterwards by the result (after a full GC).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { delimiterForFile, detectFileIdColumn, openCsv, readRows } from '../../src/shared/recipients/csv';
import { parseRecipientList, recipientsFromFile } from '../../src/shared/recipients/recipientList';
import { detectIdColumn, parseCsv, recipientsFromTable } from '../support/csvReference';
import { ROOT } from '../harness/vscodeServer';
import { info, mb, measured, median, ms, ratio, spread } from './report';

const CHILD_FLAG = '--scan-child';
/** This file's own bundle (run.js inlines it, so __filename would be run.js). */
const CHILD = join(ROOT, 'out', 'test', 'bench', 'scan.js');
const NODE_FLAGS = ['--expose-gc', '--min-semi-space-size=16'];

interface WarmResult {
  bytes: number;
  rows: number;
  regexMs: number[];
  regexMatches: number;
  /** Per timed repetition (the first run, for the memory figures, is not timed). */
  pipelineMs: number[];
  regexCpuMs: number[];
  pipelineCpuMs: number[];
  /** What a personalized message adds: the records of the kept rows, made on first use. */
  recordsMs: number;
  /** The whole table, as before recipientsFromFile: parseCsv, detectIdColumn, recipientsFromTable. */
  wholeTableMs: number;
  /** The exec loop plus what any ID list needs: lower-case, and each ID once (a Set). */
  dedupeMs: number;
  pipelineIds: number;
  pipelineDuplicates: number;
  peakRssGrowth: number;
  heapRetained: number;
  selectionListMs: number;
}

interface ColdResult {
  ms: number;
  cpuMs: number;
  /** IDs found: the exec loop's matches, or the pipeline's IDs plus duplicates. */
  found: number;
}

type ColdKind = 'pipeline' | 'regex';

export async function benchScan(quick: boolean): Promise<void> {
  const size = quick ? 20_000_000 : 50_000_000;
  const reps = quick ? 3 : 7;
  const coldRuns = quick ? 3 : 7;
  const r = runChild<WarmResult>(['warm', String(size), String(reps)]);
  const cold: Record<ColdKind, ColdResult[]> = { pipeline: [], regex: [] };
  for (let i = 0; i < coldRuns; i++) {
    for (const kind of i % 2 === 0 ? (['pipeline', 'regex'] as const) : (['regex', 'pipeline'] as const))
      cold[kind].push(runChild<ColdResult>([`cold-${kind}`, String(size)]));
  }
  info(
    'CSV',
    `${mb(r.bytes)}, ${r.rows.toLocaleString('en-US')} rows; IDs in column 4 of 6, 1 in 5 upper case, 1 in 20 mixed, 1 row in 10 a repeat`,
  );
  info(
    'found',
    `exec loop ${r.regexMatches.toLocaleString('en-US')} matches; pipeline ${r.pipelineIds.toLocaleString('en-US')} IDs + ${r.pipelineDuplicates.toLocaleString('en-US')} duplicates`,
  );
  if (r.regexMatches !== r.rows || r.pipelineIds + r.pipelineDuplicates !== r.rows)
    info('WARNING', 'the two did not find one ID per row: the comparison is not like for like');

  info('warm: plain /[0-9a-fA-F]{24}/g exec loop', `${spread(r.regexMs, ms)}, ${mbPerSecond(r.bytes, median(r.regexMs))}`);
  info('warm: openCsv + detectFileIdColumn + readRows(3) + recipientsFromFile', '');
  info('', `${spread(r.pipelineMs, ms)}, ${mbPerSecond(r.bytes, median(r.pipelineMs))}`);
  info(
    '  ratio within each round',
    spread(
      r.pipelineMs.map((p, i) => p / r.regexMs[i]),
      ratio,
    ),
  );
  const warm = median(r.pipelineMs) / median(r.regexMs);
  measured('ID scan warm vs the exec loop (medians)', ratio(warm), '≤ 1.00×', warm <= 1);
  const [regexCpu, pipelineCpu] = [median(r.regexCpuMs), median(r.pipelineCpuMs)];
  info('  in CPU time (inflated less on a busy machine)', `${ms(pipelineCpu)} vs ${ms(regexCpu)} = ${ratio(pipelineCpu / regexCpu)}`);

  info(
    'cold (first scan of a process): exec loop',
    spread(
      cold.regex.map((c) => c.ms),
      ms,
    ),
  );
  info(
    'cold: the pipeline',
    spread(
      cold.pipeline.map((c) => c.ms),
      ms,
    ),
  );
  info(
    '  ratio within each pair of processes',
    spread(
      cold.pipeline.map((c, i) => c.ms / (cold.regex[i]?.ms ?? NaN)),
      ratio,
    ),
  );
  const coldRatio = median(cold.pipeline.map((c) => c.ms)) / median(cold.regex.map((c) => c.ms));
  measured('ID scan cold vs the exec loop cold (medians)', ratio(coldRatio), '≤ 1.30×', coldRatio <= 1.3);
  info('  in CPU time', `${ms(median(cold.pipeline.map((c) => c.cpuMs)))} vs ${ms(median(cold.regex.map((c) => c.cpuMs)))}`);

  info('then rows() for a personalized message', `${ms(r.recordsMs)} (records of the kept rows, on first use only)`);
  info(
    'for scale: the whole table, every cell',
    `${ms(r.wholeTableMs)} = ${ratio(r.wholeTableMs / median(r.regexMs))} (parseCsv + detectIdColumn + recipientsFromTable)`,
  );
  info('for scale: the exec loop + each ID once (Set)', `${ms(r.dedupeMs)} = ${ratio(r.dedupeMs / median(r.regexMs))} of the plain loop`);
  measured(
    'ID scan peak RSS growth vs file size',
    `${mb(r.peakRssGrowth)} = ${ratio(r.peakRssGrowth / r.bytes)}`,
    '≤ 2.00×',
    r.peakRssGrowth <= 2 * r.bytes,
  );
  info(
    '  heap held by the result afterwards',
    `${mb(r.heapRetained)} = ${ratio(r.heapRetained / r.bytes)} of the file (ids, row numbers, row offsets; the records wait for rows(), and the file's text is referenced, not copied)`,
  );
  info('parseRecipientList on the same text (selections)', ms(r.selectionListMs));
}

function runChild<T>(args: string[]): T {
  const child = spawnSync(process.execPath, [...NODE_FLAGS, CHILD, CHILD_FLAG, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`the scan process (${args.join(' ')}) failed:\n${child.stderr}`);
  return JSON.parse(child.stdout) as T;
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

function time(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/** Wall time into `wall`, and the process's CPU time (all its threads, so the GC's helpers too) into `cpu`. */
function timeBoth(fn: () => unknown, wall: number[], cpu: number[]): void {
  const cpu0 = process.cpuUsage();
  wall.push(time(fn));
  const used = process.cpuUsage(cpu0);
  cpu.push((used.user + used.system) / 1000);
}

/** What fromFile runs, but the quick pick: the file, the detected column, the picker's sample, the list. */
function pipeline(text: string) {
  const file = openCsv(text, delimiterForFile('participants.csv'));
  const column = detectFileIdColumn(file);
  readRows(file, 3);
  return recipientsFromFile(file, column);
}

/** The yardstick: every 24-hex run in the text, as written, in a plain exec loop. */
function execLoop(text: string): string[] {
  const pattern = /[0-9a-fA-F]{24}/g;
  const found: string[] = [];
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) found.push(match[0]);
  return found;
}

/** One timed run, the first of this process for either side. */
function coldChild(kind: ColdKind, size: number): void {
  const text = makeCsv(size);
  gc();
  settleRss();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let found: number;
  if (kind === 'pipeline') {
    const list = pipeline(text);
    found = list.ids.length + list.duplicates;
  } else found = execLoop(text).length;
  const elapsed = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const out: ColdResult = { ms: elapsed, cpuMs: (cpu.user + cpu.system) / 1000, found };
  process.stdout.write(JSON.stringify(out));
}

function warmChild(size: number, reps: number): void {
  const text = makeCsv(size);

  // Memory, from the first run: the worker samples RSS while this thread is busy.
  const peak = new Float64Array(new SharedArrayBuffer(8));
  const sampler = new Worker(
    `const { workerData } = require('node:worker_threads');
     const peak = new Float64Array(workerData);
     setInterval(() => { const rss = process.memoryUsage.rss(); if (rss > peak[0]) peak[0] = rss; }, 1);`,
    { eval: true, workerData: peak.buffer },
  );
  gc();
  settleRss();
  const heapBefore = process.memoryUsage().heapUsed;
  const kernelPeak = resetKernelPeakRss();
  const rssBefore = process.memoryUsage.rss();
  peak[0] = rssBefore;
  let result: ReturnType<typeof pipeline> | undefined = pipeline(text);
  const peakRssGrowth = Math.max(peak[0], process.memoryUsage.rss(), kernelPeak ? kernelPeakRss() : 0) - rssBefore;
  gc();
  const heapRetained = process.memoryUsage().heapUsed - heapBefore;
  const pipelineIds = result.ids.length;
  const pipelineDuplicates = result.duplicates;
  const recordsMs = time(() => result?.rows());
  void sampler.terminate();

  // Time: the exec loop and the pipeline in turn, each after a full GC. Both have run before the
  // timed rounds, so neither pays for its first compilation. Each result lives until the next one
  // replaces it, as the compose form keeps its audience: a list dropped at once would let the full
  // GC discard the shapes of its objects, and the pipeline's optimized code with them, which no
  // user would see.
  gc();
  result = pipeline(text);
  let matches: string[] | undefined = execLoop(text);
  const regexMs: number[] = [];
  const pipelineMs: number[] = [];
  const regexCpuMs: number[] = [];
  const pipelineCpuMs: number[] = [];
  for (let i = 0; i < reps; i++) {
    gc();
    timeBoth(() => (matches = execLoop(text)), regexMs, regexCpuMs);
    gc();
    timeBoth(() => (result = pipeline(text)), pipelineMs, pipelineCpuMs);
  }
  const regexMatches = matches.length;
  result = undefined;
  matches = undefined;
  gc();
  const dedupeMs = time(() => {
    const seen = new Set<string>();
    for (const id of execLoop(text)) seen.add(id.toLowerCase());
  });
  gc();
  const wholeTableMs = time(() => {
    const table = parseCsv(text, delimiterForFile('participants.csv'));
    recipientsFromTable(table, detectIdColumn(table));
  });
  gc();
  const selectionListMs = time(() => parseRecipientList(text));
  const out: WarmResult = {
    bytes: text.length,
    rows: text.split('\n').length - 2, // a header, and a line break after the last row
    regexMs,
    regexMatches,
    pipelineMs,
    regexCpuMs,
    pipelineCpuMs,
    recordsMs,
    wholeTableMs,
    dedupeMs,
    pipelineIds,
    pipelineDuplicates,
    peakRssGrowth,
    heapRetained,
    selectionListMs,
  };
  process.stdout.write(JSON.stringify(out));
}

/**
 * Waits (up to 3 s) until RSS stops falling: V8 returns the pages a full GC freed to the system from
 * another thread, a little later. Measured before that, the RSS the pipeline starts from would include
 * pages about to go, and their going would hide as much of the pipeline's own growth.
 */
function settleRss(): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  let last = process.memoryUsage.rss();
  for (let i = 0; i < 30; i++) {
    Atomics.wait(pause, 0, 0, 100);
    gc();
    const now = process.memoryUsage.rss();
    if (last - now < 1e6) return;
    last = now;
  }
}

/** Resets the kernel's peak RSS of this process (Linux 4.0+): false where that cannot be done. */
function resetKernelPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** The kernel's peak RSS of this process since the reset (VmHWM), in bytes. */
function kernelPeakRss(): number {
  const kb = /^VmHWM:\s*(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return kb ? Number(kb) * 1024 : 0;
}

const mbPerSecond = (bytes: number, ms: number): string => `${(bytes / 1e6 / (ms / 1000)).toFixed(0)} MB/s`;

/**
 * A Prolific-like export of about `size` bytes (ASCII), described at the top of the file. Written
 * into a Buffer and read out once, so that making it leaves no garbage in the heap to blur the
 * memory figures. The same size always gives the same text.
 */
function makeCsv(size: number): string {
  const statuses = ['APPROVED', 'AWAITING REVIEW', 'RETURNED', 'TIMED-OUT', 'REJECTED'];
  const notes = ['', 'Liked the study', '"Said: ""too long"", but finished"', 'Asked about payment, answered', 'n/a'];
  const buffer = Buffer.alloc(size + 300);
  let at = buffer.write('Started at,Status,Completion code,Participant id,Notes,Age\n', 'latin1');
  for (let i = 0; at < size; i++) {
    // One row in ten is an earlier participant again (up to 5,000 rows back).
    const participant = i % 10 === 9 ? i - 1 - ((i * 2654435761) % Math.min(i, 5_000)) : i;
    const id = (0x5f8d0c3e00000000n + BigInt(participant) * 7919n).toString(16).padStart(24, '0');
    const written = i % 5 === 2 ? id.toUpperCase() : i % 20 === 8 ? id.slice(0, 12).toUpperCase() + id.slice(12) : id;
    const started = `2024-05-${String((i % 28) + 1).padStart(2, '0')}T10:${String(i % 60).padStart(2, '0')}:00.000Z`;
    at += buffer.write(
      `${started},${statuses[i % 5]},C${(i * 2654435761) % 1e6},${written},${notes[i % 5]},${18 + (i % 60)}\n`,
      at,
      'latin1',
    );
  }
  return buffer.toString('latin1', 0, at);
}

if (process.argv[2] === CHILD_FLAG) {
  const [mode, size, reps] = process.argv.slice(3);
  if (mode === 'warm') warmChild(Number(size), Number(reps));
  else coldChild(mode === 'cold-regex' ? 'regex' : 'pipeline', Number(size));
}
