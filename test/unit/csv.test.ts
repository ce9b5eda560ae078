import assert from 'node:assert/strict';
import { prng } from '../support/random';
import {
  columnNames,
  delimiterForDocument,
  delimiterForFile,
  isTableDocument,
  type CsvTable,
  type Delimiter,
} from '../../src/shared/recipients/csv';
import { detectIdColumn, parseCsv, rowRecords } from '../support/csvReference';

const A = '5f8d0c3e4b2a1c0012345678';
const B = '619e049f7648a4e1f8f3645b';

/** A table of the given header and rows, delimiter defaulting to comma. */
const table = (header: string[], rows: string[][], delimiter: Delimiter = ','): CsvTable => ({ header, rows, delimiter });

describe('parseCsv', () => {
  it('reads quoted fields with delimiters, "" escapes and line breaks inside', () => {
    const text = 'id,note,n\n1,"a, b","say ""hi"""\n2,"line 1\nline 2\r\nline 3",x\n';
    assert.deepEqual(
      parseCsv(text),
      table(
        ['id', 'note', 'n'],
        [
          ['1', 'a, b', 'say "hi"'],
          ['2', 'line 1\nline 2\r\nline 3', 'x'],
        ],
      ),
    );
  });

  it('strips a UTF-8 BOM and accepts CRLF, LF and CR line breaks; a trailing line break adds no row', () => {
    for (const eol of ['\r\n', '\n', '\r']) {
      assert.deepEqual(
        parseCsv(`\uFEFFa,b${eol}1,2${eol}3,4${eol}`),
        table(
          ['a', 'b'],
          [
            ['1', '2'],
            ['3', '4'],
          ],
        ),
        JSON.stringify(eol),
      );
      assert.deepEqual(parseCsv(`a,b${eol}1,2`), table(['a', 'b'], [['1', '2']]));
    }
    assert.deepEqual(parseCsv('a\n1\n\n\r\n'), table(['a'], [['1']]), 'several trailing line breaks');
  });

  it('detects tab and semicolon from the first line, ignoring delimiters inside quotes', () => {
    assert.deepEqual(parseCsv('a\tb\tc\n1,5\t2\t3'), table(['a', 'b', 'c'], [['1,5', '2', '3']], '\t'));
    assert.deepEqual(
      parseCsv('name;score\nAnn;1,5\nBo;2'),
      table(
        ['name', 'score'],
        [
          ['Ann', '1,5'],
          ['Bo', '2'],
        ],
        ';',
      ),
    );
    assert.deepEqual(parseCsv('"a,b,c";d\n1;2'), table(['a,b,c', 'd'], [['1', '2']], ';'));
    assert.equal(parseCsv('just one column\nx').delimiter, ',');
    assert.equal(parseCsv('').delimiter, ',');
  });

  it('uses a given delimiter instead of detecting one; .tsv files mean tab', () => {
    assert.deepEqual(parseCsv('a,b\tc\n1,2\t3', '\t'), table(['a,b', 'c'], [['1,2', '3']], '\t'));
    assert.equal(delimiterForFile('/data/export.TSV'), '\t');
    assert.equal(delimiterForFile('export.csv'), undefined);
  });

  it("reads the table languages of CSV extensions with their dialect's delimiter", () => {
    assert.deepEqual(parseCsv('a|b\n"x|y"|2', delimiterForDocument('untitled:1', 'csv (pipe)')), table(['a', 'b'], [['x|y', '2']], '|'));
    assert.equal(delimiterForDocument('notes.txt', 'csv (semicolon)'), ';');
    assert.equal(delimiterForDocument('export.tsv', 'csv'), '\t', 'plain csv: by the name, else detected');
    assert.equal(delimiterForDocument('export.csv', 'csv'), undefined);
    assert.ok(isTableDocument('/d/export.CSV', 'plaintext'));
    assert.ok(isTableDocument('untitled:1', 'csv (hyphen)'));
    assert.ok(!isTableDocument('untitled:1', 'csv (whitespace)'), 'runs of spaces: read as text');
    assert.ok(!isTableDocument('notes.md', 'markdown'));
  });

  it('pads short rows with empty strings and keeps long rows whole', () => {
    assert.deepEqual(
      parseCsv('a,b,c\n1\n1,2,3,4,5\n,'),
      table(
        ['a', 'b', 'c'],
        [
          ['1', '', ''],
          ['1', '2', '3', '4', '5'],
          ['', '', ''],
        ],
      ),
    );
  });

  it('keeps a blank line between rows as an empty row (row numbers stay those of the file) and empty fields', () => {
    assert.deepEqual(
      parseCsv('a,b\n1,2\n\n3,\n""'),
      table(
        ['a', 'b'],
        [
          ['1', '2'],
          ['', ''],
          ['3', ''],
          ['', ''],
        ],
      ),
    );
    assert.deepEqual(parseCsv('\n\na\n1'), table(['a'], [['1']]), 'blank lines before the header are dropped');
  });

  it('is lenient with malformed quoting instead of throwing', () => {
    assert.deepEqual(parseCsv('a,b\nsay "hi",x\n"ab"c,d\n"open,end\nmore').rows, [
      ['say "hi"', 'x'],
      ['abc', 'd'],
      ['open,end\nmore', ''],
    ]);
    assert.deepEqual(parseCsv('a, "b, c"').header, ['a', ' "b', ' c"'], 'spaces before a quote make it plain text, as RFC 4180 says');
  });

  it('returns an empty table for empty text', () => {
    assert.deepEqual(parseCsv(''), table([], []));
    assert.deepEqual(parseCsv('\uFEFF\r\n'), table([], []));
  });

  it('parses a ~5 MB file in one go', () => {
    const lines = ['participant_id,name,comment'];
    const count = 60_000;
    for (let i = 0; i < count; i++)
      lines.push(`${i.toString(16).padStart(24, '0')},Person ${i},"A comment, with ""quotes"" and a comma, number ${i}"`);
    const text = lines.join('\r\n');
    assert.ok(text.length > 5_000_000, `only ${text.length} characters`);
    const parsed = parseCsv(text);
    assert.equal(parsed.rows.length, count);
    assert.deepEqual(parsed.rows[count - 1], [
      (count - 1).toString(16).padStart(24, '0'),
      `Person ${count - 1}`,
      `A comment, with "quotes" and a comma, number ${count - 1}`,
    ]);
  });

  it('round-trips random tables with quotes, delimiters, line breaks and unicode (seeded)', () => {
    const random = prng(20240601);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const pieces = ['a', 'Z', '7', ' ', '"', ',', ';', '\t', '\n', '\r\n', '\r', 'é', '中', '😀', 'x y', '""', A];
    const cell = () => Array.from({ length: Math.floor(random() * 6) }, () => pick(pieces)).join('');
    let cases = 0;
    for (let round = 0; round < 600; round++) {
      const delimiter = pick([',', '\t', ';'] as const);
      const width = 1 + Math.floor(random() * 5);
      const rows = Array.from({ length: 1 + Math.floor(random() * 8) }, () => Array.from({ length: width }, cell));
      // Quote whatever holds a delimiter of any kind (so detection sees only the real one), a quote or a
      // line break; and a lone empty field, which would otherwise be a blank line.
      const quote = (v: string) => (/[,;\t"\r\n]/.test(v) || (v === '' && width === 1) ? `"${v.replaceAll('"', '""')}"` : v);
      const eol = pick(['\n', '\r\n', '\r']);
      const text = (random() < 0.3 ? '\uFEFF' : '') + rows.map((r) => r.map(quote).join(delimiter)).join(eol) + (random() < 0.5 ? eol : '');
      const detect = random() < 0.5;
      const parsed = parseCsv(text, detect ? undefined : delimiter);
      assert.deepEqual({ header: parsed.header, rows: parsed.rows }, { header: rows[0], rows: rows.slice(1) }, JSON.stringify(text));
      if (width > 1) assert.equal(parsed.delimiter, delimiter);
      cases++;
    }
    assert.equal(cases, 600);
  });
});

describe('detectIdColumn', () => {
  it('finds the column by its header name, whatever the case, spaces or underscores', () => {
    for (const name of ['participant_id', 'PROLIFIC_PID', 'Participant id', 'prolific_id', 'Participant', 'pid', ' PARTICIPANT-ID ']) {
      assert.equal(detectIdColumn(table(['name', name, 'status'], [['Ann', 'not checked', 'x']])), 1, name);
    }
  });

  it('prefers participant_id over weaker names such as pid', () => {
    assert.equal(detectIdColumn(table(['pid', 'Participant id'], [])), 1);
  });

  it('otherwise picks the column where at least 80% of the non-empty values are IDs', () => {
    const rows = [
      [B, 'x', A.toUpperCase()],
      [A, 'y', ''],
      ['typo', 'z', B],
      [B, A, A],
      [A, 'w', ` ${B} `],
    ];
    // Column 0: 4 of 5 IDs (80%); column 2: 4 of 4. Column 2 also has the same count, so the leftmost wins.
    assert.equal(detectIdColumn(table(['who', 'note', 'other'], rows)), 0);
    assert.equal(
      detectIdColumn(
        table(
          ['a', 'b'],
          [
            ['typo', B],
            ['oops', A],
            [A, B],
          ],
        ),
      ),
      1,
      'column 0 has 1 ID in 3',
    );
    assert.equal(
      detectIdColumn(
        table(
          ['a', 'b'],
          [
            [A, 'n'],
            ['x', 'n'],
            ['y', 'n'],
          ],
        ),
      ),
      -1,
      '1 ID in 3 is not enough',
    );
    assert.equal(
      detectIdColumn(
        table(
          ['a', 'b'],
          [
            ['', ''],
            ['', ''],
          ],
        ),
      ),
      -1,
      'no IDs at all',
    );
    assert.equal(detectIdColumn(table([], [])), -1);
  });
});

describe('rowRecords', () => {
  it('keys each row by its trimmed header; repeated names get " (2)", empty names "column N"', () => {
    const parsed = parseCsv('id, name ,name,,name (2)\n1,Ann,Bo,z\n2');
    assert.deepEqual(rowRecords(parsed), [
      { id: '1', name: 'Ann', 'name (2)': 'Bo', 'column 4': 'z', 'name (2) (2)': '' },
      { id: '2', name: '', 'name (2)': '', 'column 4': '', 'name (2) (2)': '' },
    ]);
    assert.deepEqual(columnNames(columnNames(parsed.header)), columnNames(parsed.header), 'idempotent');
  });

  it('stores a column named __proto__ as data', () => {
    const [record] = rowRecords(parseCsv('__proto__\nx'));
    assert.equal(Object.getPrototypeOf(record), Object.prototype);
    assert.deepEqual(Object.keys(record), ['__proto__']);
  });
});
