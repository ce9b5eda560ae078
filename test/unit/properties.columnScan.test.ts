// Property-based tests for the fast way "Message Participants in This File" reads a CSV: only the
// ID column (scanColumn), repeats found by IdOccurrences, records made on demand. Whatever the
// file, it must give exactly what a plain reading gives: the same IDs in the same order, the same
// duplicate count, the same invalid entries, the same row numbers and records. The reference
// (test/support/csvReference.ts) parses every cell (parseCsv, which properties.csv.test.ts checks
// against a CSV writer) and dedupes with a Set of strings, as simply as possible.
//
// One seed per run; fast-check prints it with any counterexample, and FC_SEED=<seed> replays that run.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { holds, prng } from '../support/random';
import { detectFileIdColumn, openCsv, type Delimiter } from '../../src/shared/recipients/csv';
import { IdOccurrences, STRIDE } from '../../src/shared/recipients/idOccurrences';
import { countIdsInColumn, csvRecipientList, recipientsFromFile } from '../../src/shared/recipients/recipientList';
import { scanColumn } from '../../src/shared/recipients/columnScan';
import { detectIdColumn, parseCsv, recipientsFromText as reference } from '../support/csvReference';

function fast(text: string, column: number, delimiter?: Delimiter) {
  const list = recipientsFromFile(openCsv(text, delimiter), column);
  return { ids: list.ids, invalid: list.invalid, duplicates: list.duplicates, rows: list.rows(), rowNumbers: Array.from(list.rowNumbers) };
}

const hex = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 24, maxLength: 24 });
/** A few IDs per case, so that rows repeat them (in any case). */
const pool = fc.array(hex, { minLength: 1, maxLength: 4 });
const idCell = (ids: string[]) =>
  fc.oneof(
    fc.constantFrom(...ids),
    fc.constantFrom(...ids).map((id) => id.toUpperCase()),
    fc.constantFrom(...ids).map((id) => ` ${id.slice(0, 12).toUpperCase()}${id.slice(12)}\t`), // padded, mixed case
    fc.constantFrom(...ids).map((id) => id.slice(1)), // 23 digits
    fc.constantFrom(...ids).map((id) => `${id}0`), // 25 digits
    fc.constantFrom(...ids).map((id) => `g${id.slice(1)}`), // 24 characters, not all hex
    fc.constantFrom(...ids).map((id) => `${id.slice(0, 10)}"${id.slice(11)}`), // a quote inside
    fc.constantFrom('', ' ', 'n/a', 'participant', '\ufeff'),
  );
const otherCell = (ids: string[]) =>
  fc.oneof(
    fc.string({ unit: fc.constantFrom('"', ',', ';', '\t', '\r', '\n', ' ', 'a', 'F', '0', 'é', '\ufeff'), maxLength: 10 }),
    fc.constantFrom(...ids), // IDs in other columns are not recipients
    fc.string({ maxLength: 6 }),
  );

interface Layout {
  delimiter: Delimiter;
  eol: '\r\n' | '\n' | '\r';
  bom: boolean;
  /** Per cell, whether to quote it even when it need not be. */
  quoteAnyway: boolean[];
  /** Blank lines before the header, after the last row, and which rows are followed by one. */
  leadingBlank: number;
  trailingBreaks: number;
  blankAfter: boolean[];
  /** Per row, how many cells to leave off the end (ragged rows). */
  shorten: number[];
}

interface Case {
  idColumn: number;
  header: string[];
  ids: string[];
  others: string[][];
  layout: Layout;
}

const generatedCase: fc.Arbitrary<Case> = fc
  .record({ width: fc.integer({ min: 1, max: 5 }), height: fc.integer({ min: 0, max: 25 }), ids: pool })
  .chain(({ width, height, ids }) =>
    fc.record({
      idColumn: fc.nat(width - 1),
      header: fc.array(
        fc.oneof(fc.constantFrom('participant_id', 'PROLIFIC_PID', 'status', 'name', '', ' notes '), fc.string({ maxLength: 5 })),
        { minLength: width, maxLength: width },
      ),
      ids: fc.array(idCell(ids), { minLength: height, maxLength: height }),
      others: fc.array(fc.array(otherCell(ids), { minLength: width, maxLength: width }), { minLength: height, maxLength: height }),
      layout: fc.record<Layout>({
        delimiter: fc.constantFrom(',', '\t', ';'),
        eol: fc.constantFrom('\r\n', '\n', '\r'),
        bom: fc.boolean(),
        quoteAnyway: fc.array(fc.boolean(), { minLength: 200, maxLength: 200 }),
        leadingBlank: fc.nat(2),
        trailingBreaks: fc.nat(2),
        blankAfter: fc.array(fc.boolean(), { minLength: height, maxLength: height }),
        shorten: fc.array(fc.nat(width), { minLength: height, maxLength: height }),
      }),
    }),
  );

