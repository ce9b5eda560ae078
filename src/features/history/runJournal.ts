// The write-ahead record of one send: a file of JSON lines, appended as the send goes. Before a
// request leaves, a line names who it is for; when its answer comes, a line says what happened.
// So if VS Code dies mid-send, the file still says who has the message, who may have it (asked,
// no answer recorded) and who certainly does not. Each line is one write of its own: a torn last
// line (the process died mid-write) is ignored when read, never fatal. Plain Node: no vscode, so
// a test can kill a process that writes one.
import { open, type FileHandle } from 'node:fs/promises';
import { l10n } from '../../shared/l10n';
import type { RunOwner } from './runOwner';
import { cleanBroadcast, type BroadcastFacts } from './historyEntry';
import { countOutcomes, type RecipientOutcome, type RunCounts } from '../../shared/outcomes';

export type { RunOwner } from './runOwner';

export type RunKind = 'single' | 'bulk' | 'group' | 'personalized' | 'broadcast';

/** The first line: what was sent, to how many, from where. */
export interface RunHeader {
  id: string;
  /** ISO 8601. */
  time: string;
  kind: RunKind;
  studyId: string | null;
  /** The message; for a personalized send, the template. */
  body: string;
  recipientCount: number;
  source?: string;
  groupName?: string;
  /** Sent to an audience file's participants: the file's name and its text when it was sent. */
  audience?: { file: string; content: string };
  /** A broadcast: its ID, on disk before the first attempt, so no attempt ever sends another. */
  broadcast?: BroadcastFacts;
  owner: RunOwner;
}

/** One recipient of the plan; a personalized one carries its own text. */
export interface PlannedItem {
  id: string;
  body?: string;
}

/** How a run ended, when it ended (no end line: it was interrupted, or is still running). */
export interface RunEnd {
  cancelled: boolean;
  /** Why the ones never tried were not (cancelled, an earlier batch failed, a fatal error). */
  reason?: string;
  /** A group send has no per-participant outcomes: only its count. */
  counts?: RunCounts;
  /** A broadcast: how many recipients Prolific says it has (its recipient_count), when it said. */
  broadcastRecipients?: number;
}

type Line =
  | ({ t: 'run' } & RunHeader)
  | { t: 'plan'; ids: string[]; bodies?: string[] }
  | { t: 'try'; ids: string[] }
  | { t: 'sent'; ids: string[] }
  | { t: 'failed'; ids: string[]; reason: string; retryable: boolean }
  | ({ t: 'end' } & RunEnd)
  | { t: 'resume'; time: string; owner: RunOwner };

/** Items per plan line: long lists are written in several lines, none too long to read back. */
const PLAN_CHUNK = 1000;

/** Appends to one run's journal. Writes go one after another, in the order they were asked for. */
export class RunJournal {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly file: FileHandle) {}

  /** Starts a journal: the header and the whole plan, on disk before anything is sent. */
  static async create(path: string, header: RunHeader, plan: readonly PlannedItem[]): Promise<RunJournal> {
    const journal = new RunJournal(await open(path, 'wx'));
    await journal.write({ t: 'run', ...header });
    for (let start = 0; start < plan.length; start += PLAN_CHUNK) {
      const items = plan.slice(start, start + PLAN_CHUNK);
      const bodies = items.some((i) => i.body !== undefined) ? items.map((i) => i.body ?? '') : undefined;
      await journal.write({ t: 'plan', ids: items.map((i) => i.id), ...(bodies ? { bodies } : {}) });
    }
    return journal;
  }

  /** Reopens an interrupted run's journal to carry it on (Resume), saying who does. */
  static async resume(path: string, owner: RunOwner): Promise<RunJournal> {
    const journal = new RunJournal(await open(path, 'a'));
    await journal.write({ t: 'resume', time: new Date().toISOString(), owner });
    return journal;
  }

  /** Before the request for `ids` leaves. Resolves once the line is written. */
  trying(ids: readonly string[]): Promise<void> {
    return this.write({ t: 'try', ids: [...ids] });
  }

  sent(ids: readonly string[]): Promise<void> {
    return this.write({ t: 'sent', ids: [...ids] });
  }

  failed(ids: readonly string[], reason: string, retryable: boolean): Promise<void> {
    return this.write({ t: 'failed', ids: [...ids], reason, retryable });
  }

  async end(end: RunEnd): Promise<void> {
    await this.write({ t: 'end', ...end });
    await this.close();
  }

  close(): Promise<void> {
    const closing = this.queue.then(() => this.file.close());
    this.queue = closing.catch(() => undefined);
    return closing;
  }

  private write(line: Line): Promise<void> {
    // One write per line, so a crash can tear at most the last one.
    const bytes = Buffer.from(`${JSON.stringify(line)}\n`);
    const writing = this.queue.then(() => this.file.write(bytes)).then(() => undefined);
    this.queue = writing.catch(() => undefined);
    return writing;
  }
}

/** What a journal says, read back. */
export interface RunRecord {
  header: RunHeader;
  plan: PlannedItem[];
  /** The last word on each participant that was tried (absent: never tried). */
  states: Map<string, { state: 'trying' } | { state: 'sent' } | { state: 'failed'; reason: string; retryable: boolean }>;
  end?: RunEnd;
  /** Owners that carried the run on after an interruption. */
  resumes: { time: string; owner: RunOwner }[];
}

