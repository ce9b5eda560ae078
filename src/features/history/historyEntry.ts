// A sent-history entry and its text forms: the summary the Sent view shows, the Markdown
// document "Open" shows, and the CSV and JSON files "Export" writes. Pure: no vscode, so it
// is unit-tested (test/unit/exportHistory.test.ts).
import { isCount, isRecord } from '../../shared/guards';
import { l10n } from '../../shared/l10n';
import { firstLine } from '../../shared/text';
import { retryableIds, type RecipientOutcome, type RecipientStatus } from '../../shared/outcomes';

export type HistoryKind = 'single' | 'bulk' | 'group' | 'personalized';

export interface HistoryEntry {
  /** Random. */
  id: string;
  /** ISO 8601. */
  time: string;
  kind: HistoryKind;
  studyId: string | null;
  /** The message; for a personalized send, the template with its {{placeholders}}. */
  body: string;
  recipientCount: number;
  groupName?: string;
  /** Where the recipients came from, for the user: "participants.csv", "Selection"... */
  source?: string;
  /** One per participant; empty for a group (Prolific sends it, so only counts are known). */
  outcomes: RecipientOutcome[];
  counts: { sent: number; failed: number; skipped: number };
  cancelled: boolean;
  /**
   * Personalized only: the rendered text for each participant "Retry Failed" may still send to,
   * by ID (the rows that filled the template are not kept, so the text is).
   */
  bodies?: Record<string, string>;
}

const KINDS: readonly HistoryKind[] = ['single', 'bulk', 'group', 'personalized'];
const STATUSES: readonly RecipientStatus[] = ['sent', 'failed', 'skipped'];

/**
 * The entry rebuilt from the known fields only, or undefined when one is missing or has the
 * wrong type. Everything that enters or leaves the history passes here, so nothing else a
 * caller's object carries (an API token, a client, a Draft's extra fields) is ever stored,
 * exported or shown, and a hand-edited file cannot put strange values in the view.
 */
export function cleanEntry(value: unknown): HistoryEntry | undefined {
  if (!isRecord(value)) return undefined;
  const { id, time, kind, studyId, body, recipientCount, groupName, source, outcomes, counts, cancelled, bodies } = value;
  if (typeof id !== 'string' || !id || typeof time !== 'string' || Number.isNaN(Date.parse(time))) return undefined;
  if (!KINDS.includes(kind as HistoryKind) || typeof body !== 'string' || !isCount(recipientCount)) return undefined;
  if (studyId !== null && studyId !== undefined && typeof studyId !== 'string') return undefined;
  if (typeof cancelled !== 'boolean' || !Array.isArray(outcomes) || !isRecord(counts)) return undefined;
  if (!isCount(counts.sent) || !isCount(counts.failed) || !isCount(counts.skipped)) return undefined;
  const cleanOutcomes: RecipientOutcome[] = [];
  for (const o of outcomes) {
    const clean = cleanOutcome(o);
    if (!clean) return undefined;
    cleanOutcomes.push(clean);
  }
  const entry: HistoryEntry = {
    id,
    time,
    kind: kind as HistoryKind,
    studyId: studyId || null,
    body,
    recipientCount,
    outcomes: cleanOutcomes,
    counts: { sent: counts.sent, failed: counts.failed, skipped: counts.skipped },
    cancelled,
  };
  if (typeof groupName === 'string') entry.groupName = groupName;
  if (typeof source === 'string') entry.source = source;
  if (isRecord(bodies)) {
    const texts = Object.entries(bodies).filter((kv): kv is [string, string] => typeof kv[1] === 'string');
    if (texts.length) entry.bodies = Object.fromEntries(texts);
  }
  return entry;
}

function cleanOutcome(value: unknown): RecipientOutcome | undefined {
  if (!isRecord(value) || typeof value.id !== 'string' || !STATUSES.includes(value.status as RecipientStatus)) return undefined;
  const outcome: RecipientOutcome = { id: value.id, status: value.status as RecipientStatus };
  if (typeof value.reason === 'string') outcome.reason = value.reason;
  if (typeof value.retryable === 'boolean') outcome.retryable = value.retryable;
  return outcome;
}

// ---- Summaries (the Sent view and the Open document) ----

/** Who it went to: the participant ID for one, the group, or how many. */
export function audienceText(entry: HistoryEntry): string {
  if (entry.kind === 'single' && entry.outcomes.length === 1) return entry.outcomes[0].id;
  if (entry.kind === 'group' && entry.groupName) return l10n.t('group {0}', entry.groupName);
  return recipients(entry.recipientCount);
}

