import assert from 'node:assert/strict';
import { openCsv } from '../../src/shared/recipients/csv';
import { MAX_INVALID, parseRecipientList, recipientsFromFile, selectRows } from '../../src/shared/recipients/recipientList';
import { parseCsv, recipientsFromTable } from '../support/csvReference';

const A = '5f8d0c3e4b2a1c0012345678';
const B = '619e049f7648a4e1f8f3645b';
const C = '60ffabcdef0123456789abcd';

describe('parseRecipientList', () => {
  it('reads one ID per line, with CRLF, blank lines and spaces around', () => {
    assert.deepEqual(parseRecipientList(`${A}\r\n\r\n  ${B}  \n${C}\n`), { ids: [A, B, C], invalid: [], duplicates: 0 });
  });

  it('reads comma, semicolon, tab and space separated lists, quoted or not, mixed', () => {
    const expected = { ids: [A, B, C], invalid: [], duplicates: 0 };
    assert.deepEqual(parseRecipientList(`${A}, ${B},${C}`), expected);
    assert.deepEqual(parseRecipientList(`${A};${B} ;\t${C};`), expected);
    assert.deepEqual(parseRecipientList(`${A}\t${B}   ${C}`), expected);
    assert.deepEqual(parseRecipientList(`"${A}", '${B}'\n  \`${C}\``), expected);
    assert.deepEqual(parseRecipientList(`${A} ,\n\t${B}\n;${C}`), expected);
  });

  it('lower-cases IDs and removes duplicates in first-seen order, counting them', () => {
    assert.deepEqual(parseRecipientList(`${B.toUpperCase()}\n${A}\n${B}\n${A.toUpperCase()}\n${B}`), {
      ids: [B, A],
      invalid: [],
      duplicates: 3,
    });
  });

  it('lists entries that are not IDs as written, each once', () => {
    const short = A.slice(1);
    assert.deepEqual(parseRecipientList(`${A}\n${short}\nGHIJ${B.slice(4)}\n${short}\n${B}`), {
      ids: [A, B],
      invalid: [short, `GHIJ${B.slice(4)}`],
      duplicates: 0,
    });
    assert.deepEqual(parseRecipientList(`${A}, ${B}, oops`), { ids: [A, B], invalid: ['oops'], duplicates: 0 });
    assert.deepEqual(parseRecipientList('hello'), { ids: [], invalid: ['hello'], duplicates: 0 });
  });

  it(`lists at most ${MAX_INVALID} invalid entries`, () => {
    const text = Array.from({ length: 500 }, (_, i) => `bad${i}`)
      .concat(A)
      .join('\n');
    const list = parseRecipientList(text);
    assert.equal(list.invalid.length, MAX_INVALID);
    assert.equal(list.invalid[0], 'bad0');
    assert.deepEqual(list.ids, [A]);
  });

  it('falls back to every ID mentioned in prose, JSON or logs, with no invalid entries', () => {
    assert.deepEqual(parseRecipientList(`Could you ask ${A} and ${C.toUpperCase()} about the bonus? ${A} too.`), {
      ids: [A, C],
      invalid: [],
      duplicates: 0,
    });
    assert.deepEqual(parseRecipientList(`["${A}","${B}"]`), { ids: [A, B], invalid: [], duplicates: 0 });
    assert.deepEqual(parseRecipientList(`message ${A}`), { ids: [A], invalid: [], duplicates: 0 }, 'half the words are not IDs');
    assert.deepEqual(parseRecipientList(`${A},Ann,3\n${B},Bo,4`), { ids: [A, B], invalid: [], duplicates: 0 }, 'a CSV without a header');
    assert.deepEqual(parseRecipientList('Hello world'), { ids: [], invalid: [], duplicates: 0 });
    assert.deepEqual(parseRecipientList(''), { ids: [], invalid: [], duplicates: 0 });
  });

  it('uses the ID column of a CSV with a header and ignores the other columns', () => {
    const csv = `Submission id,Participant id,Status\n${C},${A},APPROVED\n${C},${B.toUpperCase()},RETURNED\n${C},,TIMED-OUT\n${C},nope,APPROVED\n${C},${A},APPROVED\n`;
    assert.deepEqual(parseRecipientList(csv), { ids: [A, B], invalid: ['nope'], duplicates: 1 });
    assert.deepEqual(parseRecipientList(`PROLIFIC_PID\t score\n${B}\t1\n${A}\t2`), { ids: [B, A], invalid: [], duplicates: 0 });
    assert.deepEqual(parseRecipientList(`participant_id\n${A}\ntypo`), { ids: [A], invalid: ['typo'], duplicates: 0 }, 'one named column');
    assert.deepEqual(parseRecipientList(`who;notes\n${A};fine\n${B};late`), { ids: [A, B], invalid: [], duplicates: 0 }, 'found by values');
  });

  it('does not mistake a title line for a CSV header', () => {
    assert.deepEqual(parseRecipientList(`Participants to remind:\n${A}\n${B}`), { ids: [A, B], invalid: [], duplicates: 0 });
    assert.deepEqual(
      parseRecipientList(`${A.slice(2)}\n${A}\n${B}`),
      { ids: [A, B], invalid: [A.slice(2)], duplicates: 0 },
      'a typo on the first line is reported',
    );
  });
});

