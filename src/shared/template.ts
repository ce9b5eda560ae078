// Personalized messages: {{column}} placeholders filled from each recipient's CSV row.
// Pure (no vscode). checkTemplate runs before a send, because a message that reached a participant
// as "Dear {{nmae}}," or "Dear ," cannot be taken back.
import { l10n } from './l10n';
import { columnNames } from './recipients/csv';

// {{ name }}: spaces around the name allowed; the name is at least one character, with no braces or line
// breaks, so "{{}}", "{{ }}" and a stray "{{" followed by text on later lines are left alone as plain text.
const PLACEHOLDER = /\{\{\s*([^{}\s](?:[^{}\r\n]*[^{}\s])?)\s*\}\}/g;

/** Placeholder names (trimmed), each once, in order of first use. */
export function placeholders(body: string): string[] {
  return [...new Set(Array.from(body.matchAll(PLACEHOLDER), (m) => m[1]))];
}

/**
 * The body with each {{name}} replaced by row[name], trimmed (spaces around a CSV value are padding, not
 * wording). A name the row does not have is left as written; checkTemplate stops a send before that happens.
 */
export function renderTemplate(body: string, row: Record<string, string>): string {
  // Own properties only: {{constructor}} must not print Object's constructor.
  return body.replace(PLACEHOLDER, (match, name: string) => (Object.hasOwn(row, name) ? String(row[name]).trim() : match));
}

/** At most this many row numbers are listed per placeholder. */
const MAX_ROWS_LISTED = 5;

/**
 * Problems that must stop a personalized send before anything is sent: a placeholder naming no column
 * ("{{nmae}} matches no column; the columns are: participant_id, name"), or rows with an empty (or blank)
 * value for a used placeholder ("{{name}} is empty in 3 rows (rows 4, 9, 12)", at most 5 listed).
 * Returns [] when fine, and always when the body has no placeholders.
 *
 * Column matching is exact after trimming; columns go through columnNames, as the keys of a row's record do, so the raw
 * header may be passed. Row numbers are as in the file (header = row 1): pass `rowNumbers` (from
 * recipientsFromFile) when `rows` are not every data row of the file in order; otherwise rows[i] is row i + 2.
 */
export function checkTemplate(body: string, columns: string[], rows: Record<string, string>[], rowNumbers?: ArrayLike<number>): string[] {
  const names = placeholders(body);
  if (names.length === 0) return [];
  const known = columnNames(columns);
  const problems: string[] = [];
  for (const name of names) {
    if (!known.includes(name)) {
      problems.push(
        known.length > 0
          ? l10n.t('{0} matches no column; the columns are: {1}.', `{{${name}}}`, known.join(', '))
          : l10n.t('{0} matches no column; the file has no columns.', `{{${name}}}`),
      );
      continue;
    }
    const empty: number[] = [];
    rows.forEach((row, i) => {
      if (!Object.hasOwn(row, name) || !String(row[name]).trim()) empty.push(rowNumbers?.[i] ?? i + 2);
    });
    if (empty.length > 0) {
      const listed = empty.slice(0, MAX_ROWS_LISTED).join(', ') + (empty.length > MAX_ROWS_LISTED ? ', …' : '');
      problems.push(
        empty.length === 1
          ? l10n.t('{0} is empty in 1 row (row {1}).', `{{${name}}}`, listed)
          : l10n.t('{0} is empty in {1} rows (rows {2}).', `{{${name}}}`, empty.length, listed),
      );
    }
  }
  return problems;
}
