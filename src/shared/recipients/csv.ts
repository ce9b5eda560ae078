// CSV/TSV parsing for "message the participants in this file" and personalized messages.
// Pure (no vscode): files can be exports of 100k+ rows, so the parser is a single pass that
// slices ranges out of the text instead of building values a character at a time.
import { isParticipantId } from './participantIds';
import { TABLE_LANGUAGES } from './tableLanguages';

/** One character: ',', '\t', ';' are detected; the others come from a table language's name. */
export type Delimiter = string;

export interface CsvTable {
  header: string[];
  rows: string[][];
  delimiter: Delimiter;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** The delimiter a file's name implies: '\t' for .tsv, otherwise undefined (detect it). */
export function delimiterForFile(name: string): Delimiter | undefined {
  return /\.tsv$/i.test(name) ? '\t' : undefined;
}

/** Whether a document is a table: a .csv/.tsv name, or one of the TABLE_LANGUAGES. */
export function isTableDocument(name: string, languageId: string): boolean {
  return /\.(csv|tsv)$/i.test(name) || Object.hasOwn(TABLE_LANGUAGES, languageId);
}

/** The delimiter for a table document: its language's, else its name's, else undefined (detect it). */
export function delimiterForDocument(name: string, languageId: string): Delimiter | undefined {
  return (Object.hasOwn(TABLE_LANGUAGES, languageId) ? TABLE_LANGUAGES[languageId] : undefined) ?? delimiterForFile(name);
}

/**
 * A CSV/TSV text with only its header parsed (see openCsv): the data rows are read when asked for
 * (readRows, readRowAt, or scanned a column at a time by recipientsFromFile), so a large file is not turned
 * into a string per cell. Data rows lie in text[bodyStart, end): `end` leaves out the trailing line breaks.
 */
export interface CsvFile {
  text: string;
  delimiter: Delimiter;
  header: string[];
  bodyStart: number;
  end: number;
}

/**
 * RFC 4180: quoted fields with "" escapes, delimiters and newlines inside quotes, CRLF/LF/CR, a UTF-8 BOM stripped,
 * a trailing newline not making an empty row, ragged rows tolerated (short rows padded with '', long rows kept).
 * The delimiter is detected from the first line (outside quotes) unless given (see delimiterForFile). First row = header.
 *
 * Lenient where files in the wild are broken, never throwing: a quote inside an unquoted field is kept as text,
 * text after a closing quote is appended ("ab"c → abc), an unclosed quote runs to the end of the text. Spaces
 * around fields are data (RFC 4180); callers trim where it matters. Blank lines before the header and at the end
 * are dropped; a blank line in between is an empty row, so that data row i is row i + 2 of the file as a
 * spreadsheet shows it (header = row 1; a file starting with blank lines is off by those).
 */
export function openCsv(text: string, delimiter?: Delimiter): CsvFile {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  // Blank lines before the header would otherwise make an empty header.
  while (start < text.length && (text.charCodeAt(start) === LF || text.charCodeAt(start) === CR)) start++;
  // Trailing line breaks (one or several) make no rows either.
  let end = text.length;
  while (end > start && (text.charCodeAt(end - 1) === LF || text.charCodeAt(end - 1) === CR)) end--;
  const chosen = delimiter ?? detectDelimiter(text, start);
  const header: string[] = [];
  const bodyStart = start < end ? readRecord(text, start, end, chosen.charCodeAt(0), header) : end;
  return { text, delimiter: chosen, header, bodyStart, end };
}

/** The first `limit` data rows, short ones padded with '' to the header's width. */
export function readRows(file: CsvFile, limit: number): string[][] {
  const rows: string[][] = [];
  const delimiter = file.delimiter.charCodeAt(0);
  for (let i = file.bodyStart; i < file.end && rows.length < limit;) {
    const row: string[] = [];
    i = readRecord(file.text, i, file.end, delimiter, row);
    rows.push(padded(row, file.header.length));
  }
  return rows;
}

/** The data row that starts at `offset` (an offset recipientsFromFile noted), padded like readRows. */
export function readRowAt(file: CsvFile, offset: number): string[] {
  const row: string[] = [];
  readRecord(file.text, offset, file.end, file.delimiter.charCodeAt(0), row);
  return padded(row, file.header.length);
}

function padded(row: string[], width: number): string[] {
  while (row.length < width) row.push('');
  return row;
}

/** Counts each candidate outside quotes on the first line; the most frequent wins, ties prefer , then tab then ;. */
function detectDelimiter(text: string, i: number): Delimiter {
  const counts = { ',': 0, '\t': 0, ';': 0 };
  let quoted = false;
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === '"')
      quoted = !quoted; // "" inside quotes toggles twice: still quoted
    else if (quoted) continue;
    else if (c === '\n' || c === '\r') break;
    else if (c === ',' || c === '\t' || c === ';') counts[c]++;
  }
  let best: keyof typeof counts = ',';
  if (counts['\t'] > counts[best]) best = '\t';
  if (counts[';'] > counts[best]) best = ';';
  return best;
}

/**
 * Reads the record starting at i into `record` and returns where the next one starts. Nothing at or after `end`
 * is read as data: it holds only line breaks (see openCsv).
 */
