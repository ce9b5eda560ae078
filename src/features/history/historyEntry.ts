// A sent-history entry: its shape, the check everything read from disk passes, and the short
// texts the Sent view shows. Pure: no vscode, so it is unit-tested (test/unit/exportHistory.test.ts).
// The whole entry as a document or a file is historyExport.ts.
import { isCount, isRecord } from '../../shared/guards';
import { l10n } from '../../shared/l10n';
import { retryableIds, type RecipientOutcome, type RecipientStatus, type RunCounts } from '../../shared/outcomes';

export type HistoryKind = 'single' | 'bulk' | 'group' | 'personalized' | 'broadcast';

/**
 * A broadcast's identity: its ID is chosen before the first attempt and kept with the run, so
 * every later attempt (a retry, a Resume after VS Code died) sends the same ID and Prolific makes
 * it only once.
 */
export interface BroadcastFacts {
  id: string;
  subject: string;
  topic: string;
}

/**
 * Who "Retry Failed" may send a run of this kind to again. A broadcast goes again with its own ID,
 * which Prolific makes only once, so everyone not known to have it; any other run, only those
 * proven not to (retryableIds).
 */
export function retryableFor(kind: HistoryKind, outcomes: readonly RecipientOutcome[]): string[] {
  return kind === 'broadcast' ? outcomes.filter((o) => o.status !== 'sent').map((o) => o.id) : retryableIds(outcomes);
}

/** A broadcast read from disk or a caller's object: its known fields only, or undefined. */
export function cleanBroadcast(value: unknown): BroadcastFacts | undefined {
  if (!isRecord(value)) return undefined;
  const { id, subject, topic } = value;
  return typeof id === 'string' && id && typeof subject === 'string' && typeof topic === 'string' ? { id, subject, topic } : undefined;
}

/** What the summaries below need: a run as the index lists it and a whole entry both have it. */
export interface RunFacts {
  kind: HistoryKind;
  recipientCount: number;
  /** One participant's send: who. */
  recipient?: string;
  groupName?: string;
  counts: RunCounts;
  cancelled: boolean;
  /** Left unfinished by a window that is gone (see historyIndex.ts). */
  interrupted?: boolean;
  /** Being sent right now. */
  running?: boolean;
  /** Participants "Retry Failed" may send to. */
  retryable: number;
}

export interface HistoryEntry extends RunFacts {
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
  /**
   * Personalized only: the rendered text for each participant "Retry Failed" may still send to,
   * by ID (the rows that filled the template are not kept, so the text is).
   */
  bodies?: Record<string, string>;
  /** Sent to an audience file's participants: the file's name and its text at the time of sending (who it meant). */
  audience?: { file: string; content: string };
  /** A broadcast (kind 'broadcast'): the ID every attempt sends, its subject and topic. */
  broadcast?: BroadcastFacts;
  /** A broadcast that went out: how many recipients Prolific counted (its recipient_count). */
  broadcastRecipients?: number;
}

const KINDS: readonly HistoryKind[] = ['single', 'bulk', 'group', 'personalized', 'broadcast'];
const STATUSES: readonly RecipientStatus[] = ['sent', 'failed', 'skipped', 'unknown'];

/**
 * The entry rebuilt from the known fields only, or undefined when one is missing or has the
 * wrong type. Everything that enters or leaves the history passes here, so nothing else a
 * caller's object carries (an API token, a client, a Draft's extra fields) is ever stored,
 * exported or shown, and a hand-edited file cannot put strange values in the view.
 */
