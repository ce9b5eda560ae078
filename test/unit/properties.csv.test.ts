// Property-based tests for the CSV reader. A cell read wrongly shifts a participant's row, and a
// personalized message then greets them with someone else's name; a parser that throws on a
// strange file blocks the whole send. So: any table written correctly reads back exactly, and no
// text makes the parser throw.
//
// One seed per run; fast-check prints it with any counterexample, and FC_SEED=<seed> replays that run.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { holds } from '../support/random';
import type { Delimiter } from '../../src/shared/recipients/csv';
import { detectIdColumn, parseCsv } from '../support/csvReference';
import { isParticipantId } from '../../src/shared/recipients/participantIds';

interface Format {
  delimiter: Delimiter;
  eol: '\r\n' | '\n' | '\r';
  bom: boolean;
  trailingNewline: boolean;
}

/**
 * RFC 4180 writer. A field is quoted when it holds a quote, CR, LF or a delimiter (any of the three the
 * reader may detect, so detection sees only the real one), and also when leaving it bare would be read
 * differently by any reader: a row that is one empty field (a blank line, which readers skip at the
 * start and end), and a first field starting with U+FEFF (which would be taken for a byte order mark).
 */
function writeCsv(table: string[][], format: Format): string {
  const field = (value: string, first: boolean) =>
    /["\r\n,;\t]/.test(value) || (first && value.startsWith('\ufeff')) ? `"${value.replace(/"/g, '""')}"` : value;
  const lines = table.map((row, r) =>
    row.length === 1 && row[0] === '' ? '""' : row.map((value, c) => field(value, r === 0 && c === 0)).join(format.delimiter),
  );
  return (format.bom ? '\ufeff' : '') + lines.join(format.eol) + (format.trailingNewline ? format.eol : '');
}

/** Cells full of what breaks CSV readers: quotes, delimiters, CR/LF, tabs, BOMs, spaces, non-ASCII. */
const cell = fc.oneof(
  fc.string({ unit: fc.constantFrom('"', ',', ';', '\t', '\r', '\n', ' ', 'a', 'Z', '0', 'é', '😀', '\ufeff', '\u2028'), maxLength: 12 }),
  fc.string(),
  fc.string({ unit: 'binary' }),
);
/** Rectangular tables: CSV cannot tell a short row from one with empty trailing cells (the reader pads). */
const table = fc
  .integer({ min: 1, max: 6 })
  .chain((width) => fc.array(fc.array(cell, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 8 }));
const format = fc.record<Format>({
  delimiter: fc.constantFrom(',', '\t', ';'),
  eol: fc.constantFrom('\r\n', '\n', '\r'),
  bom: fc.boolean(),
  trailingNewline: fc.boolean(),
});

describe('properties: CSV', function () {
  this.timeout(60_000);

  it('reads back every correctly written table exactly (delimiter given)', () => {
    holds('parseCsv(writeCsv(table), delimiter) = table', 2000, fc.tuple(table, format), ([rows, f]) => {
      const parsed = parseCsv(writeCsv(rows, f), f.delimiter);
      assert.deepEqual(parsed, { header: rows[0], rows: rows.slice(1), delimiter: f.delimiter });
    });
  });

  it('reads back every correctly written table exactly (delimiter detected)', () => {
    holds('parseCsv(writeCsv(table)) = table, delimiter detected', 2000, fc.tuple(table, format), ([rows, f]) => {
      const parsed = parseCsv(writeCsv(rows, f));
      assert.deepEqual(parsed.header, rows[0]);
      assert.deepEqual(parsed.rows, rows.slice(1));
      // One column has no delimiter to detect; the default (',') is then as good as any.
      assert.equal(parsed.delimiter, rows[0].length > 1 ? f.delimiter : ',');
    });
  });

  it('never throws on arbitrary text, and pads every row to the header', () => {
    const text = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }), // the whole of Unicode (fast-check 4's replacement for fullUnicodeString)
      fc.string({ unit: fc.constantFrom('"', ',', ';', '\t', '\r', '\n', ' ', 'a', '\ufeff', '\ud800'), maxLength: 60 }), // including a lone surrogate
    );
    holds(
      'parseCsv never throws on arbitrary text',
      3000,
      fc.tuple(text, fc.constantFrom<Delimiter | undefined>(undefined, ',', '\t', ';')),
      ([input, delimiter]) => {
        const parsed = parseCsv(input, delimiter);
        assert.ok([',', '\t', ';'].includes(parsed.delimiter));
        for (const row of parsed.rows) assert.ok(row.length >= parsed.header.length);
        // Cells are slices of the input: never longer than it in total.
        assert.ok([parsed.header, ...parsed.rows].flat().join('').length <= input.length);
      },
    );
  });

  it('detectIdColumn finds the column of participant IDs among random columns', () => {
    // Header names that say "participant ID" would win by name; random headers never say it.
    const HEADER_NAMES = ['participantid', 'prolificpid', 'prolificid', 'participant', 'pid'];
    const header = cell.filter((h) => !HEADER_NAMES.includes(h.toLowerCase().replace(/[\s_-]+/g, '')));
    const other = cell.filter((value) => !isParticipantId(value));
    const hex = fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: 24, maxLength: 24 });
    // IDs as exports hold them: any case, sometimes with spaces around.
    const idCell = fc.tuple(fc.constantFrom('', ' ', '  '), hex, fc.constantFrom('', ' ')).map((parts) => parts.join(''));
    const input = fc.record({ width: fc.integer({ min: 2, max: 6 }), height: fc.integer({ min: 1, max: 12 }) }).chain(({ width, height }) =>
      fc.record({
        column: fc.nat(width - 1),
        header: fc.array(header, { minLength: width, maxLength: width }),
        ids: fc.array(idCell, { minLength: height, maxLength: height }),
        others: fc.array(fc.array(other, { minLength: width - 1, maxLength: width - 1 }), { minLength: height, maxLength: height }),
        format,
      }),
    );
    holds('detectIdColumn finds the generated ID column', 1000, input, ({ column, header, ids, others, format }) => {
      const rows = others.map((cells, r) => [...cells.slice(0, column), ids[r], ...cells.slice(column)]);
      assert.equal(detectIdColumn({ header, rows, delimiter: format.delimiter }), column, 'on the table itself');
      assert.equal(detectIdColumn(parseCsv(writeCsv([header, ...rows], format))), column, 'on the table written and read back');
    });
  });
});