/** "sent", "3 failed", "3 failed, 2 skipped", "cancelled: 40 of 100 sent". */
export function resultText(entry: HistoryEntry): string {
  const { sent, failed, skipped } = entry.counts;
  if (entry.cancelled) return l10n.t('cancelled: {0} of {1} sent', sent, entry.recipientCount);
  if (failed && skipped) return l10n.t('{0} failed, {1} skipped', failed, skipped);
  if (failed) return l10n.t('{0} failed', failed);
  if (skipped) return l10n.t('{0} skipped', skipped);
  return l10n.t('sent');
}

export type Severity = 'ok' | 'partial' | 'failed';

/** 'failed' when nothing arrived, 'partial' when some did not or the run was cancelled. */
export function severity(entry: HistoryEntry): Severity {
  const { sent, failed, skipped } = entry.counts;
  if (sent === 0 && (failed > 0 || skipped > 0 || entry.cancelled)) return 'failed';
  return failed > 0 || skipped > 0 || entry.cancelled ? 'partial' : 'ok';
}

export function hasRetryable(entry: HistoryEntry): boolean {
  return retryableIds(entry.outcomes).length > 0;
}

/** "1 recipient", "3 recipients". */
export function recipients(n: number): string {
  return n === 1 ? l10n.t('1 recipient') : l10n.t('{0} recipients', n);
}

/** "40 sent, 2 failed, 0 skipped", with "(cancelled)" after a cancelled run. */
export function countsText(entry: HistoryEntry): string {
  const { sent, failed, skipped } = entry.counts;
  return entry.cancelled
    ? l10n.t('{0} sent, {1} failed, {2} skipped (cancelled)', sent, failed, skipped)
    : l10n.t('{0} sent, {1} failed, {2} skipped', sent, failed, skipped);
}

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
  }
}

/**
 * The whole entry as Markdown. Every value is user or API text, so it is escaped: the body
 * goes in a code fence longer than any backtick run it contains (shown exactly as sent), and
 * other values are backslash-escaped so they cannot become links, HTML, tables or formatting.
 * @param formatTime how to show the ISO time to the user (the locale lives in vscode).
 */
export function toMarkdown(entry: HistoryEntry, formatTime: (iso: string) => string = (iso) => iso): string {
  const lines = [`# ${l10n.t('Sent message: {0}', escapeInline(firstLine(entry.body)))}`, ''];
  const field = (name: string, value: string | null | undefined) => value && lines.push(`- **${name}:** ${escapeInline(value)}`);
  field(l10n.t('Time'), formatTime(entry.time));
  field(l10n.t('Kind'), kindLabel(entry.kind));
  field(l10n.t('Study'), entry.studyId ?? l10n.t('none'));
  field(l10n.t('Group'), entry.groupName);
  field(l10n.t('Source'), entry.source);
  field(l10n.t('Recipients'), String(entry.recipientCount));
  field(l10n.t('Result'), countsText(entry));
  lines.push('', `## ${entry.kind === 'personalized' ? l10n.t('Message template') : l10n.t('Message')}`, '', ...fenced(entry.body), '');

  if (entry.outcomes.length === 0) {
    if (entry.kind === 'group') lines.push(l10n.t('Prolific sent this message to the group, so there are no per-participant results.'), '');
    return lines.join('\n');
  }
  lines.push(`## ${l10n.t('Recipients ({0})', entry.outcomes.length)}`, '', `| ${l10n.t('Participant ID')} | ${l10n.t('Status')} | ${l10n.t('Reason')} |`, '| --- | --- | --- |');
  for (const o of entry.outcomes.slice(0, MARKDOWN_ROW_LIMIT)) {
    lines.push(`| ${escapeInline(o.id)} | ${statusLabel(o.status)} | ${escapeInline(o.reason ?? '')} |`);
  }
  const hidden = entry.outcomes.length - MARKDOWN_ROW_LIMIT;
  if (hidden > 0) {
    lines.push('', hidden === 1
      ? l10n.t('… and 1 more recipient not shown. Export the entry to CSV or JSON to see everyone.')
      : l10n.t('… and {0} more recipients not shown. Export the entry to CSV or JSON to see everyone.', hidden));
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
  }
}

function fenced(text: string): string[] {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return [`${fence}text`, ...text.split(/\r?\n/), fence];
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
