// The run journal read back after a crash: a torn last line is ignored, answers decide each
// participant's outcome, those asked with no answer are "unknown" and never offered to Resume,
// and a journal cut short inside its plan is no run at all.
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunJournal, countsOf, notSentItems, outcomesOf, readJournal, type RunHeader } from '../../src/features/history/runJournal';

const id = (n: number) => n.toString(16).padStart(24, '0');
const header = (count: number): RunHeader => ({
  id: 'run-1',
  time: '2026-12-02T10:00:00.000Z',
  kind: 'personalized',
  studyId: null,
  body: 'Hello {{name}}',
  recipientCount: count,
  owner: { pid: 1, host: 'h' },
});

describe('run journal', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'prolific-journal-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function journalOf(count: number): Promise<{ journal: RunJournal; path: string }> {
    const path = join(dir, 'run.jsonl');
    const plan = Array.from({ length: count }, (_, n) => ({ id: id(n), body: `Hello ${n}` }));
    return { journal: await RunJournal.create(path, header(count), plan), path };
  }

  it('says sent, failed, may have received it and not sent, and offers Resume only the not sent', async () => {
    const { journal, path } = await journalOf(5);
    await journal.trying([id(0)]);
    await journal.sent([id(0)]);
    await journal.trying([id(1)]); // no answer: the process died
    await journal.trying([id(2)]);
    await journal.failed([id(2)], 'Refused.', true);
    await journal.trying([id(3)]);
    await journal.failed([id(3)], 'Timed out.', false);
    await journal.close();
    const record = readJournal(readFileSync(path, 'utf8'));
    assert.ok(record);
    assert.deepEqual(
      outcomesOf(record).map((o) => o.status),
      ['sent', 'unknown', 'failed', 'failed', 'skipped'],
    );
    assert.deepEqual(countsOf(record), { sent: 1, failed: 2, skipped: 1, unknown: 1 });
    assert.deepEqual(
      notSentItems(record).map((i) => [i.id, i.body]),
      [
        [id(2), 'Hello 2'],
        [id(4), 'Hello 4'],
      ],
    );
    assert.equal(record.end, undefined, 'no end line: interrupted (or running)');
  });

  it('ignores a torn last line and any line that is not one of its own', async () => {
    const { journal, path } = await journalOf(2);
    await journal.trying([id(0)]);
    await journal.sent([id(0)]);
    await journal.close();
    appendFileSync(path, '{"t":"nonsense"}\n["not", "a line"]\n{"t":"sent","ids":["' + id(1).slice(0, 10));
    const record = readJournal(readFileSync(path, 'utf8'));
    assert.ok(record);
    assert.deepEqual(
      outcomesOf(record).map((o) => o.status),
      ['sent', 'skipped'],
    );
  });

  it('reads a plan written in several lines, and no run from a plan cut short', async () => {
    const { journal, path } = await journalOf(2_500);
    await journal.close();
    const text = readFileSync(path, 'utf8');
    assert.equal(text.trim().split('\n').length, 4, 'header and three plan lines');
    assert.equal(readJournal(text)?.plan.length, 2_500);
    const cut = text.split('\n').slice(0, 3).join('\n');
    assert.equal(readJournal(cut), undefined, 'nothing is sent before the whole plan is written');
    assert.equal(readJournal(''), undefined);
  });

  it('ends a run and carries on a resumed one: the end of an earlier owner no longer holds', async () => {
    const { journal, path } = await journalOf(2);
    await journal.trying([id(0)]);
    await journal.end({ cancelled: true, reason: 'Cancelled before sending.' });
    assert.equal(readJournal(readFileSync(path, 'utf8'))?.end?.cancelled, true);
    const resumed = await RunJournal.resume(path, { pid: 2, host: 'h' });
    await resumed.trying([id(1)]);
    await resumed.sent([id(1)]);
    await resumed.close();
    const record = readJournal(readFileSync(path, 'utf8'));
    assert.equal(record?.end, undefined);
    assert.deepEqual(
      record?.resumes.map((r) => r.owner.pid),
      [2],
    );
    assert.deepEqual(record && outcomesOf(record).map((o) => o.status), ['unknown', 'sent']);
  });
});
