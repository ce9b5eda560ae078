// Personalized sends: N messages through runPersonalized (the extension's send engine) and the
// real ProlificClient against the fake API, which answers each POST /messages/ after a delay
// (latency) and refuses what goes beyond a token-bucket rate limit R with 429 + Retry-After.
// No run can beat N/R; the budget is 1.10 × that, with every message delivered exactly once.
// For scale, the same N sent the way a script would: one await after another, obeying 429s.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProlificClient } from '../../src/prolific/client';
import { ProlificApiError } from '../../src/prolific/errors';
import { runPersonalized } from '../../src/features/send/sendRun';
import { startFakeProlific, type FakeProlific } from '../fake-prolific/server';
import { createSeed } from '../fake-prolific/seed';
import { ROOT } from '../harness/vscodeServer';
import { check, info, ratio } from './report';

const MESSAGES = '/api/v1/messages/';
const RATE = 100; // requests per second
const LATENCY_MS = 20;

interface Outcome {
  seconds: number;
  delivered: number;
  duplicates: number;
  refused: number;
  failed: number;
}

export async function benchThroughput(quick: boolean): Promise<void> {
  const n = quick ? 1_000 : 10_000;
  const concurrency = defaultConcurrency();
  const fake = await startFakeProlific();
  try {
    const client = new ProlificClient({
      baseUrl: new URL(fake.url),
      token: fake.token,
      timeoutMs: 30_000,
      userAgent: 'prolific-messenger-bench',
    });
    const studyId = createSeed().studies[0].id;
    const items = Array.from({ length: n }, (_, i) => ({
      id: i.toString(16).padStart(24, '0'),
      body: `Hello participant ${i}, thank you for taking part.`,
    }));
    const send = (item: { id: string; body: string }) => client.sendMessage({ recipient_id: item.id, body: item.body, study_id: studyId });
    const ideal = n / RATE;
    info(
      'setup',
      `N = ${n.toLocaleString('en-US')}, R = ${RATE}/s (burst ${RATE}), latency ${LATENCY_MS} ms, concurrency ${concurrency} (the setting's default); ideal N/R = ${ideal} s`,
    );

    const engine = await measure(fake, async () => {
      const report = await runPersonalized(items, (item) => send(item), { concurrency });
      return report.counts.failed + report.counts.skipped;
    });
    info('runPersonalized', describe(engine));
    check('personalized time vs ideal N/R', ratio(engine.seconds / ideal), '≤ 1.10×', engine.seconds <= 1.1 * ideal);
    check(
      'personalized: each participant exactly once',
      `${engine.delivered.toLocaleString('en-US')} delivered, ${engine.duplicates} dup.`,
      `${n.toLocaleString('en-US')}, 0 dup.`,
      engine.delivered === n && engine.duplicates === 0,
    );

    const script = await measure(fake, async () => {
      for (const item of items) {
        for (;;) {
          try {
            await send(item);
            break;
          } catch (error) {
            if (!(error instanceof ProlificApiError && error.status === 429)) throw error;
            await new Promise((r) => setTimeout(r, (error.retryAfterSeconds || 1) * 1000));
          }
        }
      }
      return 0;
    });
    info('sequential loop (await each POST)', describe(script));
    info(
      'personalized time vs the sequential loop',
      `${ratio(engine.seconds / script.seconds)} (sequential: ${ratio(script.seconds / ideal)} of ideal)`,
    );
  } finally {
    await fake.close();
  }
}

async function measure(fake: FakeProlific, run: () => Promise<number>): Promise<Outcome> {
  fake.reset();
  fake.setRateLimit({ requestsPerSecond: RATE, path: MESSAGES });
  fake.inject({ path: MESSAGES, method: 'POST', fault: { kind: 'delay', ms: LATENCY_MS } });
  const t0 = performance.now();
  const failed = await run();
  const seconds = (performance.now() - t0) / 1000;
  const recipients = fake.sent().map((m) => m.recipient_id);
  const delivered = new Set(recipients).size;
  const refused = fake.requests.filter((r) => r.fault === 'limit').length;
  return { seconds, delivered, duplicates: recipients.length - delivered, refused, failed };
}

function describe(o: Outcome): string {
  return `${o.seconds.toFixed(1)} s, ${Math.round(o.delivered / o.seconds)} msg/s, ${o.refused} refused with 429, ${o.failed} failed`;
}

function defaultConcurrency(): number {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  return manifest.contributes.configuration.properties['prolific.personalizedConcurrency'].default as number;
}
