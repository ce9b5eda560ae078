// Reading participant IDs out of a large CSV, as "Message Participants in This File" does for a
// .csv (audienceCommands.ts: openCsv, detectFileIdColumn, readRows for the column picker's sample,
// recipientsFromFile), against a bare regular-expression scan of the same text.
//
// Time: the median of 5 rounds (3 in --quick), each round the regex then the pipeline, each after a
// full GC so that neither pays for the other's garbage. Both have run once, untimed, before the
// first round (the pipeline for the memory figures), so neither pays for its first compilation.
// Wall time is the budgeted figure; CPU time is printed too, since a busy machine inflates it less.
//
// Memory: in a child Node process of its own (with --expose-gc), so that its figures start clean:
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
import { check, info, mb, median, ms, ratio } from './report';

const CHILD_FLAG = '--scan-child';
/** This file's own bundle (run.js inlines it, so __filename would be run.js). */
const CHILD = join(ROOT, 'out', 'test', 'bench', 'scan.js');

interface ScanResult {
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
  /** The regex scan plus what any ID list needs: lower-case, and each ID once (a Set). */
  dedupeMs: number;
  pipelineIds: number;
  peakRssGrowth: number;
  heapRetained: number;
  selectionListMs: number;
}

export async function benchScan(quick: boolean): Promise<void> {
  const size = quick ? 5_000_000 : 50_000_000;
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', '--min-semi-space-size=16', CHILD, CHILD_FLAG, String(size), quick ? '3' : '5'],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  if (child.status !== 0) throw new Error(`the scan process failed:\n${child.stderr}`);
  const r = JSON.parse(child.stdout) as ScanResult;
  const regex = median(r.regexMs);
  const pipeline = median(r.pipelineMs);
  info('CSV', `${mb(r.bytes)}, ${r.rows.toLocaleString('en-US')} rows (participant_id, status, started_at, completion_code, notes)`);
  info('bare /[0-9a-f]{24}/g matchAll count', `median ${ms(regex)} (${r.regexMatches.toLocaleString('en-US')} matches)`);
  info('bare regex throughput', `${mbPerSecond(r.bytes, regex)}`);
  info(
    'openCsv + detectFileIdColumn + recipientsFromFile',
    `median ${ms(pipeline)} (${r.pipelineIds.toLocaleString('en-US')} IDs), ${mbPerSecond(r.bytes, pipeline)}`,
  );
  check('ID scan time vs the bare regex', ratio(pipeline / regex), '≤ 1.30×', pipeline <= 1.3 * regex);
  const [regexCpu, pipelineCpu] = [median(r.regexCpuMs), median(r.pipelineCpuMs)];
  info('  in CPU time (inflated less on a busy machine)', `${ms(pipelineCpu)} vs ${ms(regexCpu)} = ${ratio(pipelineCpu / regexCpu)}`);
  info('  then rows() for a personalized message', `${ms(r.recordsMs)} (records of the kept rows, on first use only)`);
  info(
    '  for scale: the whole table, every cell',
    `${ms(r.wholeTableMs)} = ${ratio(r.wholeTableMs / regex)} (parseCsv + detectIdColumn + recipientsFromTable)`,
  );
  info('  for scale: the regex + each ID once (Set)', `${ms(r.dedupeMs)} = ${ratio(r.dedupeMs / regex)} of the bare regex`);
  check(
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

function child(size: number, reps: number): void {
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  const time = (fn: () => unknown) => {
    const t0 = performance.now();
    fn();
    return performance.now() - t0;
  };
  /** Wall time into `wall`, and the process's CPU time (all its threads, so the GC's helpers too) into `cpu`. */
  const timeBoth = (fn: () => unknown, wall: number[], cpu: number[]) => {
    const cpu0 = process.cpuUsage();
    wall.push(time(fn));
    const used = process.cpuUsage(cpu0);
    cpu.push((used.user + used.system) / 1000);
  };
  const text = makeCsv(size);
  // What fromFile runs, but the quick pick: the file, the detected column, the picker's sample, the list.
  const pipeline = () => {
    const file = openCsv(text, delimiterForFile('participants.csv'));
    const column = detectFileIdColumn(file);
    readRows(file, 3);
    return recipientsFromFile(file, column);
  };
  const bareRegex = () => {
    let matches = 0;
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    for (const _ of text.matchAll(/[0-9a-f]{24}/g)) matches++;
    return matches;
  };

  // Memory, from the first run: the worker samples RSS while this thread is busy.
  const peak = new Float64Array(new SharedArrayBuffer(8));
  const sampler = new Worker(
    `const { workerData } = require('node:worker_threads');
     const peak = new Float64Array(workerData);
     setInterval(() => { const rss = process.memoryUsage.rss(); if (rss > peak[0]) peak[0] = rss; }, 1);`,
    { eval: true, workerData: peak.buffer },
  );
  gc();
  settleRss(gc);
  const heapBefore = process.memoryUsage().heapUsed;
  const kernelPeak = resetKernelPeakRss();
  const rssBefore = process.memoryUsage.rss();
  peak[0] = rssBefore;
  let result: ReturnType<typeof pipeline> | undefined = pipeline();
  const peakRssGrowth = Math.max(peak[0], process.memoryUsage.rss(), kernelPeak ? kernelPeakRss() : 0) - rssBefore;
  gc();
  const heapRetained = process.memoryUsage().heapUsed - heapBefore;
  const pipelineIds = result.ids.length;
  const recordsMs = time(() => result?.rows());
  void sampler.terminate();

  // Time: the regex and the pipeline in turn, each after a full GC. Both have run before the timed
  // rounds, so neither pays for its first compilation. Each list lives until the next one replaces it,
  // as the compose form keeps its audience: a list dropped at once would let the full GC discard the
  // shapes of its objects, and the pipeline's optimized code with them, which no user would see.
  gc();
  result = pipeline();
  let regexMatches = bareRegex();
  const regexMs: number[] = [];
  const pipelineMs: number[] = [];
  const regexCpuMs: number[] = [];
  const pipelineCpuMs: number[] = [];
  for (let i = 0; i < reps; i++) {
    gc();
    timeBoth(() => (regexMatches = bareRegex()), regexMs, regexCpuMs);
    gc();
    timeBoth(() => (result = pipeline()), pipelineMs, pipelineCpuMs);
  }
  result = undefined;
  gc();
  const dedupeMs = time(() => {
    const seen = new Set<string>();
    for (const match of text.matchAll(/[0-9a-f]{24}/g)) seen.add(match[0].toLowerCase());
  });
  gc();
  const wholeTableMs = time(() => {
    const table = parseCsv(text, delimiterForFile('participants.csv'));
    recipientsFromTable(table, detectIdColumn(table));
  });
  gc();
  const selectionListMs = time(() => parseRecipientList(text));
  const out: ScanResult = {
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
function settleRss(gc: () => void): void {
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
 * A Prolific-like export of about `size` bytes (ASCII): unique IDs, a status, a time, a code and
 * free text. Written into a Buffer and read out once, so that making it leaves no garbage in the
 * heap to blur the memory figures.
 */
function makeCsv(size: number): string {
  const statuses = ['APPROVED', 'AWAITING REVIEW', 'RETURNED', 'TIMED-OUT', 'REJECTED'];
  const notes = ['', 'Liked the study', '"Said: ""too long"", but finished"', 'Asked about payment, answered', 'n/a'];
  const buffer = Buffer.alloc(size + 200);
  let at = buffer.write('participant_id,status,started_at,completion_code,notes\n', 'latin1');
  for (let i = 0; at < size; i++) {
    const id = (0x5f8d0c3e00000000n + BigInt(i) * 7919n).toString(16).padStart(24, '0');
    at += buffer.write(
      `${id},${statuses[i % 5]},2024-05-${String((i % 28) + 1).padStart(2, '0')}T10:${String(i % 60).padStart(2, '0')}:00.000Z,C${(i * 2654435761) % 1e6},${notes[i % 5]}\n`,
      at,
      'latin1',
    );
  }
  return buffer.toString('latin1', 0, at);
}

if (process.argv[2] === CHILD_FLAG) child(Number(process.argv[3]), Number(process.argv[4]));