function readRecord(text: string, i: number, end: number, delimiter: number, record: string[]): number {
  for (;;) {
    let value: string;
    if (text.charCodeAt(i) === QUOTE) {
      [value, i] = quotedField(text, i, end, delimiter);
    } else {
      const fieldEnds = fieldEnd(text, i, end, delimiter);
      value = text.slice(i, fieldEnds);
      i = fieldEnds;
    }
    record.push(value);
    if (i < end && text.charCodeAt(i) === delimiter) {
      i++; // a delimiter at the very end still opens one last (empty) field
      continue;
    }
    break;
  }
  return afterLineBreak(text, i);
}

/** i is at a line break or the end: the start of the next record (so a final line break adds no row). */
export function afterLineBreak(text: string, i: number): number {
  if (text.charCodeAt(i) === CR) i++;
  if (text.charCodeAt(i) === LF) i++;
  return i;
}

/** The value of the quoted field whose opening quote is at i, and the index just after the field. */
export function quotedField(text: string, i: number, end: number, delimiter: number): [value: string, next: number] {
  // Jump from quote to quote with indexOf; "" is one literal quote.
  let from = ++i;
  let value = '';
  for (;;) {
    const q = text.indexOf('"', i);
    if (q === -1 || q >= end) {
      value += text.slice(from, end);
      return [value, end];
    }
    if (text.charCodeAt(q + 1) === QUOTE) {
      value += text.slice(from, q + 1);
      i = from = q + 2;
      continue;
    }
    value += text.slice(from, q);
    i = q + 1;
    break;
  }
  // Text after the closing quote belongs to the field ("ab"c → abc).
  const fieldEnds = fieldEnd(text, i, end, delimiter);
  if (fieldEnds > i) value += text.slice(i, fieldEnds);
  return [value, fieldEnds];
}

/** Index of the next delimiter or line break from i (or the end). */
export function fieldEnd(text: string, i: number, end: number, delimiter: number): number {
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === delimiter || c === LF || c === CR) break;
  }
  return i;
}

// Header names that mean "participant ID", compared without case, spaces, underscores or hyphens,
// in order of preference (Prolific exports say "Participant id"; Qualtrics/URL params PROLIFIC_PID).
const ID_HEADERS = ['participantid', 'prolificpid', 'prolificid', 'participant', 'pid'];
const normalizeHeader = (name: string) => name.toLowerCase().replace(/[\s_-]+/g, '');

/** Value-based detection looks at this many rows: enough to be sure, cheap on huge files. */
const SAMPLE_ROWS = 10_000;

/**
 * Index of the participant-ID column, or -1: first by header name (case/space/underscore-insensitive:
 * participant_id, participant id, PROLIFIC_PID, prolific_id, participant, pid), else by values (idColumnByValues).
 * The rows are read only when the header names no ID column, and then only the first SAMPLE_ROWS.
 */
export function detectFileIdColumn(file: CsvFile): number {
  const byName = idColumnByHeader(file.header);
  return byName >= 0 ? byName : idColumnByValues({ header: file.header, rows: readRows(file, SAMPLE_ROWS), delimiter: file.delimiter });
}

/** The column whose header names participant IDs (preferring participant_id over pid...), or -1. */
export function idColumnByHeader(header: string[]): number {
  const names = header.map(normalizeHeader);
  for (const wanted of ID_HEADERS) {
    const index = names.indexOf(wanted);
    if (index >= 0) return index;
  }
  return -1;
}

/**
 * The column with the most 24-hex participant IDs among those where at least one and at least 80% of the
 * non-empty values (of the first 10,000 rows) are IDs; the leftmost on a tie; -1 if none qualifies.
 * 80% tolerates a few typos or notes in the column without picking a column that merely mentions IDs.
 */
export function idColumnByValues(table: CsvTable): number {
  const sample = table.rows.length > SAMPLE_ROWS ? table.rows.slice(0, SAMPLE_ROWS) : table.rows;
  const width = Math.max(table.header.length, ...sample.map((r) => r.length));
  let best = -1;
  let bestIds = 0;
  for (let column = 0; column < width; column++) {
    let filled = 0;
    let ids = 0;
    for (const row of sample) {
      const value = row[column];
      if (!value || !value.trim()) continue;
      filled++;
      if (isParticipantId(value)) ids++;
    }
    if (ids > bestIds && ids >= 0.8 * filled) {
      best = column;
      bestIds = ids;
    }
  }
  return best;
}

/**
 * The keys of a row's record (toRecord), one per header cell: trimmed (placeholders are matched after trimming), an empty
 * name becomes "column N" (1-based) so it can still be used, and a repeated name gets " (2)", " (3)"...
 * Idempotent, so names already made unique pass through unchanged.
 */
export function columnNames(header: string[]): string[] {
  const used = new Set<string>();
  return header.map((raw, index) => {
    const base = raw.trim() || `column ${index + 1}`;
    let name = base;
    for (let k = 2; used.has(name); k++) name = `${base} (${k})`;
    used.add(name);
    return name;
  });
}

/** One row as a record keyed by columnNames(header) (for templates); columns beyond the header are left out. Object.fromEntries defines own properties, so a column named "__proto__" is safe. */
export function toRecord(names: string[], row: string[]): Record<string, string> {
  return Object.fromEntries(names.map((name, i) => [name, row[i] ?? '']));
}
