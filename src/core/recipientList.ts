// Turns a selection, a file or a CSV column into the list of participants to message.
// Pure (no vscode). Typos must be visible before sending, so list entries that are not IDs are
// reported in `invalid`; prose is different: its other words are not meant as recipients.
import { columnNames, detectIdColumn, idColumnByHeader, parseCsv, toRecord, type CsvTable } from './csv';
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
 *    column (participant_id, PROLIFIC_PID...) or there are several columns and one holds IDs (detectIdColumn).
 *    That column is used if it holds at least one ID; other columns are ignored, its non-ID values are `invalid`.
 * 2. A list: split on line breaks, whitespace, commas and semicolons, each piece trimmed and unquoted
 *    ("…", '…', `…`). It is a list when every piece is a plain word (letters, digits, _ and -) and either there
 *    is at most one piece per line or more than half of the pieces are IDs. Non-ID pieces are then `invalid`
 *    (a truncated ID, a stray header word).
 * 3. Otherwise prose, a log line or JSON ("ask 5f8d… and 60ff…", `["5f8d…"]`): every standalone ID in it
 *    (extractParticipantIds), no `invalid`, and 0 duplicates, since mentioning someone twice is not an error.
 */
export function parseRecipientList(text: string): RecipientList {
  const fromTable = tableList(text);
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
function tableList(text: string): RecipientList | undefined {
  // An ID on the first line means a list or a CSV without a header: say so before parsing a large file.
  if (extractParticipantIds(/^[\s\uFEFF]*[^\r\n]*/.exec(text)?.[0] ?? '').length > 0) return undefined;
  const table = parseCsv(text);
  if (table.rows.length === 0) return undefined;
  if (extractParticipantIds(table.header.join('\n')).length > 0) return undefined; // quoted header cells over several lines
  // One column of values under a line that is not a known header is more likely a title or a typo'd
  // first entry: leave it to the list/prose rules, which report or ignore it sensibly.
  if (table.header.length < 2 && idColumnByHeader(table.header) < 0) return undefined;
  const column = detectIdColumn(table);
  if (column < 0) return undefined;
  const list = collectColumn(table, column);
  // A "header" that happened to say "participant" over lines without IDs was not a table after all.
  return list.ids.length > 0 ? list : undefined;
}

/**
 * From a parsed CSV table and the chosen column: ids (deduplicated, first row wins), invalid values,
 * duplicates, and for each kept id its row record (keyed by columnNames, for personalized messages) and its
 * row number in the file (header = row 1), which checkTemplate needs to point at the right rows.
 * Empty cells are skipped.
 */
export function recipientsFromTable(table: CsvTable, column: number): RecipientList & { rows: Record<string, string>[]; rowNumbers: number[] } {
  const names = columnNames(table.header);
  const rows: Record<string, string>[] = [];
  const rowNumbers: number[] = [];
  const list = collectColumn(table, column, (row, index) => {
    rows.push(toRecord(names, row));
    rowNumbers.push(index + 2);
  });
  return { ...list, rows, rowNumbers };
}

/** The column's values (trimmed; empty ones skipped) as a list; `kept` hears of each row whose ID is kept. */
function collectColumn(table: CsvTable, column: number, kept?: (row: string[], index: number) => void): RecipientList {
  const collector = new Collector();
  table.rows.forEach((row, index) => {
    if (collector.add((row[column] ?? '').trim())) kept?.(row, index);
  });
  return collector.result();
}

/** Accumulates entries into a RecipientList. */
class Collector {
  private readonly ids: string[] = [];
  private readonly invalid: string[] = [];
  private duplicates = 0;
  private readonly seen = new Set<string>();
  private readonly seenInvalid = new Set<string>();

  /** True when the entry is an ID not seen before (so the caller keeps its row). */
  add(entry: string): boolean {
    if (!entry) return false;
    if (!PARTICIPANT_ID.test(entry)) {
      if (this.invalid.length < MAX_INVALID && !this.seenInvalid.has(entry)) {
        this.seenInvalid.add(entry);
        this.invalid.push(entry);
      }
      return false;
    }
    const id = entry.toLowerCase();
    if (this.seen.has(id)) {
      this.duplicates++;
      return false;
    }
    this.seen.add(id);
    this.ids.push(id);
    return true;
  }

  result(): RecipientList {
    return { ids: this.ids, invalid: this.invalid, duplicates: this.duplicates };
  }
}