export function cleanEntry(value: unknown): HistoryEntry | undefined {
  if (!isRecord(value)) return undefined;
  const { id, time, kind, studyId, body, recipientCount, groupName, source, outcomes, counts, cancelled, bodies, audience, broadcast } =
    value;
  if (typeof id !== 'string' || !id || typeof time !== 'string' || Number.isNaN(Date.parse(time))) return undefined;
  if (!KINDS.includes(kind as HistoryKind) || typeof body !== 'string' || !isCount(recipientCount)) return undefined;
  if (studyId !== null && studyId !== undefined && typeof studyId !== 'string') return undefined;
  if (typeof cancelled !== 'boolean' || !Array.isArray(outcomes) || !isRecord(counts)) return undefined;
  if (!isCount(counts.sent) || !isCount(counts.failed) || !isCount(counts.skipped)) return undefined;
  // Written before interrupted runs could leave anyone "unknown": none then.
  const unknown = counts.unknown === undefined ? 0 : counts.unknown;
  if (!isCount(unknown)) return undefined;
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
    counts: { sent: counts.sent, failed: counts.failed, skipped: counts.skipped, unknown },
    cancelled,
    retryable: retryableFor(kind as HistoryKind, cleanOutcomes).length,
  };
  if (kind === 'single' && cleanOutcomes.length === 1) entry.recipient = cleanOutcomes[0].id;
  if (value.interrupted === true) entry.interrupted = true;
  if (typeof groupName === 'string') entry.groupName = groupName;
  if (typeof source === 'string') entry.source = source;
  if (isRecord(bodies)) {
    const texts = Object.entries(bodies).filter((kv): kv is [string, string] => typeof kv[1] === 'string');
    if (texts.length) entry.bodies = Object.fromEntries(texts);
  }
  if (isRecord(audience) && typeof audience.file === 'string' && typeof audience.content === 'string')
    entry.audience = { file: audience.file, content: audience.content };
  const facts = kind === 'broadcast' ? cleanBroadcast(broadcast) : undefined;
  if (kind === 'broadcast' && !facts) return undefined;
  if (facts) entry.broadcast = facts;
  if (facts && isCount(value.broadcastRecipients)) entry.broadcastRecipients = value.broadcastRecipients;
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
export function audienceText(entry: RunFacts): string {
  if (entry.kind === 'single' && entry.recipient) return entry.recipient;
  if (entry.kind === 'group' && entry.groupName) return l10n.t('group {0}', entry.groupName);
  return recipients(entry.recipientCount);
}

/** "sent", "3 failed", "3 failed, 2 skipped", "cancelled: 40 of 100 sent", "interrupted: 10 of 30 sent". */
export function resultText(entry: RunFacts): string {
  const { sent, failed, skipped, unknown } = entry.counts;
  if (entry.running) return l10n.t('sending…');
  if (entry.interrupted) return l10n.t('interrupted: {0} of {1} sent', sent, entry.recipientCount);
  if (unknown) return l10n.t('{0} of {1} sent, {2} may have received it', sent, entry.recipientCount, unknown);
  if (entry.cancelled) return l10n.t('cancelled: {0} of {1} sent', sent, entry.recipientCount);
  if (failed && skipped) return l10n.t('{0} failed, {1} skipped', failed, skipped);
  if (failed) return l10n.t('{0} failed', failed);
  if (skipped) return l10n.t('{0} skipped', skipped);
  return l10n.t('sent');
}

export type Severity = 'ok' | 'partial' | 'failed';

/** 'failed' when nothing arrived, 'partial' when some did not or the run was cancelled. */
export function severity(entry: RunFacts): Severity {
  const { sent, failed, skipped, unknown } = entry.counts;
  const short = failed > 0 || skipped > 0 || unknown > 0 || entry.cancelled || entry.interrupted === true;
  if (sent === 0 && short) return 'failed';
  return short ? 'partial' : 'ok';
}

export function hasRetryable(entry: RunFacts): boolean {
  return entry.retryable > 0;
}

/** A run's study as the user knows it: its name (when this window has listed the account's studies) and ID. */
export function studyText(studyId: string | null, studyName: (id: string) => string | undefined = () => undefined): string {
  if (!studyId) return l10n.t('none');
  const name = studyName(studyId);
  return name ? l10n.t('{0} ({1})', name, studyId) : studyId;
}

/** "1 recipient", "3 recipients". */
export function recipients(n: number): string {
  return n === 1 ? l10n.t('1 recipient') : l10n.t('{0} recipients', n);
}

/** "40 sent, 2 failed, 0 skipped", with "(cancelled)" after a cancelled run, and who may have received it. */
export function countsText(entry: RunFacts): string {
  const { sent, failed, skipped, unknown } = entry.counts;
  if (unknown || entry.interrupted)
    return l10n.t('{0} sent, {1} may have received it, {2} failed, {3} not sent', sent, unknown, failed, skipped);
  return entry.cancelled
    ? l10n.t('{0} sent, {1} failed, {2} skipped (cancelled)', sent, failed, skipped)
    : l10n.t('{0} sent, {1} failed, {2} skipped', sent, failed, skipped);
}
