// The language IDs of tables, apart from the parser so that activation can name them (the
// CodeLens's document selector) without bundling the parser.
/**
 * The table languages VS Code's CSV extensions register (Rainbow CSV's dialects, by their language
 * IDs) and their delimiters; undefined: detect it (plain `csv`). Not listed, so read as text (every
 * ID in the file): "csv (whitespace)", whose runs of spaces are one delimiter, and "csv (double
 * quote)", whose delimiter is the quote character.
 */
export const TABLE_LANGUAGES: Readonly<Record<string, string | undefined>> = {
  csv: undefined,
  tsv: '\t',
  'csv (semicolon)': ';',
  'csv (pipe)': '|',
  'csv (tilda)': '~',
  'csv (caret)': '^',
  'csv (colon)': ':',
  'csv (equals)': '=',
  'csv (dot)': '.',
  'csv (hyphen)': '-',
};

/** Files that are tables by name, whatever their language (plain .csv is "plaintext" without a CSV extension). */
export const TABLE_FILE_PATTERN = '**/*.{csv,tsv,CSV,TSV}';
