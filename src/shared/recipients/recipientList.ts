// Turns a selection, a file or a CSV column into the list of participants to message.
// Pure (no vscode). Typos must be visible before sending, so list entries that are not IDs are
// reported in `invalid`; prose is different: its other words are not meant as recipients.
import { estimateRows, scanColumn, type ColumnSink } from './columnScan';
import { columnNames, detectFileIdColumn, idColumnByHeader, openCsv, readRowAt, toRecord, type CsvFile } from './csv';
import { IdOccurrences, STRIDE } from './idOccurrences';
import { PARTICIPANT_ID, extractParticipantIds } from './participantIds';

export interface RecipientList {
  /** Lower-cased participant IDs, each once, in first-seen order. */
  ids: string[];
  /** Entries that are not participant IDs, as written (trimmed, unquoted), each once, at most MAX_INVALID. */
  invalid: string[];
  /** How many entries repeated an ID already in `ids`. */
  duplicates: number;
}

/** `invalid` lists at most this many entries (enough to spot a pattern; a UI can say "200 or more"). */
export const MAX_INVALID = 200;

/**
 * IDs from text a user selected or a whole file, read in the first of three ways that fits:
 *
 * 1. A CSV/TSV with a header: the first line holds no participant ID, and either a header cell names the ID
 *    column (participant_id, PROLIFIC_PID...) or there are several columns and one holds IDs (detectFileIdColumn).
 *    That column is used if it holds at least one ID; other columns are ignored, its non-ID values are `invalid`.
 * 2. A list: split on line breaks, whitespace, commas and semicolons, each piece trimmed and unquoted
 *    ("…", '…', `…`). It is a list when every piece is a plain word (letters, digits, _ and -) and either there
 *    is at most one piece per line or more than half of the pieces are IDs. Non-ID pieces are then `invalid`
 *    (a truncated ID, a stray header word).
 * 3. Otherwise prose, a log line or JSON ("ask 5f8d… and 60ff…", `["5f8d…"]`): every standalone ID in it
 *    (extractParticipantIds), no `invalid`, and 0 duplicates, since mentioning someone twice is not an error.
 */
export function parseRecipientList(text: string): RecipientList {
  const fromTable = csvRecipientList(text);
  if (fromTable) return fromTable;

  let plain = true;
  let idCount = 0;
  const pieces: string[] = [];
  for (const raw of text.split(SEPARATORS)) {
    const piece = unquote(raw);
    if (!piece) continue;
    pieces.push(piece);
    if (PARTICIPANT_ID.test(piece)) idCount++;
    else plain &&= PLAIN_WORD.test(piece);
  }
  const onePerLine = !TWO_ON_A_LINE.test(text);
  if (plain && (onePerLine || idCount * 2 > pieces.length)) {
    const collector = new Collector();
    for (const piece of pieces) collector.add(piece);
    return collector.result();
  }
  return { ids: extractParticipantIds(text), invalid: [], duplicates: 0 };
}

const SEPARATORS = /[\s,;]+/;
const PLAIN_WORD = /^[\p{L}\p{N}_-]+$/u;
/** Two pieces on one line: something, separators other than a line break, something. */
const TWO_ON_A_LINE = /[^\s,;](?:[^\S\r\n]|[,;])+[^\s,;]/;

function unquote(piece: string): string {
  const first = piece[0];
  if (piece.length >= 2 && (first === '"' || first === "'" || first === '`') && piece.endsWith(first)) return piece.slice(1, -1).trim();
  return piece;
}

/** Way 1 of parseRecipientList, or undefined when the text is not a CSV with a header. */
export function csvRecipientList(text: string): RecipientList | undefined {
  // An ID on the first line means a list or a CSV without a header: say so before parsing a large file.
  if (extractParticipantIds(/^[\s\uFEFF]*[^\r\n]*/.exec(text)?.[0] ?? '').length > 0) return undefined;
  const file = openCsv(text);
  if (file.bodyStart >= file.end) return undefined; // no data rows
  if (extractParticipantIds(file.header.join('\n')).length > 0) return undefined; // quoted header cells over several lines
  // One column of values under a line that is not a known header is more likely a title or a typo'd
  // first entry: leave it to the list/prose rules, which report or ignore it sensibly.
  if (file.header.length < 2 && idColumnByHeader(file.header) < 0) return undefined;
  const column = detectFileIdColumn(file);
  if (column < 0) return undefined;
  const collector = new Collector(estimateRows(file));
  scanColumn(file, column, collector);
  const list = collector.result();
  // A "header" that happened to say "participant" over lines without IDs was not a table after all.
  return list.ids.length > 0 ? list : undefined;
}

/** The table's rows of the kept IDs, as records keyed by columnNames (same order as `ids`), for {{column}} placeholders. */
export type RowRecords = () => Record<string, string>[];

/** The rows at `indices` of `rows`, still made on first use (and once). */
export function selectRows(rows: RowRecords, indices: number[]): RowRecords {
  let selected: Record<string, string>[] | undefined;
  return () => {
    if (!selected) {
      const all = rows();
      selected = indices.map((i) => all[i] ?? {});
    }
    return selected;
  };
}

/**
 * From a CSV file and the chosen column: ids (deduplicated, first row wins), invalid values, duplicates,
 * and for each kept id its row record (keyed by columnNames, for personalized messages) and its row number
 * in the file (header = row 1), which checkTemplate needs to point at the right rows. Empty cells are
 * skipped. Only the ID column is read (scanColumn), and the records are made on the first call of `rows`
 * (once; later calls return the same array), since only a personalized message needs them. Until then
 * `rows` keeps the file's text and where each kept row starts. Tests compare it with a reading of the
 * whole table (test/support/csvReference.ts).
 */
