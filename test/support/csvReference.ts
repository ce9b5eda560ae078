// The slow, obvious way to read a CSV of participants: every cell parsed into a table, the ID
// column found on the whole table, every row turned into a record. The extension reads files a
// column at a time instead (openCsv, detectFileIdColumn, recipientsFromFile in src/shared/recipients/);
// tests and the scan benchmark compare that fast path with these, which only they use.
import {
  columnNames,
  idColumnByHeader,
  idColumnByValues,
  openCsv,
  readRows,
  toRecord,
  type CsvTable,
  type Delimiter,
} from '../../src/shared/recipients/csv';
import { MAX_INVALID, type RecipientList } from '../../src/shared/recipients/recipientList';

/**
 * The whole text as a table, every data row read (see openCsv for the rules): rows[i] is row i + 2 of the file
 * as a spreadsheet shows it (header = row 1).
 */
export function parseCsv(text: string, delimiter?: Delimiter): CsvTable {
  const file = openCsv(text, delimiter);
  return { header: file.header, rows: readRows(file, Infinity), delimiter: file.delimiter };
}

/**
 * Index of the participant-ID column, or -1: first by header name (idColumnByHeader), else by values
 * (idColumnByValues). detectFileIdColumn is the same on a CsvFile.
 */
export function detectIdColumn(table: CsvTable): number {
  const byName = idColumnByHeader(table.header);
  return byName >= 0 ? byName : idColumnByValues(table);
}

/** Rows as objects keyed by columnNames(header) (for templates); columns beyond the header are left out. */
export function rowRecords(table: CsvTable): Record<string, string>[] {
  const names = columnNames(table.header);
  return table.rows.map((row) => toRecord(names, row));
}

/**
 * What recipientsFromFile must give for a file, from its whole table and the chosen column: ids (lower-cased,
 * deduplicated, the first row wins), invalid values (trimmed, each once, at most MAX_INVALID), how many entries
 * repeated an ID, and for each kept ID its row as a record and its row number in the file (header = row 1).
 * Empty cells are skipped. Written as simply as possible, with a Set of strings; the record keys and the ID
 * check are spelled out here rather than taken from src/, so a mistake there cannot hide in both.
 */
export function recipientsFromTable(
  table: CsvTable,
  column: number,
): RecipientList & { rows: Record<string, string>[]; rowNumbers: number[] } {
  const names = new Set<string>();
  const keys = table.header.map((raw, i) => {
    const base = raw.trim() || `column ${i + 1}`;
    let name = base;
    for (let k = 2; names.has(name); k++) name = `${base} (${k})`;
    names.add(name);
    return name;
  });
  const ids: string[] = [];
  const invalid: string[] = [];
  const rows: Record<string, string>[] = [];
  const rowNumbers: number[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  table.rows.forEach((row, index) => {
    const value = (row[column] ?? '').trim();
    if (!value) return;
    if (!/^[0-9a-f]{24}$/i.test(value)) {
      if (invalid.length < MAX_INVALID && !invalid.includes(value)) invalid.push(value);
      return;
    }
    const id = value.toLowerCase();
    if (seen.has(id)) {
      duplicates++;
      return;
    }
    seen.add(id);
    ids.push(id);
    rows.push(Object.fromEntries(keys.map((key, i) => [key, row[i] ?? ''])));
    rowNumbers.push(index + 2);
  });
  return { ids, invalid, duplicates, rows, rowNumbers };
}

/** recipientsFromTable on the text's every cell (parseCsv). */
export function recipientsFromText(text: string, column: number, delimiter?: Delimiter): ReturnType<typeof recipientsFromTable> {
  return recipientsFromTable(parseCsv(text, delimiter), column);
}
