import assert from 'node:assert/strict';
import { parseCsv, recipientsFromTable } from '../support/csvReference';
import { checkTemplate, placeholders, renderTemplate } from '../../src/shared/template';

describe('placeholders', () => {
  it('lists each name once, in order of first use, allowing spaces inside the braces', () => {
    assert.deepEqual(placeholders('Hi {{name}}, your code is {{ code }}. Thanks {{name}}! {{  first name  }}'), [
      'name',
      'code',
      'first name',
    ]);
  });

  it('ignores empty braces, braces across lines and single braces', () => {
    assert.deepEqual(placeholders('{{}} {{ }} {{a\nb}} {name} {{x}'), []);
    assert.deepEqual(placeholders('No placeholders here.'), []);
  });
});

describe('renderTemplate', () => {
  it('fills every placeholder from the row, trimmed', () => {
    assert.equal(
      renderTemplate('Dear {{ first name }}, code {{code}} for {{first name}}.', { 'first name': ' Ann ', code: 'X1' }),
      'Dear Ann, code X1 for Ann.',
    );
  });

  it('leaves unknown names and inherited properties as written, and inserts values literally', () => {
    assert.equal(renderTemplate('{{nmae}} {{constructor}} {{toString}}', {}), '{{nmae}} {{constructor}} {{toString}}');
    assert.equal(renderTemplate('Code: {{code}}', { code: "$& $1 $' {{code}}" }), "Code: $& $1 $' {{code}}");
  });

  it('returns a body without placeholders unchanged', () => {
    assert.equal(renderTemplate('Thanks { all }!', { all: 'x' }), 'Thanks { all }!');
  });
});

describe('checkTemplate', () => {
  const columns = ['participant_id', 'name'];

  it('returns [] when every placeholder has a column and a value, or when there are no placeholders', () => {
    assert.deepEqual(checkTemplate('Hi {{ name }}', columns, [{ participant_id: 'a', name: 'Ann' }]), []);
    assert.deepEqual(checkTemplate('Hi all', columns, [{ participant_id: 'a', name: '' }]), []);
    assert.deepEqual(checkTemplate('Hi all', [], []), []);
  });

  it('names a placeholder that matches no column and lists the columns', () => {
    assert.deepEqual(checkTemplate('Hi {{nmae}}', columns, [{ participant_id: 'a', name: 'Ann' }]), [
      '{{nmae}} matches no column; the columns are: participant_id, name.',
    ]);
    assert.deepEqual(
      checkTemplate('Hi {{Name}}', [' participant_id', 'name '], []),
      ['{{Name}} matches no column; the columns are: participant_id, name.'],
      'exact after trimming',
    );
    assert.deepEqual(checkTemplate('{{x}}', [], []), ['{{x}} matches no column; the file has no columns.']);
  });

  it('counts empty or blank values and lists at most 5 row numbers, header = row 1', () => {
    const rows = ['Ann', '', 'Bo', ' ', 'Cy', '', '', '', '', 'Dee'].map((name, i) => ({ participant_id: String(i), name }));
    assert.deepEqual(checkTemplate('Hi {{name}} ({{participant_id}})', columns, rows), [
      '{{name}} is empty in 6 rows (rows 3, 5, 7, 8, 9, …).',
    ]);
    assert.deepEqual(checkTemplate('Hi {{name}}', columns, rows.slice(0, 2)), ['{{name}} is empty in 1 row (row 3).']);
  });

  it('reports every problem at once', () => {
    assert.deepEqual(checkTemplate('{{a}} {{name}} {{b}}', columns, [{ participant_id: '1', name: '' }]), [
      '{{a}} matches no column; the columns are: participant_id, name.',
      '{{name}} is empty in 1 row (row 2).',
      '{{b}} matches no column; the columns are: participant_id, name.',
    ]);
  });

  it('uses the file row numbers of the kept recipients and the column names rowRecords uses', () => {
    const A = '5f8d0c3e4b2a1c0012345678';
    const B = '619e049f7648a4e1f8f3645b';
    const table = parseCsv(`participant_id,name,name\n${A},,x\nbad,Bo,y\n${A},Cy,z\n${B},Dee,\n`);
    const { rows, rowNumbers } = recipientsFromTable(table, 0);
    assert.deepEqual(checkTemplate('{{name}} {{name (2)}}', table.header, rows, rowNumbers), [
      '{{name}} is empty in 1 row (row 2).',
      '{{name (2)}} is empty in 1 row (row 5).',
    ]);
  });
});
