// The Sent history on the real file system of the extension host: an index plus one journal per
// run. The size cap, two windows recording at once, the old history.json moved over without
// loss, an index made again from the runs, a run a dead window left unfinished, and opening an
// entry.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { HistoryStore } from '../../src/features/history/historyStore';
import { activate, type TestHandles } from '../support/extensionHost';

const STUDY = 'abcdefabcdefabcdefabcdef';
const pid = (n: number) => n.toString(16).padStart(24, '0');

/** One single send, recorded as the extension records it: planned, tried, sent, ended. */
async function recordSingle(store: HistoryStore, n: number) {
  const run = await store.startRun({
    kind: 'single',
    studyId: STUDY,
    body: `Message number ${n}\nsecond line`,
    recipientCount: 1,
    items: [{ id: pid(n) }],
  });
  await run.trying([pid(n)]);
  await run.sent([pid(n)]);
  return run.end({ cancelled: false });
}

/** The pid of a process that has exited: nothing runs as it any more. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('sent history', () => {
  let dir: string;
  let handles: TestHandles;

  before(async () => (handles = await activate()));
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'prolific-history-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps the newest runs up to the cap, newest first, and removes the others' files", async () => {
    const store = new HistoryStore(dir, () => 3);
    const ids: string[] = [];
    for (let n = 1; n <= 5; n++) ids.push((await recordSingle(store, n)).id);
    assert.deepEqual(
      (await store.list()).map((e) => e.bodyPreview.split('\n')[0]),
      ['Message number 5', 'Message number 4', 'Message number 3'],
    );
    const reread = new HistoryStore(dir, () => 3);
    assert.equal((await reread.list()).length, 3, 'kept on disk');
    assert.deepEqual(
      ids.map((id) => existsSync(join(dir, 'history', 'runs', `${id}.jsonl`))),
      [false, false, true, true, true],
    );
    store.dispose();
    reread.dispose();
  });

  it('records what two windows send at the same time, losing nothing', async () => {
    const windows = [new HistoryStore(dir, () => 200), new HistoryStore(dir, () => 200)];
    await Promise.all(Array.from({ length: 20 }, (_, n) => recordSingle(windows[n % 2], n)));
    for (const store of windows) {
      const runs = await store.list();
      assert.equal(runs.length, 20);
      assert.ok(runs.every((r) => r.state === 'done' && r.counts.sent === 1));
      store.dispose();
    }
  });

  it('moves the history.json of an earlier version over once, without loss', async () => {
    const old = {
      id: 'old-1',
      time: '2026-01-02T03:04:05.000Z',
      kind: 'personalized',
      studyId: STUDY,
      body: 'Hi {{name}}',
      recipientCount: 3,
      source: 'participants.csv',
      outcomes: [
        { id: pid(1), status: 'sent' },
        { id: pid(2), status: 'failed', reason: 'Refused (400).', retryable: true },
        { id: pid(3), status: 'failed', reason: 'Timed out.', retryable: false },
      ],
      counts: { sent: 1, failed: 2, skipped: 0 },
      cancelled: false,
      bodies: { [pid(2)]: 'Hi Bea' },
    };
    writeFileSync(join(dir, 'history.json'), JSON.stringify({ version: 1, entries: [old] }));
    const store = new HistoryStore(dir, () => 10);
    const [run] = await store.list();
    assert.equal(run?.id, 'old-1');
    const entry = await store.get('old-1');
    assert.deepEqual(entry?.outcomes, old.outcomes);
    assert.deepEqual(entry?.counts, { sent: 1, failed: 2, skipped: 0, unknown: 0 });
    assert.deepEqual(entry?.bodies, { [pid(2)]: 'Hi Bea' }, 'the text Retry Failed needs is kept');
    assert.ok(existsSync(join(dir, 'history.migrated.json')) && !existsSync(join(dir, 'history.json')));
    const again = new HistoryStore(dir, () => 10);
    assert.equal((await again.list()).length, 1, 'moved once');
    store.dispose();
    again.dispose();
  });

  it('says so when the old history.json is damaged, and keeps it', async () => {
    writeFileSync(join(dir, 'history.json'), '{"entries": [ this is not json');
    const told: string[] = [];
    const store = new HistoryStore(
      dir,
      () => 10,
      (m) => told.push(m),
    );
    assert.deepEqual(await store.list(), []);
    await recordSingle(store, 1);
    assert.equal(told.length, 1);
    assert.match(told[0] ?? '', /history\.migrated\.json/);
    assert.match(readFileSync(join(dir, 'history.migrated.json'), 'utf8'), /this is not json/);
    store.dispose();
  });

  it('makes an unreadable index again from the runs', async () => {
    const store = new HistoryStore(dir, () => 10);
    for (let n = 1; n <= 3; n++) await recordSingle(store, n);
    writeFileSync(join(dir, 'history', 'index.json'), '{"runs": [ torn');
    assert.deepEqual(
      (await store.list()).map((r) => r.recipient),
      [pid(3), pid(2), pid(1)],
    );
    store.dispose();
  });

  it('shows a run a dead window left unfinished as interrupted: sent, may have received it, not sent', async () => {
    const runs = join(dir, 'history', 'runs');
    mkdirSync(runs, { recursive: true });
    const owner = { pid: deadPid(), host: hostname() };
    const lines = [
      { t: 'run', id: 'r1', time: new Date().toISOString(), kind: 'bulk', studyId: STUDY, body: 'Reminder', recipientCount: 3, owner },
      { t: 'plan', ids: [pid(1), pid(2), pid(3)] },
      { t: 'try', ids: [pid(1)] },
      { t: 'sent', ids: [pid(1)] },
      { t: 'try', ids: [pid(2)] },
    ];
    // The last line torn, as when the process died in the middle of writing it.
    writeFileSync(join(runs, 'r1.jsonl'), `${lines.map((l) => JSON.stringify(l)).join('\n')}\n{"t":"sent","ids":["${pid(2)}`);
    writeFileSync(join(dir, 'history', 'index.json'), '{"runs": [ rebuilt from the run files');
    const store = new HistoryStore(dir, () => 10);
    const [run] = await store.list();
    assert.equal(run?.interrupted, true);
    const entry = await store.get('r1');
    assert.deepEqual(
      entry?.outcomes.map((o) => o.status),
      ['sent', 'unknown', 'skipped'],
    );
    assert.deepEqual((await store.interruptedPlan('r1'))?.items, [{ id: pid(3) }], 'Resume would send only to the one never asked');
    store.dispose();
  });

  it('opens an entry whole, read-only', async () => {
    const saved = await recordSingle(handles.history, 42);
    await vscode.commands.executeCommand('prolific.history.open', saved.id);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    assert.equal(editor.document.uri.scheme, 'prolific-sent');
    assert.match(editor.document.getText(), /Message number 42\nsecond line/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