export function recipientsFromFile(file: CsvFile, column: number): RecipientList & { rows: RowRecords; rowNumbers: Int32Array } {
  const collector = new Collector(estimateRows(file));
  scanColumn(file, column, collector);
  const { list, rowNumbers, rowStarts } = collector.resultWithRows();
  let unread: CsvFile | undefined = file; // let go of once the records are made
  let records: Record<string, string>[] = [];
  const rows = () => {
    if (unread) {
      const names = columnNames(unread.header);
      const from = unread;
      records = Array.from(rowStarts, (start) => toRecord(names, readRowAt(from, start)));
      unread = undefined;
    }
    return records;
  };
  return { ...list, rows, rowNumbers };
}

/**
 * How many different participant IDs a column holds, read `sliceRows` rows at a time with `pause()`
 * between slices, so that a 50 MB export does not hold the process for the whole scan (the tables'
 * CodeLens). Undefined as soon as `stop()` says so after a pause.
 */
export async function countIdsInColumn(
  file: CsvFile,
  column: number,
  stop: () => boolean,
  pause: () => Promise<void>,
  sliceRows = 20_000,
): Promise<number | undefined> {
  const collector = new Collector(estimateRows(file));
  for (let at = file.bodyStart; at < file.end;) {
    at = scanColumn({ ...file, bodyStart: at }, column, collector, sliceRows);
    await pause();
    if (stop()) return undefined;
  }
  return collector.distinct();
}

/**
 * Accumulates entries into a RecipientList. Invalid entries are listed as they come; IDs are noted in
 * order and their repeats found once all are in (IdOccurrences), so `result` does the counting.
 */
class Collector implements ColumnSink {
  private readonly occurrences: IdOccurrences;
  /** The text of addIdAt (one per collector), and the IDs that came as entries (add), lower-cased. */
  private text = '';
  private readonly entries: string[] = [];
  private readonly invalid: string[] = [];
  private readonly seenInvalid = new Set<string>();

  /** `expected`: about how many IDs there will be (see IdOccurrences). */
  constructor(expected?: number) {
    this.occurrences = new IdOccurrences(expected);
  }

  /** An entry of the list (trimmed), from the given row: an ID, something invalid, or nothing (''). */
  add(entry: string, rowIndex = 0, rowStart = 0): void {
    if (!entry) return;
    if (!PARTICIPANT_ID.test(entry)) {
      if (this.invalid.length < MAX_INVALID && !this.seenInvalid.has(entry)) {
        this.seenInvalid.add(entry);
        this.invalid.push(entry);
      }
      return;
    }
    // Where it is: -1 - k for entries[k] (addIdAt notes starts in `text`, from 0 up).
    this.occurrences.add(entry, 0, -1 - this.entries.length, rowIndex, rowStart);
    this.entries.push(entry.toLowerCase());
  }

  /** The ID at text[start, start + 24), if those are 24 hex digits (true); false adds nothing. One text per collector. */
  addIdAt(text: string, start: number, rowIndex: number, rowStart: number): boolean {
    this.text = text;
    return this.occurrences.add(text, start, start, rowIndex, rowStart);
  }

  result(): RecipientList {
    return this.resultWithRows().list;
  }

  /** How many different IDs came, without making their strings. */
  distinct(): number {
    const repeats = this.occurrences.repeats();
    return repeats.length - countRepeats(repeats);
  }

  /** The list, and for each of its IDs the first row it was on: its number in the file (index + 2) and its start. */
  resultWithRows(): { list: RecipientList; rowNumbers: Int32Array; rowStarts: Int32Array } {
    const { occurrences, text } = this;
    const repeats = occurrences.repeats();
    const duplicates = countRepeats(repeats);
    // Sized up front: growing an array of a million IDs would leave copies for the garbage collector.
    const ids = new Array<string>(repeats.length - duplicates);
    // Typed: a number per row is no work for the garbage collector either.
    const rowNumbers = new Int32Array(ids.length);
    const rowStarts = new Int32Array(ids.length);
    const { data } = occurrences;
    const { entries } = this;
    for (let k = 0, kept = 0; k < repeats.length; k++) {
      if (repeats[k]) continue;
      const at = data[k * STRIDE + 3];
      ids[kept] = at < 0 ? entries[-1 - at] : lowerCaseId(text, at);
      rowNumbers[kept] = data[k * STRIDE + 4] + 2;
      rowStarts[kept++] = data[k * STRIDE + 5];
    }
    return { list: { ids, invalid: this.invalid, duplicates }, rowNumbers, rowStarts };
  }
}

/** text[at, at + 24) in lower case (toLowerCase makes a copy even when nothing changes: most IDs are lower-case already). */
function lowerCaseId(text: string, at: number): string {
  const id = text.slice(at, at + 24);
  for (let i = at; i < at + 24; i++) {
    const c = text.charCodeAt(i);
    if (c >= 65 && c <= 70) return id.toLowerCase();
  }
  return id;
}

/** How many occurrences repeat an earlier ID (IdOccurrences.repeats marks each with 1). */
function countRepeats(repeats: Uint8Array): number {
  let n = 0;
  for (let k = 0; k < repeats.length; k++) n += repeats[k];
  return n;
}