/** Reads a journal's text; undefined without a readable header and whole plan. Unreadable lines are skipped. */
export function readJournal(text: string): RunRecord | undefined {
  let record: RunRecord | undefined;
  for (const raw of text.split('\n')) {
    const line = parseLine(raw);
    if (!line) continue;
    if (line.t === 'run') record ??= { header: headerOf(line), plan: [], states: new Map(), resumes: [] };
    else if (record) apply(record, line);
  }
  // Nothing is sent before the whole plan is on disk: a journal cut short inside its plan sent nobody.
  if (record && record.header.kind !== 'group' && record.plan.length < record.header.recipientCount) return undefined;
  return record;
}

function apply(record: RunRecord, line: Exclude<Line, { t: 'run' }>): void {
  switch (line.t) {
    case 'plan':
      line.ids.forEach((id, i) => record.plan.push(line.bodies ? { id, body: line.bodies[i] ?? '' } : { id }));
      return;
    case 'try':
      for (const id of line.ids) record.states.set(id, { state: 'trying' });
      return;
    case 'sent':
      for (const id of line.ids) record.states.set(id, { state: 'sent' });
      return;
    case 'failed':
      for (const id of line.ids) record.states.set(id, { state: 'failed', reason: line.reason, retryable: line.retryable });
      return;
    case 'end':
      record.end = {
        cancelled: line.cancelled,
        ...(line.reason ? { reason: line.reason } : {}),
        ...(line.counts ? { counts: line.counts } : {}),
        ...(typeof line.broadcastRecipients === 'number' ? { broadcastRecipients: line.broadcastRecipients } : {}),
      };
      return;
    case 'resume':
      record.resumes.push({ time: line.time, owner: line.owner });
      // The run goes on: its earlier end (if an interrupted resume wrote none) no longer holds.
      delete record.end;
  }
}

/**
 * Every planned participant's outcome: sent or failed as answered; asked with no answer recorded
 * is "unknown" (may have received it); never asked, or refused, is skipped (not sent).
 */
export function outcomesOf(record: RunRecord): RecipientOutcome[] {
  const notSent = record.end?.reason ?? l10n.t('Not sent: the send was interrupted before this participant.');
  return record.plan.map(({ id }): RecipientOutcome => {
    const state = record.states.get(id);
    if (!state) return { id, status: 'skipped', reason: notSent };
    if (state.state === 'sent') return { id, status: 'sent' };
    if (state.state === 'failed') return { id, status: 'failed', reason: state.reason, retryable: state.retryable };
    return { id, status: 'unknown', reason: l10n.t('May have received it: the send was interrupted while this message was on its way.') };
  });
}

/** The run's counts: from its outcomes, or (a group) from its end line. */
export function countsOf(record: RunRecord): RunCounts {
  if (record.header.kind === 'group') {
    if (record.end?.counts) return record.end.counts;
    const unknown = record.states.size > 0 ? record.header.recipientCount : 0;
    return { sent: 0, failed: 0, skipped: unknown ? 0 : record.header.recipientCount, unknown };
  }
  return countOutcomes(outcomesOf(record));
}

/**
 * The participants a Resume may send to, with their texts: planned and never asked, or asked and
 * refused in a way that proves the message was not delivered.
 */
export function notSentItems(record: RunRecord): PlannedItem[] {
  // A broadcast goes again with its own ID, which Prolific makes only once: all who may lack it.
  if (record.header.kind === 'broadcast') return record.plan.filter(({ id }) => record.states.get(id)?.state !== 'sent');
  return record.plan.filter(({ id }) => {
    const state = record.states.get(id);
    return !state || (state.state === 'failed' && state.retryable);
  });
}

function parseLine(raw: string): Line | undefined {
  if (!raw.trim()) return undefined;
  try {
    const value: unknown = JSON.parse(raw);
    return isLine(value) ? value : undefined;
  } catch {
    return undefined; // a torn line
  }
}

function isLine(value: unknown): value is Line {
  if (typeof value !== 'object' || value === null) return false;
  const line = value as { t?: unknown; ids?: unknown };
  if (line.t === 'run') return isHeader(value);
  if (line.t === 'end' || line.t === 'resume') return true;
  return (
    ['plan', 'try', 'sent', 'failed'].includes(String(line.t)) && Array.isArray(line.ids) && line.ids.every((id) => typeof id === 'string')
  );
}

const KINDS: readonly string[] = ['single', 'bulk', 'group', 'personalized', 'broadcast'];

function isHeader(value: object): boolean {
  const h = value as Partial<Record<keyof RunHeader, unknown>>;
  return (
    typeof h.id === 'string' &&
    typeof h.time === 'string' &&
    KINDS.includes(String(h.kind)) &&
    typeof h.body === 'string' &&
    typeof h.recipientCount === 'number' &&
    (h.studyId === null || typeof h.studyId === 'string') &&
    // A broadcast without its ID could not be sent again safely.
    (h.kind !== 'broadcast' || cleanBroadcast(h.broadcast) !== undefined)
  );
}

function headerOf(line: { t: 'run' } & RunHeader): RunHeader {
  const header: Partial<typeof line> = { ...line };
  delete header.t;
  return header as RunHeader;
}
