// Audience files by example: what the parser accepts and how it names what it refuses, the
// preview's table of who is in and why, what "New Audience…" writes, and the Sent history
// keeping the audience file's name and text at the time of sending.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  canonicalStatus,
  formatAudience,
  newAudienceSpec,
  parseAudience,
  problemText,
  withinMs,
  type FormatProblem,
} from '../../src/features/audience/audienceFormat';
import type { AudienceResult, EvaluatedSource } from '../../src/features/audience/audienceEvaluation';
import { previewMarkdown } from '../../src/features/audience/audiencePreview';
import { combine } from '../../src/features/audience/audienceSets';
import { toMarkdown } from '../../src/features/history/historyExport';
import { HistoryStore } from '../../src/features/history/historyStore';

const W1 = 'a1'.repeat(12);
const W2 = 'b2'.repeat(12);
const P = (n: number) => n.toString(16).padStart(24, '0');

function problems(value: unknown): FormatProblem[] {
  const parsed = parseAudience(typeof value === 'string' ? value : JSON.stringify(value));
  assert.ok(!parsed.ok, 'expected the file to be refused');
  return parsed.problems;
}
const paths = (value: unknown) => problems(value).map((p) => p.path);

describe('audience file format', () => {
  it('reads every kind of source, with notes, statuses in either form and a description', () => {
    const parsed = parseAudience(
      JSON.stringify({
        $schema: 'prolific-schema:/audience.schema.json',
        description: 'Wave 2 reminder',
        messageStudy: ' Sleep wave 2 ',
        include: [
          { study: W1, statuses: ['APPROVED', 'AWAITING_REVIEW', 'AWAITING REVIEW'], note: 'wave 1' },
          { group: 'Pilot panel' },
          { ids: [` ${P(1).toUpperCase()} `] },
          { file: 'data/wave1.csv', column: ' PID ' },
        ],
        exclude: [{ study: W2 }, { messaged: { within: '7d' } }],
      }),
    );
    assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.problems));
    assert.deepEqual(parsed.spec, {
      description: 'Wave 2 reminder',
      messageStudy: 'Sleep wave 2',
      include: [
        { kind: 'study', study: W1, statuses: ['APPROVED', 'AWAITING REVIEW'], note: 'wave 1' },
        { kind: 'group', group: 'Pilot panel' },
        { kind: 'ids', ids: [P(1)] },
        { kind: 'file', file: 'data/wave1.csv', column: 'PID' },
      ],
      exclude: [
        { kind: 'study', study: W2 },
        { kind: 'messaged', within: '7d', withinMs: 7 * 86_400_000 },
      ],
    });
  });

  it('names the place of every problem, not only the first', () => {
    assert.deepEqual(
      paths({
        include: [
          { study: W1, statuses: ['APROVED', 'TIMED-OUT', 3] },
          { ids: ['not-an-id', P(2)] },
          { study: W1, group: 'x' },
          { file: '../secrets.csv' },
          { file: '/etc/passwd' },
          { messaged: { within: '31d' } },
          { group: '' },
          { colour: 'red' },
          'text',
        ],
        exclude: { study: W2 },
        extra: true,
      }),
      [
        'extra',
        'include[0].statuses[0]',
        'include[0].statuses[2]',
        'include[1].ids[0]',
        'include[2]',
        'include[3].file',
        'include[4].file',
        'include[5].messaged.within',
        'include[6].group',
        'include[7]',
        'include[8]',
        'exclude',
      ],
    );
  });

  it('says what is wrong in a sentence naming the field', () => {
    const [status] = problems({ include: [{ study: W1, statuses: ['APROVED'] }] });
    assert.equal(
      problemText(status),
      'include[0].statuses[0]: "APROVED" is not a submission status; the statuses are: ACTIVE, APPROVED, AWAITING REVIEW, PARTIALLY APPROVED, REJECTED, RESERVED, RETURNED, SCREENED OUT, TIMED-OUT.',
    );
    const [unknown] = problems({ include: [{ study: W1, status: ['APPROVED'] }] });
    assert.equal(problemText(unknown), 'include[0].status: "status" is not a field of include[0]; the fields are: study, note, statuses.');
    assert.match(problemText(problems({ exclude: [] })[0]), /^include: "include" is required/);
    assert.match(problemText(problems({ include: [] })[0]), /^include: Name at least one source/);
    assert.match(problemText(problems({ include: [{ messaged: '7d' }] })[0]), /^include\[0\]\.messaged: Must say how far back/);
  });

  it('points at the line and column of a JSON syntax error, and explains an empty file', () => {
    // A missing comma: the engine gives the position, which becomes a line and column.
    const [missingComma] = problems('{\n  "include": []\n  "exclude": []\n}');
    assert.equal(missingComma.path, '');
    assert.equal(missingComma.message, 'The file is not valid JSON (line 3, column 3).');
    assert.match(problems('{ "include": [ { "study": "x" }, ] }')[0].message, /^The file is not valid JSON/);
    assert.match(problems('   ')[0].message, /^The file is empty/);
    assert.match(problems('[1, 2]')[0].message, /holds one JSON object/);
  });

  it('accepts times of hours, days and weeks up to 30 days, and every status in both forms', () => {
    assert.equal(withinMs('36h'), 36 * 3_600_000);
    assert.equal(withinMs('2w'), 14 * 86_400_000);
    assert.equal(withinMs('30d'), 30 * 86_400_000);
    for (const bad of ['31d', '5w', '0d', '7', 'd7', '1.5d', '-1d', '7 days']) assert.equal(withinMs(bad), undefined, bad);
    assert.equal(canonicalStatus('SCREENED_OUT'), 'SCREENED OUT');
    assert.equal(canonicalStatus('TIMED_OUT'), 'TIMED-OUT');
    assert.equal(canonicalStatus('PARTIALLY_APPROVED'), 'PARTIALLY APPROVED');
    assert.equal(canonicalStatus('approved'), undefined, 'written the way Prolific returns them: capitals');
  });

  it('writes what New Audience… was told: studies by ID, their names as notes, statuses and "messaged"', () => {
    const spec = newAudienceSpec({
      include: [{ id: W1, name: 'Wave 1' }],
      includeStatuses: ['APPROVED'],
      exclude: [{ id: W2, name: 'Wave 2' }],
      excludeStatuses: [],
      messagedWithin: '7d',
    });
    const text = formatAudience(spec);
    assert.deepEqual(JSON.parse(text), {
      include: [{ study: W1, statuses: ['APPROVED'], note: 'Wave 1' }],
      exclude: [{ study: W2, note: 'Wave 2' }, { messaged: { within: '7d' } }],
    });
    const parsed = parseAudience(text);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.spec, spec);
  });
});

