// Personalized sends: N messages through runPersonalized (the extension's send engine) and the
// real ProlificClient, at the extension's default settings (prolific.personalizedConcurrency and
// prolific.requestTimeoutSeconds from package.json), against the fake API with:
//  - a realistic round trip: each request is answered after LATENCY_MS ± JITTER_MS (uniform,
//    seeded, so the same run gets the same delays);
//  - a server rate limit R: a token bucket with a burst of one second's worth, answering 429 with
//    Retry-After beyond it.
// The ideal for that latency and rate limit is what a client without limits of its own would
// take: the burst at once, then R per second, the last answer one round trip later:
// (N - burst) / R + LATENCY_MS. The budget is the ideal's share of the time taken (≥ 0.95), with
// every participant messaged exactly once (an exact check).
//
// The client runs in a child process of its own, so that its CPU time (process.cpuUsage: all its
// threads, the garbage collector's included) is the client's alone: the fake server runs here.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { ProlificClient } from '../../src/prolific/client';
import { runPersonalized } from '../../src/features/send/sendRun';
import { startFakeProlific } from '../fake-prolific/server';
import { createSeed } from '../fake-prolific/seed';
import { ROOT } from '../harness/vscodeServer';
import { exact, info, measured, ms, ratio } from './report';

const MESSAGES = '/api/v1/messages/';
const RATE = 100; // requests per second
const LATENCY_MS = 100;
const JITTER_MS = 20;
const LATENCY_SEED = 11;
const CHILD_FLAG = '--throughput-child';
/** This file's own bundle (run.js inlines it, so __filename would be run.js). */
const CHILD = join(ROOT, 'out', 'test', 'bench', 'throughput.js');

interface ChildInput {
  /** 'engine': runPersonalized with ProlificClient; 'bare': a plain node:http loop, for scale. */
  mode: 'engine' | 'bare';
  url: string;
  token: string;
  studyId: string;
  n: number;
  concurrency: number;
  timeoutMs: number;
}

interface ChildResult {
  seconds: number;
  cpuMs: number;
  failed: number;
}

interface Outcome extends ChildResult {
  delivered: number;
  duplicates: number;
  refused: number;
}

export async function benchThroughput(quick: boolean): Promise<void> {
  const n = quick ? 400 : 2_000;
  const defaults = defaultSettings();
  const burst = RATE;
  const ideal = Math.max(0, n - burst) / RATE + LATENCY_MS / 1000;
  info(
    'setup',
    `N = ${n.toLocaleString('en-US')}, R = ${RATE}/s (burst ${burst}), round trip ${LATENCY_MS} ± ${JITTER_MS} ms (seeded), the default settings: concurrency ${defaults.concurrency}, timeout ${defaults.timeoutMs / 1000} s`,
  );
  info('ideal for that latency and rate limit', `${ideal.toFixed(2)} s: (N - burst) / R + one round trip`);
  const engine = await measure(n, defaults.concurrency, defaults.timeoutMs);
  info('runPersonalized', describe(engine));
  info("  its share of the server's rate", `${ratio(n / engine.seconds / RATE)} (${Math.round(n / engine.seconds)} of ${RATE} msg/s)`);
  measured(
    "personalized: the ideal's share of the time taken",
    `${ratio(ideal / engine.seconds)} (${ideal.toFixed(1)} s / ${engine.seconds.toFixed(1)} s)`,
    '≥ 0.95×',
    ideal / engine.seconds >= 0.95,
  );
  exact(
    'personalized: each participant exactly once',
    `${engine.delivered.toLocaleString('en-US')} delivered, ${engine.duplicates} dup.`,
    `${n.toLocaleString('en-US')}, 0 dup.`,
    engine.delivered === n && engine.duplicates === 0 && engine.failed === 0,
  );
  const cpuPerMessage = engine.cpuMs / n;
  measured('client CPU time per message', ms(cpuPerMessage), '≤ 0.20 ms', cpuPerMessage <= 0.2);
  info(
    '  at most, at the default concurrency',
    `${Math.round((defaults.concurrency * 1000) / LATENCY_MS)} msg/s: concurrency / round trip, whatever the server allows`,
  );
  if (quick) return;
  // For scale, not budgeted: enough requests in flight to cover the round trip at rate R; and the
  // CPU time of the least any Node client does per request, at the default concurrency's pace.
  const enough = Math.ceil((RATE * (LATENCY_MS + JITTER_MS)) / 1000);
  const more = await measure(n, enough, defaults.timeoutMs);
  info(
    `for scale: concurrency ${enough} (R × the longest round trip)`,
    `${describe(more)}; the ideal's share ${ratio(ideal / more.seconds)}, ${ms(more.cpuMs / n)} CPU per message, ${more.delivered === n && more.duplicates === 0 ? 'each once' : `${more.delivered} delivered, ${more.duplicates} dup.`}`,
  );
  const bareN = 1_000;
  const bare = await measure(bareN, defaults.concurrency, defaults.timeoutMs, 'bare');
  info(
    `for scale: a bare node:http loop, concurrency ${defaults.concurrency}`,
    `${ms(bare.cpuMs / bareN)} CPU per request (N = ${bareN.toLocaleString('en-US')}, ${bare.failed} not 2xx; keep-alive, the same JSON body and headers, nothing checked)`,
  );
}

