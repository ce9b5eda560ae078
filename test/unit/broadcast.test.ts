// Broadcasts in the record and in words: the journal keeps a broadcast's ID from its first line
// and offers everyone who may lack it for a resend (with that ID, which Prolific makes once), a
// journal of a broadcast without its ID is no run, and Prolific's two refusals become sentences.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunJournal, notSentItems, readJournal, type RunHeader } from '../../src/features/history/runJournal';
import { broadcastRefusal } from '../../src/features/send/broadcastRefusal';
import { ProlificApiError } from '../../src/prolific/errors';
import { retryableIds } from '../../src/shared/outcomes';
import { retryableFor } from '../../src/features/history/historyEntry';

const id = (n: number) => n.toString(16).padStart(24, '0');
const header: RunHeader = {
  id: 'run-b',
  time: '2026-12-03T10:00:00.000Z',
  kind: 'broadcast',
  studyId: id(999),
  body: 'Wave 2 is open',
  recipientCount: 4,
  broadcast: { id: 'b-1', subject: 'Wave 2', topic: 'other' },
  owner: { pid: 1, host: 'h' },
};
const refusal = (messages: string[]) =>
  new ProlificApiError({
    kind: 'http',
    status: 400,
    message: 'Bad request',
    fieldErrors: { recipient_ids: messages },
    mayHaveReachedServer: false,
  });

describe('broadcasts', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'prolific-broadcast-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('journals the broadcast ID before anything is sent and offers a resend to all who may lack it', async () => {
    const path = join(dir, 'run.jsonl');
    const journal = await RunJournal.create(
      path,
      header,
      [0, 1, 2, 3].map((n) => ({ id: id(n) })),
    );
    assert.deepEqual(
      readJournal(readFileSync(path, 'utf8'))?.header.broadcast,
      header.broadcast,
      'the ID is on disk before the first attempt',
    );
    await journal.trying([id(0), id(1), id(2), id(3)]); // then VS Code died
    await journal.close();
    const record = readJournal(readFileSync(path, 'utf8'));
    assert.ok(record);
    assert.deepEqual(
      notSentItems(record).map((i) => i.id),
      [id(0), id(1), id(2), id(3)],
      'a broadcast may be resent to those who may have it: the same ID cannot deliver twice',
    );
    const outcomes = [
      { id: id(0), status: 'unknown' as const },
      { id: id(1), status: 'failed' as const, retryable: false },
      { id: id(2), status: 'sent' as const },
    ];
    assert.deepEqual(retryableIds(outcomes), [], 'a bulk message is never resent to those who may have it');
    assert.deepEqual(retryableFor('broadcast', outcomes), [id(0), id(1)], 'a broadcast is, with its own ID');
  });

  it('is no run without its ID', () => {
    const withoutId: Partial<RunHeader> = { ...header };
    delete withoutId.broadcast;
    const path = join(dir, 'bad.jsonl');
    writeFileSync(
      path,
      `${JSON.stringify({ t: 'run', ...withoutId })}\n${JSON.stringify({ t: 'plan', ids: [id(0), id(1), id(2), id(3)] })}\n`,
    );
    assert.equal(readJournal(readFileSync(path, 'utf8')), undefined);
  });

  it('names the participants without a submission, and says the cap', () => {
    const ids = Array.from({ length: 10 }, (_, n) => id(n));
    const none = refusal([`Every recipient needs a submission in this study. These have none: ${id(3)}, ${id(7)}, ${'f'.repeat(24)}.`]);
    assert.equal(
      broadcastRefusal(none, ids),
      `Prolific broadcasts only to participants with a submission in this study, and 2 on the list have none: ${id(3)}, ${id(7)}. Remove them from the list, or clear the subject to send a plain bulk message.`,
    );
    const many = refusal([`Every recipient needs a submission. These have none: ${ids.slice(0, 7).join(', ')}.`]);
    assert.match(broadcastRefusal(many, ids) ?? '', new RegExp(`7 on the list have none: ${ids.slice(0, 5).join(', ')} and 2 more\\.`));
    const big = Array.from({ length: 4001 }, (_, n) => id(n));
    assert.equal(
      broadcastRefusal(refusal(['A broadcast can have at most 4000 recipients; this one has 4001.']), big),
      'Prolific sends a broadcast to at most 4000 participants, and this list has 4001. Split the list, or clear the subject to send a plain bulk message.',
    );
    assert.match(broadcastRefusal(refusal(['Ensure this list has no more than 2,500 elements.']), big) ?? '', /at most 2500 participants/);
    assert.equal(broadcastRefusal(refusal(['This field is required.']), ids), undefined, 'anything else keeps the usual wording');
    const timeout = new ProlificApiError({ kind: 'timeout', message: 'No answer.', mayHaveReachedServer: true });
    assert.equal(broadcastRefusal(timeout, ids), undefined);
  });
});