describe('audience preview', () => {
  function resultOf(include: string[][], exclude: string[][]): AudienceResult {
    const c = combine(include, exclude);
    const source = (side: 'include' | 'exclude', index: number, label: string, count: number): EvaluatedSource => ({
      ref: { side, index },
      spec: { kind: 'ids', ids: [], note: index === 0 && side === 'include' ? 'the | pipe *note*' : undefined } as never,
      label,
      tag: `${side} ${index + 1}`,
      count,
      warnings: [],
    });
    const sources = [
      ...include.map((ids, i) => source('include', i, `include ${i + 1}: study "Wave [1]"`, ids.length)),
      ...exclude.map((ids, i) => source('exclude', i, `exclude ${i + 1}: study "Wave 2"`, ids.length)),
    ];
    return {
      spec: { include: [], exclude: [] },
      sources,
      members: c.members,
      keptOut: c.keptOut,
      putInBy: (id) => c.putInBy(id).map((i) => ({ source: sources[i], status: 'APPROVED' })),
      keptOutBy: (id) => c.keptOutBy(id).map((i) => ({ source: sources[include.length + i] })),
      rows: () => [],
      invalid: [],
      messageStudy: { id: W2, name: 'Wave 2' },
      evaluatedAt: 0,
    };
  }

  it('lists each participant once, in or kept out, with the sources that put them there', () => {
    const md = previewMarkdown('study/wave2-reminder.audience.json', resultOf([[P(1), P(2), P(3)], [P(3)]], [[P(2)]]));
    assert.match(md, /\*\*2 participants\*\* in the audience; 1 kept out by the exclusions\. Evaluated 1970-01-01T00:00:00\.000Z\./);
    assert.ok(md.includes(`| 1 | ${P(1)} | yes | include 1 (APPROVED) |  |`), md);
    assert.ok(md.includes(`| 2 | ${P(3)} | yes | include 1 (APPROVED), include 2 (APPROVED) |  |`), md);
    assert.ok(md.includes(`| 3 | ${P(2)} | no | include 1 (APPROVED) | exclude 1 |`), md);
    assert.ok(md.includes('Message about: study "Wave 2"'), md);
  });

  it('escapes what comes from the file or from Prolific, so nothing breaks the table or becomes a link', () => {
    const md = previewMarkdown('[x](http://e.example)', resultOf([[P(1)]], []));
    assert.ok(!md.includes('[x](http'), md);
    assert.ok(md.includes('the \\| pipe \\*note\\*'), md);
    assert.ok(md.includes('Wave \\[1\\]'), md);
  });

  it('says so when no source to include holds anyone', () => {
    assert.match(previewMarkdown('a.audience.json', resultOf([[]], [])), /No source to include holds anyone\./);
  });
});

