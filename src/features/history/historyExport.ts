// A sent-history entry in full: the Markdown document "Open" shows, and the CSV and JSON files
// "Export" writes. Pure: no vscode (test/unit/exportHistory.test.ts).
import { l10n } from '../../shared/l10n';
import type { RecipientStatus } from '../../shared/outcomes';
import { firstLine } from '../../shared/text';
import { cleanEntry, countsText, studyText, type HistoryEntry, type HistoryKind } from './historyEntry';

// ---- The Open document ----

export const MARKDOWN_ROW_LIMIT = 1000;

function kindLabel(kind: HistoryKind): string {
  switch (kind) {
    case 'single':
      return l10n.t('One participant');
    case 'bulk':
      return l10n.t('Several participants');
    case 'group':
      return l10n.t('Participant group');
    case 'personalized':
      return l10n.t('Personalized (one message per participant)');
    case 'broadcast':
      return l10n.t('Broadcast (a conversation with each participant)');
  }
}

/**
 * The whole entry as Markdown. Every value is user or API text, so it is escaped: the body
 * goes in a code fence longer than any backtick run it contains (shown exactly as sent), and
 * other values are backslash-escaped so they cannot become links, HTML, tables or formatting.
 * @param formatTime how to show the ISO time to the user (the locale lives in vscode).
 * @param studyName the name of a study the window knows, for the Study line.
 */
export function toMarkdown(
  entry: HistoryEntry,
  formatTime: (iso: string) => string = (iso) => iso,
  studyName?: (id: string) => string | undefined,
): string {
  const lines = [`# ${l10n.t('Sent message: {0}', escapeInline(firstLine(entry.body)))}`, ''];
  const field = (name: string, value: string | null | undefined) => value && lines.push(`- **${name}:** ${escapeInline(value)}`);
  field(l10n.t('Time'), formatTime(entry.time));
  field(l10n.t('Kind'), kindLabel(entry.kind));
  field(l10n.t('Study'), studyText(entry.studyId, studyName));
  field(l10n.t('Group'), entry.groupName);
  field(l10n.t('Subject'), entry.broadcast?.subject);
  field(l10n.t('Broadcast ID'), entry.broadcast?.id);
  field(l10n.t('Source'), entry.source);
  field(l10n.t('Recipients'), String(entry.recipientCount));
  if (entry.broadcastRecipients !== undefined) field(l10n.t("Recipients by Prolific's count"), String(entry.broadcastRecipients));
  field(l10n.t('Result'), countsText(entry));
  lines.push('', `## ${entry.kind === 'personalized' ? l10n.t('Message template') : l10n.t('Message')}`, '', ...fenced(entry.body), '');
  if (entry.audience)
    lines.push(`## ${l10n.t('Audience file: {0}', escapeInline(entry.audience.file))}`, '', ...fenced(entry.audience.content, 'json'), '');

  if (entry.outcomes.length === 0) {
    if (entry.kind === 'group') lines.push(l10n.t('Prolific sent this message to the group, so there are no per-participant results.'), '');
    return lines.join('\n');
  }
  lines.push(
    `## ${l10n.t('Recipients ({0})', entry.outcomes.length)}`,
    '',
    `| ${l10n.t('Participant ID')} | ${l10n.t('Status')} | ${l10n.t('Reason')} |`,
    '| --- | --- | --- |',
  );
  for (const o of entry.outcomes.slice(0, MARKDOWN_ROW_LIMIT)) {
    lines.push(`| ${escapeInline(o.id)} | ${statusLabel(o.status)} | ${escapeInline(o.reason ?? '')} |`);
  }
  const hidden = entry.outcomes.length - MARKDOWN_ROW_LIMIT;
  if (hidden > 0) {
    lines.push(
      '',
      hidden === 1
        ? l10n.t('… and 1 more recipient not shown. Export the entry to CSV or JSON to see everyone.')
        : l10n.t('… and {0} more recipients not shown. Export the entry to CSV or JSON to see everyone.', hidden),
    );
  }
  lines.push('');
  return lines.join('\n');
}

function statusLabel(status: RecipientStatus): string {
  switch (status) {
    case 'sent':
      return l10n.t('sent');
    case 'failed':
      return l10n.t('failed');
    case 'skipped':
      return l10n.t('skipped');
    case 'unknown':
      return l10n.t('may have received it');
  }
}

function fenced(text: string, language = 'text'): string[] {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return [`${fence}${language}`, ...text.split(/\r?\n/), fence];
}

/** Backslash-escapes what Markdown would read as markup inside a line (CommonMark allows it on any punctuation). */
export function escapeInline(text: string): string {
  return text.replace(/\r?\n|\r/g, ' ').replace(/[\\`*_[\]<>|~&$#]/g, '\\$&');
}

// ---- Export files ----

/** One row per participant; RFC 4180 (CRLF lines, quoted where needed), safe to open in a spreadsheet. */
export function toCsv(entry: HistoryEntry): string {
  const rows = [['participant_id', 'status', 'reason'], ...entry.outcomes.map((o) => [o.id, o.status, o.reason ?? ''])];
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

function csvCell(value: string): string {
  // A cell starting with one of these is run as a formula by Excel, LibreOffice and Sheets
  // (CSV injection); a leading apostrophe makes it text. Tab and CR are on OWASP's list too.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The entry whole, indented; rebuilt from the known fields so nothing else leaks out. */
export function toJson(entry: HistoryEntry): string {
  const clean = cleanEntry(entry);
  if (!clean) throw new Error(l10n.t('This sent-history entry is damaged and cannot be exported.'));
  return `${JSON.stringify(clean, null, 2)}\n`;
}
