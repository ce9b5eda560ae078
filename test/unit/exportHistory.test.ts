// The text forms of a sent-history entry: CSV and JSON exports, the Open document and the
// Sent view's summary, and the guard that keeps unknown fields (a token) out of all of them.
import assert from 'node:assert/strict';
import { cleanEntry, resultText, severity, type HistoryEntry } from '../../src/features/history/historyEntry';
import { MARKDOWN_ROW_LIMIT, toCsv, toJson, toMarkdown } from '../../src/features/history/historyExport';
import { firstLine } from '../../src/shared/text';

const A = '5f8d0c3e4b2a1c0012345678';
const B = '619e049f7648a4e1f8f3645b';
const C = '60a1b2c3d4e5f60718293a4b';

function entry(overrides: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    id: 'e1',
    time: '2024-03-12T14:05:00.000Z',
    kind: 'bulk',
    studyId: '64ab12cd34ef56ab78cd90ef',
    body: 'Hello,\nthanks for taking part.',
    recipientCount: 3,
    source: 'participants.csv',
    outcomes: [
      { id: A, status: 'sent' },
      { id: B, status: 'failed', reason: 'Prolific refused it (400).', retryable: true },
      { id: C, status: 'skipped', reason: 'Not attempted: the send was cancelled.' },
    ],
    counts: { sent: 1, failed: 1, skipped: 1, unknown: 0 },
    cancelled: false,
    retryable: 2,
    ...overrides,
  };
}