describe('audience files in the Sent history', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'prolific-audience-history-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps the audience file's name and its text at the time of sending, in the entry and its document", async () => {
    const store = new HistoryStore(dir, () => 50);
    const audience = { file: 'study/wave2-reminder.audience.json', content: `{ "include": [ { "study": "${W1}" } ] }\n` };
    const writer = await store.startRun({
      kind: 'bulk',
      studyId: W1,
      body: 'Wave 2 is open.',
      source: 'study/wave2-reminder.audience.json',
      recipientCount: 2,
      items: [{ id: P(1) }, { id: P(2) }],
      audience,
    });
    await writer.trying([P(1), P(2)]);
    await writer.sent([P(1), P(2)]);
    const ended = await writer.end({ cancelled: false });
    assert.deepEqual(ended.audience, audience);
    // Read again from disk, as the Sent view does in a later session.
    const again = await new HistoryStore(dir, () => 50).get(ended.id);
    assert.deepEqual(again?.audience, audience);
    const md = toMarkdown(again!, (t) => t);
    assert.ok(md.includes('## Audience file: study/wave2-reminder.audience.json'), md);
    assert.ok(md.includes('```json\n' + audience.content), md);
    // A run without an audience file has none.
    const plain = await store.startRun({ kind: 'bulk', studyId: W1, body: 'x', recipientCount: 1, items: [{ id: P(3) }] });
    assert.equal((await plain.end({ cancelled: false })).audience, undefined);
  });

  it('gives "messaged within" the runs since a time, with who each reached', async () => {
    const store = new HistoryStore(dir, () => 50);
    const before = Date.now() - 1;
    const writer = await store.startRun({ kind: 'bulk', studyId: W1, body: 'x', recipientCount: 2, items: [{ id: P(1) }, { id: P(2) }] });
    await writer.trying([P(1)]);
    await writer.sent([P(1)]);
    await writer.end({ cancelled: true });
    const runs = await store.runsSince(before);
    assert.equal(runs.length, 1);
    assert.deepEqual(
      runs[0].outcomes.map((o) => [o.id, o.status]),
      [
        [P(1), 'sent'],
        [P(2), 'skipped'],
      ],
    );
    assert.deepEqual(await store.runsSince(Date.now() + 60_000), []);
  });
});