/** One run of the client (in a child process) against a fresh fake API with the latency and the rate limit. */
async function measure(n: number, concurrency: number, timeoutMs: number, mode: ChildInput['mode'] = 'engine'): Promise<Outcome> {
  const fake = await startFakeProlific({ latency: { ms: LATENCY_MS, jitterMs: JITTER_MS, seed: LATENCY_SEED } });
  try {
    fake.setRateLimit({ requestsPerSecond: RATE, path: MESSAGES });
    const input: ChildInput = { mode, url: fake.url, token: fake.token, studyId: createSeed().studies[0].id, n, concurrency, timeoutMs };
    // Asynchronous: this process must go on serving the fake API meanwhile.
    const result = await runChild(input);
    const recipients = fake.sent().map((m) => m.recipient_id);
    const delivered = new Set(recipients).size;
    const refused = fake.requests.filter((r) => r.fault === 'limit').length;
    return { ...result, delivered, duplicates: recipients.length - delivered, refused };
  } finally {
    await fake.close();
  }
}

async function runChild(input: ChildInput): Promise<ChildResult> {
  const child = spawn(process.execPath, [CHILD, CHILD_FLAG, JSON.stringify(input)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`the client process failed (exit ${code}):\n${stderr}`);
  return JSON.parse(stdout) as ChildResult;
}

function describe(o: Outcome): string {
  return `${o.seconds.toFixed(1)} s, ${Math.round(o.delivered / o.seconds)} msg/s, ${o.refused} refused with 429, ${o.failed} failed`;
}

function defaultSettings(): { concurrency: number; timeoutMs: number } {
  const properties = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).contributes.configuration.properties;
  return {
    concurrency: properties['prolific.personalizedConcurrency'].default as number,
    timeoutMs: (properties['prolific.requestTimeoutSeconds'].default as number) * 1000,
  };
}

/** The client process: sends the N messages and reports its wall and CPU time. */
async function child(input: ChildInput): Promise<void> {
  if (input.mode === 'bare') return bareChild(input);
  // The request log line is made as src/clientFactory.ts makes it (the output channel that gets it is VS Code's).
  const lines: string[] = [];
  const log = (e: { method: string; path: string; status?: number; durationMs: number; error?: string; warning?: string }) => {
    lines.push(
      `${e.method} ${e.path} ${e.status ?? '-'} ${Math.round(e.durationMs)}ms${e.error ? ` (${e.error})` : ''}${e.warning ? ` (${e.warning})` : ''}`,
    );
    if (lines.length > 100) lines.length = 0;
  };
  const client = new ProlificClient({
    baseUrl: new URL(input.url),
    token: input.token,
    timeoutMs: input.timeoutMs,
    userAgent: 'prolific-messenger-bench',
    log,
  });
  const items = Array.from({ length: input.n }, (_, i) => ({
    id: i.toString(16).padStart(24, '0'),
    body: `Hello participant ${i}, thank you for taking part.`,
  }));
  const send = (item: { id: string; body: string }) =>
    client.sendMessage({ recipient_id: item.id, body: item.body, study_id: input.studyId });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const report = await runPersonalized(items, (item) => send(item), { concurrency: input.concurrency });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const result: ChildResult = { seconds, cpuMs: (cpu.user + cpu.system) / 1000, failed: report.counts.failed + report.counts.skipped };
  process.stdout.write(JSON.stringify(result));
}

/** The least a Node client does: node:http with a keep-alive agent, the body sent and the answer drained. */
async function bareChild(input: ChildInput): Promise<void> {
  const agent = new Agent({ keepAlive: true });
  const url = new URL(MESSAGES, input.url);
  let failed = 0;
  const send = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const body = JSON.stringify({
        recipient_id: i.toString(16).padStart(24, '0'),
        body: `Hello participant ${i}, thank you for taking part.`,
        study_id: input.studyId,
      });
      const headers = {
        Authorization: `Token ${input.token}`,
        Accept: 'application/json',
        'User-Agent': 'prolific-messenger-bench',
        'Content-Type': 'application/json',
        'Content-Length': String(Buffer.byteLength(body)),
      };
      const request = httpRequest(url, { method: 'POST', agent, headers }, (response) => {
        if ((response.statusCode ?? 0) >= 300) failed++;
        response.resume();
        response.on('end', resolve);
      });
      request.on('error', reject);
      request.end(body);
    });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: input.concurrency }, async () => {
      while (next < input.n) await send(next++);
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  agent.destroy();
  process.stdout.write(JSON.stringify({ seconds, cpuMs: (cpu.user + cpu.system) / 1000, failed } satisfies ChildResult));
}

if (process.argv[2] === CHILD_FLAG) void child(JSON.parse(process.argv[3]) as ChildInput);