/** A minimal RFC 4180 reader, to check the CSV round-trips rather than its exact bytes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  assert.equal(cell, '', 'the file ends with a line break');
  return rows;
}

describe('toCsv', () => {
  it('has the header and one row per outcome, with CRLF line ends', () => {
    const csv = toCsv(entry());
    assert.ok(csv.startsWith('participant_id,status,reason\r\n'));
    assert.deepEqual(parseCsv(csv), [
      ['participant_id', 'status', 'reason'],
      [A, 'sent', ''],
      [B, 'failed', 'Prolific refused it (400).'],
      [C, 'skipped', 'Not attempted: the send was cancelled.'],
    ]);
    assert.doesNotMatch(csv.replace(/\r\n/g, ''), /[\r\n]/);
  });

  it('quotes commas, quotes and line breaks, doubling the quotes', () => {
    const reason = 'Said "no", then\r\nleft';
    const csv = toCsv(entry({ outcomes: [{ id: A, status: 'failed', reason }] }));
    assert.ok(csv.includes('"Said ""no"", then\r\nleft"'));
    assert.deepEqual(parseCsv(csv)[1], [A, 'failed', reason]);
  });

  it('neutralises cells a spreadsheet would run as a formula', () => {
    const reasons = ['=HYPERLINK("http://evil","x")', '+1+1', '-2', '@SUM(A1)', '\tx', 'plain = fine'];
    const csv = toCsv(entry({ outcomes: reasons.map((reason, i) => ({ id: `${i}`.padStart(24, '0'), status: 'failed', reason })) }));
    const cells = parseCsv(csv)
      .slice(1)
      .map((r) => r[2]);
    assert.deepEqual(cells, ['\'=HYPERLINK("http://evil","x")', "'+1+1", "'-2", "'@SUM(A1)", "'\tx", 'plain = fine']);
  });

  it('writes only the header for a group message', () => {
    assert.equal(toCsv(entry({ kind: 'group', outcomes: [], groupName: 'Wave 2' })), 'participant_id,status,reason\r\n');
  });
});

describe('toJson', () => {
  it('is the whole entry, indented, with every outcome', () => {
    const json = toJson(entry());
    assert.match(json, /^\{\n {2}"id": "e1",/);
    assert.deepEqual(JSON.parse(json), entry());
  });

  it('keeps the personalized texts kept for a retry', () => {
    const e = entry({ kind: 'personalized', bodies: { [B]: 'Hi Bo' } });
    assert.deepEqual(JSON.parse(toJson(e)).bodies, { [B]: 'Hi Bo' });
  });
});

describe('cleanEntry (nothing but the known fields is stored or exported)', () => {
  it('drops unknown fields at every level', () => {
    const dirty = { ...entry(), token: 'SECRET-TOKEN', client: { token: 'SECRET-TOKEN' } } as HistoryEntry;
    dirty.outcomes = dirty.outcomes.map((o) => ({ ...o, headers: { Authorization: 'Token SECRET-TOKEN' } }));
    (dirty.counts as unknown as Record<string, unknown>).token = 'SECRET-TOKEN';
    const clean = cleanEntry(dirty);
    assert.deepEqual(clean, entry());
    assert.doesNotMatch(JSON.stringify(clean), /SECRET/);
    assert.doesNotMatch(toJson(dirty), /SECRET/);
    assert.doesNotMatch(toCsv(dirty), /SECRET/);
  });

  it('rejects entries with a missing or mistyped field', () => {
    assert.equal(cleanEntry(null), undefined);
    assert.equal(cleanEntry([]), undefined);
    assert.equal(cleanEntry({ ...entry(), kind: 'other' }), undefined);
    assert.equal(cleanEntry({ ...entry(), time: 'yesterday' }), undefined);
    assert.equal(cleanEntry({ ...entry(), counts: { sent: 1, failed: -1, skipped: 0 } }), undefined);
    assert.equal(cleanEntry({ ...entry(), outcomes: [{ id: A, status: 'maybe' }] }), undefined);
    const noBody: Partial<HistoryEntry> = entry();
    delete noBody.body;
    assert.equal(cleanEntry(noBody), undefined);
  });

  it('treats a missing study as none', () => {
    assert.equal(cleanEntry({ ...entry(), studyId: undefined })?.studyId, null);
  });
});

describe('toMarkdown', () => {
  it("says a broadcast's kind, subject, ID and Prolific's count, and keeps no broadcast without its ID", () => {
    const broadcast = { id: 'b-7', subject: 'Wave *2*', topic: 'other' };
    const md = toMarkdown(entry({ kind: 'broadcast', broadcast, broadcastRecipients: 3 }));
    assert.ok(md.includes('- **Kind:** Broadcast (a conversation with each participant)'));
    assert.ok(md.includes('- **Subject:** Wave \\*2\\*'), 'the subject escaped');
    assert.ok(md.includes('- **Broadcast ID:** b-7'));
    assert.ok(md.includes("- **Recipients by Prolific's count:** 3"));
    assert.deepEqual(cleanEntry({ ...entry({ kind: 'broadcast', broadcast, broadcastRecipients: 3 }), token: 'x' })?.broadcast, broadcast);
    assert.equal(cleanEntry(entry({ kind: 'broadcast' })), undefined, 'a broadcast without its ID could not be resent safely');
  });

  it('shows the details, the body exactly and every recipient', () => {
    const md = toMarkdown(entry());
    assert.ok(md.includes('- **Source:** participants.csv'));
    assert.match(md, /- \*\*Result:\*\* 1 sent, 1 failed, 1 skipped/);
    assert.ok(md.includes('```text\nHello,\nthanks for taking part.\n```'));
    for (const id of [A, B, C]) assert.match(md, new RegExp(`\\| ${id} \\|`));
  });

  it('names the study when the window knows its name, escaped, and shows the ID either way', () => {
    const study = entry().studyId!;
    assert.ok(toMarkdown(entry()).includes(`- **Study:** ${study}\n`));
    const named = toMarkdown(entry(), undefined, (id) => (id === study ? 'Wave *2*' : undefined));
    assert.ok(named.includes(`- **Study:** Wave \\*2\\* (${study})\n`), named);
    assert.ok(toMarkdown(entry({ studyId: null }), undefined, () => 'never').includes('- **Study:** none\n'));
  });

  it('escapes what would be Markdown: the body cannot close its fence, cells cannot break the table', () => {
    const body = 'Look: ```` [click](http://evil) <img src=x>';
    const md = toMarkdown(entry({ body, source: '<b>*x*</b>', outcomes: [{ id: A, status: 'failed', reason: 'a | b\n[link](x)' }] }));
    assert.ok(md.includes('`````text\n' + body + '\n`````'), 'the fence is longer than any backtick run');
    assert.ok(md.includes('- **Source:** \\<b\\>\\*x\\*\\</b\\>'));
    assert.ok(md.includes(`| ${A} | failed | a \\| b \\[link\\](x) |`));
  });

  it(`stops the table at ${MARKDOWN_ROW_LIMIT} rows and says so`, () => {
    const outcomes = Array.from({ length: MARKDOWN_ROW_LIMIT + 5 }, (_, i) => ({
      id: String(i).padStart(24, '0'),
      status: 'sent' as const,
    }));
    const md = toMarkdown(entry({ outcomes, recipientCount: outcomes.length }));
    assert.equal(md.split('\n').filter((l) => /^\| \d{24} \|/.test(l)).length, MARKDOWN_ROW_LIMIT);
    assert.match(md, /and 5 more recipients not shown/);
  });
});

describe('summaries', () => {
  it('labels with the first non-blank line, cut short', () => {
    assert.equal(firstLine('\n  Hello   there \nsecond'), 'Hello there');
    assert.equal(firstLine('x'.repeat(100)).length, 60);
    assert.equal(firstLine('   '), '(empty message)');
  });

  it('describes the result', () => {
    assert.equal(resultText(entry({ counts: { sent: 3, failed: 0, skipped: 0, unknown: 0 } })), 'sent');
    assert.equal(resultText(entry({ counts: { sent: 0, failed: 3, skipped: 0, unknown: 0 } })), '3 failed');
    assert.equal(resultText(entry()), '1 failed, 1 skipped');
    assert.equal(
      resultText(entry({ recipientCount: 100, counts: { sent: 40, failed: 0, skipped: 60, unknown: 0 }, cancelled: true })),
      'cancelled: 40 of 100 sent',
    );
    assert.equal(severity(entry({ counts: { sent: 3, failed: 0, skipped: 0, unknown: 0 } })), 'ok');
    assert.equal(severity(entry()), 'partial');
    assert.equal(severity(entry({ counts: { sent: 0, failed: 3, skipped: 0, unknown: 0 } })), 'failed');
  });
});