/** A CSV as files in the wild come: quoted when needed or not, CRLF/LF/CR, a BOM, blank and short rows. */
function write({ idColumn, header, ids, others, layout }: Case): string {
  let n = 0;
  const field = (value: string) => {
    const quote = layout.quoteAnyway[n++ % layout.quoteAnyway.length] || /["\r\n,;\t]/.test(value);
    return quote ? `"${value.replace(/"/g, '""')}"` : value;
  };
  const rows = others.map((cells, r) => {
    const row = [...cells];
    row[idColumn] = ids[r];
    return row.slice(0, Math.max(1, row.length - layout.shorten[r]));
  });
  const lines = [header.map(field).join(layout.delimiter)];
  rows.forEach((row, r) => {
    lines.push(row.map(field).join(layout.delimiter));
    if (layout.blankAfter[r]) lines.push('');
  });
  return (
    (layout.bom ? '\ufeff' : '') +
    layout.eol.repeat(layout.leadingBlank) +
    lines.join(layout.eol) +
    layout.eol.repeat(layout.trailingBreaks)
  );
}

describe('properties: reading the ID column of a CSV (recipientsFromFile)', function () {
  this.timeout(120_000);

  it('gives what a plain reading of every cell gives, for every column, on generated CSVs', () => {
    holds('recipientsFromFile = reference (every column)', 1500, generatedCase, (c) => {
      const text = write(c);
      for (const delimiter of [undefined, c.layout.delimiter]) {
        const width = parseCsv(text, delimiter).header.length;
        for (let column = 0; column <= width; column++)
          assert.deepEqual(fast(text, column, delimiter), reference(text, column, delimiter), `column ${column}`);
      }
    });
  });

  it('reads the same values a slice of rows at a time as in one scan (the CodeLens count), quotes and line breaks and all', () => {
    /** Every value the scan hands out, in order, as text. */
    const values = (file: ReturnType<typeof openCsv>, column: number, sliceRows: number) => {
      const seen: string[] = [];
      const sink = {
        addIdAt: (text: string, start: number) =>
          /^[0-9a-f]{24}$/i.test(text.slice(start, start + 24)) && seen.push(text.slice(start, start + 24)) > 0,
        add: (value: string) => void seen.push(value),
      };
      for (let at = file.bodyStart; at < file.end;) at = scanColumn({ ...file, bodyStart: at }, column, sink, sliceRows);
      return seen;
    };
    holds('scanColumn in slices = one scan', 800, generatedCase, (c) => {
      const file = openCsv(write(c), c.layout.delimiter);
      const whole = values(file, c.idColumn, Infinity);
      for (const slice of [1, 2, 7]) assert.deepEqual(values(file, c.idColumn, slice), whole, `slices of ${slice}`);
    });
  });

  it('counts the different IDs of a column a slice at a time, and stops when told', async () => {
    const ids = Array.from({ length: 50 }, (_, i) => i.toString(16).padStart(24, '0'));
    const text = ['participant_id,note', ...ids.map((id, i) => `${i % 3 ? id : id.toUpperCase()},"line\nbreak"`), `${ids[0]},again`].join(
      '\n',
    );
    const file = openCsv(text);
    let pauses = 0;
    const pause = async () => void pauses++;
    assert.equal(await countIdsInColumn(file, 0, () => false, pause, 7), recipientsFromFile(file, 0).ids.length);
    assert.equal(pauses, Math.ceil(51 / 7), 'a pause after each slice');
    pauses = 0;
    assert.equal(await countIdsInColumn(file, 0, () => pauses >= 2, pause, 7), undefined);
    assert.equal(pauses, 2, 'stopped after the second slice');
  });

  it('detects the same ID column as detectIdColumn on the whole table', () => {
    holds('detectFileIdColumn = detectIdColumn(parseCsv)', 1500, generatedCase, (c) => {
      const text = write(c);
      assert.equal(detectFileIdColumn(openCsv(text)), detectIdColumn(parseCsv(text)));
    });
  });

  it('gives the same as the reference on arbitrary text, and never throws', () => {
    const text = fc.oneof(
      fc.string({ unit: fc.constantFrom('"', ',', ';', '\t', '\r', '\n', ' ', 'a', 'A', 'f', '0', '9', 'g', '\ufeff'), maxLength: 120 }),
      fc.string({ unit: 'binary', maxLength: 60 }),
    );
    holds('recipientsFromFile = reference on arbitrary text', 3000, text, (input) => {
      for (let column = 0; column < 4; column++) assert.deepEqual(fast(input, column), reference(input, column), `column ${column}`);
    });
  });

  it('csvRecipientList (parseRecipientList on a CSV) gives the reference for the detected column, or nothing', () => {
    holds('csvRecipientList = reference on the detected column', 1500, generatedCase, (c) => {
      const text = write(c);
      const list = csvRecipientList(text);
      if (!list) return;
      const { ids, invalid, duplicates } = reference(text, detectIdColumn(parseCsv(text)));
      assert.deepEqual(list, { ids, invalid, duplicates });
    });
  });
});

describe('properties: IdOccurrences', function () {
  this.timeout(60_000);

  it('marks exactly the repeats, in any case, across partitions', () => {
    // Up to 5,000 IDs from a pool of up to 1,500 (drawn by a seeded PRNG: fast-check keeps arrays
    // short), so that lists span several partitions and repeat often.
    const input = fc
      .record({ pool: fc.integer({ min: 1, max: 1500 }), count: fc.integer({ min: 0, max: 5000 }), seed: fc.integer() })
      .map(({ pool, count, seed }) => {
        const random = prng(seed);
        const ids = Array.from({ length: pool }, () =>
          Array.from({ length: 24 }, () => '0123456789abcdef'[Math.floor(random() * 16)]).join(''),
        );
        return Array.from({ length: count }, () => {
          const id = ids[Math.floor(random() * pool)];
          return random() < 0.3 ? id.toUpperCase() : id;
        });
      });
    holds('IdOccurrences.repeats = Set reference', 200, input, (ids) => {
      const occurrences = new IdOccurrences(16);
      const text = ids.join(',');
      ids.forEach((_, i) => assert.equal(occurrences.add(text, i * 25, i, i + 1, i + 2), true));
      const seen = new Set<string>();
      const expected = ids.map((id) => (seen.has(id.toLowerCase()) ? 1 : (seen.add(id.toLowerCase()), 0)));
      assert.deepEqual(Array.from(occurrences.repeats()), expected);
      ids.forEach((_, i) => assert.deepEqual(Array.from(occurrences.data.subarray(i * STRIDE + 3, i * STRIDE + 6)), [i, i + 1, i + 2]));
    });
  });
});
