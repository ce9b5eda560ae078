// A process for the kill loop (test/integration/killLoop.test.ts) to SIGKILL part way through a send. It
// runs the extension's own pieces as ListSender wires them (the history store, the run journal,
// the run engine and the real client) against the fake, with nothing of VS Code around them:
//   node killWorker.js start <storage dir> <base URL> <token> <study> <items.json> <concurrency>
//   node killWorker.js resume <storage dir> <base URL> <token> <study> - <concurrency>
// `start` sends a personalized run of the items ({id, body}[]); `resume` finds the runs a dead
// process left unfinished and sends each to its not-sent participants, as Resume does. Each
// prints one JSON line of what it did.
import { readFileSync } from 'node:fs';
import { HistoryStore } from '../../src/features/history/historyStore';
import { parseBaseUrl } from '../../src/prolific/baseUrl';
import { ProlificClient } from '../../src/prolific/client';
import { journaledMessages } from '../../src/features/send/journaled';
import { runPersonalized, type RunItem } from '../../src/features/send/sendRun';

async function main(): Promise<void> {
  const [mode, storage, baseUrl, token, studyId, itemsFile, concurrencyText] = process.argv.slice(2);
  const parsed = parseBaseUrl(baseUrl ?? '');
  if (!parsed.ok || !storage || !token || !studyId) throw new Error('usage: see the top of killWorker.ts');
  const client = new ProlificClient({ baseUrl: parsed.url, token, timeoutMs: 10_000, userAgent: 'kill-loop' });
  const store = new HistoryStore(storage, () => 200);
  const options = { concurrency: Number(concurrencyText) };

  if (mode === 'start') {
    const items = JSON.parse(readFileSync(itemsFile ?? '', 'utf8')) as RunItem[];
    const writer = await store.startRun({ kind: 'personalized', studyId, body: 'Hello {id}', recipientCount: items.length, items });
    const report = await runPersonalized(items, journaledMessages(writer, client, studyId), options);
    await writer.end({ cancelled: report.cancelled });
    console.log(JSON.stringify({ mode, counts: report.counts }));
    return;
  }
  const resumed: { id: string; items: number }[] = [];
  for (const run of (await store.list()).filter((r) => r.interrupted)) {
    const plan = await store.interruptedPlan(run.id);
    const writer = plan && (await store.resumeRun(run.id));
    if (!plan || !writer) continue;
    const items = plan.items.map((i) => ({ id: i.id, body: i.body ?? '' }));
    const report = await runPersonalized(items, journaledMessages(writer, client, studyId), options);
    await writer.end({ cancelled: report.cancelled });
    resumed.push({ id: run.id, items: items.length });
  }
  console.log(JSON.stringify({ mode, resumed }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