describe('recipientsFromTable', () => {
  it('keeps the first row of each ID with its record and file row number; counts duplicates; lists invalid values', () => {
    const table = parseCsv(`name,participant_id\nAnn,${A}\nBo,${B.toUpperCase()}\nAnn again,${A}\nCy,not-an-id\nDee,\nEd, ${C} `);
    assert.deepEqual(recipientsFromTable(table, 1), {
      ids: [A, B, C],
      invalid: ['not-an-id'],
      duplicates: 1,
      rows: [
        { name: 'Ann', participant_id: A },
        { name: 'Bo', participant_id: B.toUpperCase() },
        { name: 'Ed', participant_id: ` ${C} ` },
      ],
      rowNumbers: [2, 3, 7],
    });
  });

  it('returns an empty list for a column without values', () => {
    assert.deepEqual(recipientsFromTable(parseCsv('a,b\n1,\n2,'), 1), { ids: [], invalid: [], duplicates: 0, rows: [], rowNumbers: [] });
  });
});

describe('recipientsFromFile', () => {
  it('reads the ID column of the file as recipientsFromTable reads the table, with the records made on the first rows() only', () => {
    const text = `name,participant_id\r\n"Ann, the first",${A}\r\nBo,"${B.toUpperCase()}"\r\nAnn again,${A}\r\nCy,not-an-id\r\n\r\nEd, ${C} \r\n`;
    const list = recipientsFromFile(openCsv(text), 1);
    const table = recipientsFromTable(parseCsv(text), 1);
    assert.deepEqual(
      { ids: list.ids, invalid: list.invalid, duplicates: list.duplicates, rowNumbers: Array.from(list.rowNumbers) },
      { ids: table.ids, invalid: table.invalid, duplicates: table.duplicates, rowNumbers: table.rowNumbers },
    );
    assert.deepEqual(list.ids, [A, B, C]);
    assert.deepEqual(Array.from(list.rowNumbers), [2, 3, 7], 'the blank line is row 6');
    const rows = list.rows();
    assert.deepEqual(rows, table.rows);
    assert.equal(list.rows(), rows, 'made once');
  });

  it('selectRows keeps the chosen rows, still made on first use', () => {
    let made = 0;
    const all = () => {
      made++;
      return [{ n: '1' }, { n: '2' }, { n: '3' }];
    };
    const picked = selectRows(all, [2, 0]);
    assert.equal(made, 0);
    assert.deepEqual(picked(), [{ n: '3' }, { n: '1' }]);
    assert.equal(picked(), picked());
    assert.equal(made, 1);
  });
});
