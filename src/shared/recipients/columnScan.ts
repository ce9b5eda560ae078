// Reads one column of a CSV/TSV file, for "Message Participants in This File" on exports of
// 100k+ rows. Pure (no vscode). It gives the same values as readRows(file, Infinity).map(r => r[column])
// but makes no string for the other cells, nor for a cell that is a bare participant ID (the sink
// gets its position, addIdAt): it walks each row to the column, checks the usual case (24 hex digits, not
// quoted, nothing around them) with a character loop, and jumps to the next row with indexOf
// whenever the rest of the row holds no quote (a quote is the only thing that can hide a line break).
import { afterLineBreak, fieldEnd, quotedField, type CsvFile } from './csv';

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** What the scan hands each row's value to, with the row's index (0 = first data row) and start in the text. */
export interface ColumnSink {
  /** A cell of exactly 24 characters, text[start, start + 24): false if they are not 24 hex digits (then add() hears of it). */
  addIdAt(text: string, start: number, rowIndex: number, rowStart: number): boolean;
  /** Any other value, trimmed ('' for an empty cell or a row too short to have the column). */
  add(value: string, rowIndex: number, rowStart: number): void;
}

/**
 * Feeds the column's value of every data row to `sink`, in order; with `maxRows`, of that many rows
 * at most. Returns where it stopped: the start of the next row (a row boundary, quotes and all, so a
 * later call with that as `bodyStart` carries on), or `end`. Row indices count from this call's start.
 */
export function scanColumn(file: CsvFile, column: number, sink: ColumnSink, maxRows = Infinity): number {
  const { text, end } = file;
  const delimiter = file.delimiter.charCodeAt(0);
  // The next LF, CR and quote at or after i (end when there is none), found again only once i has passed them.
  let nextLf = -1;
  let nextCr = -1;
  let nextQuote = -1;
  let i = file.bodyStart;
  for (let rowIndex = 0; i < end && rowIndex < maxRows; rowIndex++) {
    const rowStart = i;
    // To the column: over `column` fields, unless the row ends first.
    let field = 0;
    for (; field < column; field++) {
      i = text.charCodeAt(i) === QUOTE ? quotedField(text, i, end, delimiter)[1] : fieldEnd(text, i, end, delimiter);
      if (i >= end || text.charCodeAt(i) !== delimiter) break;
      i++;
    }
    if (field < column) sink.add('', rowIndex, rowStart);
    else if (i + 24 <= end && endsField(text.charCodeAt(i + 24), delimiter) && sink.addIdAt(text, i, rowIndex, rowStart)) i += 24;
    else {
      let value: string;
      if (text.charCodeAt(i) === QUOTE) [value, i] = quotedField(text, i, end, delimiter);
      else {
        const valueEnd = fieldEnd(text, i, end, delimiter);
        value = text.slice(i, valueEnd);
        i = valueEnd;
      }
      sink.add(value.trim(), rowIndex, rowStart);
    }
    // To the end of the row: i is at a delimiter, a line break or the end.
    if (i < end && text.charCodeAt(i) === delimiter) {
      if (nextLf < i) nextLf = indexOrEnd(text, '\n', i, end);
      if (nextCr < i) nextCr = indexOrEnd(text, '\r', i, end);
      if (nextQuote < i) nextQuote = indexOrEnd(text, '"', i, end);
      const lineBreak = nextLf < nextCr ? nextLf : nextCr;
      if (nextQuote >= lineBreak) i = lineBreak;
      else
        while (i < end && text.charCodeAt(i) === delimiter) {
          i++;
          i = text.charCodeAt(i) === QUOTE ? quotedField(text, i, end, delimiter)[1] : fieldEnd(text, i, end, delimiter);
        }
    }
    i = afterLineBreak(text, i);
  }
  return i;
}

/** About how many data rows the file has, from the length of its first lines (to size tables up front). */
export function estimateRows(file: CsvFile): number {
  const { text, bodyStart, end } = file;
  let at = bodyStart;
  let lines = 0;
  for (; lines < 100 && at < end; lines++) {
    const lineBreak = text.indexOf('\n', at);
    at = lineBreak === -1 ? end : lineBreak + 1;
  }
  return lines === 0 ? 0 : Math.ceil(((end - bodyStart) / (at - bodyStart)) * lines);
}

function indexOrEnd(text: string, char: string, from: number, end: number): number {
  const at = text.indexOf(char, from);
  return at === -1 || at > end ? end : at;
}

/** Whether the character (a char code, NaN past the end of the text) ends an unquoted field. */
function endsField(c: number, delimiter: number): boolean {
  return c === delimiter || c === LF || c === CR || c !== c;
}
