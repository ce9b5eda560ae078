// The sent history, in the extension's global storage (every window of this VS Code profile
// sees the same; it is not synced between machines): history/index.json lists the runs (see
// historyIndex.ts) and history/runs/<id>.jsonl is each run's own write-ahead journal (see
// runJournal.ts), written as the run goes, so a run that VS Code did not live to finish still
// says who has the message. Nothing is read until the history is first used, never during
// activation. The history.json of earlier versions is moved into this form once. Plain Node, no
// vscode: the kill loop (test/integration/killLoop.test.ts) runs it in processes it SIGKILLs.
import { randomUUID } from 'node:crypto';
import { readFile, rename, rm, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { l10n } from '../../shared/l10n';
import type { RecipientOutcome, RunCounts } from '../../shared/outcomes';
import { retryableIds } from '../../shared/outcomes';
import { cleanEntry, retryableFor, type BroadcastFacts, type HistoryEntry, type HistoryKind } from './historyEntry';
import { HistoryIndex, currentOwner, isInterrupted, summaryOf, textKey, type RunSummary } from './historyIndex';
import { RunJournal, countsOf, notSentItems, outcomesOf, readJournal, type PlannedItem, type RunEnd, type RunRecord } from './runJournal';

export type { HistoryEntry, HistoryKind } from './historyEntry';

/** A run as the Sent view lists it. */
export type SentRun = RunSummary & { interrupted: boolean; running: boolean };

/** What starting a run needs to know. */
export interface RunSpec {
  kind: HistoryKind;
  studyId: string | null;
  body: string;
  source?: string;
  groupName?: string;
  /** From an audience file: its name and text at the time of sending. */
  audience?: { file: string; content: string };
  /** A broadcast's ID, subject and topic: journaled before the first attempt. */
  broadcast?: BroadcastFacts;
  recipientCount: number;
  /** Everyone it is for, in order; personalized items carry their own text. */
  items: readonly PlannedItem[];
}

const DEFAULT_MAX = 200;

export class HistoryStore {
  private readonly listeners = new Set<() => void>();
  private readonly index: HistoryIndex;
  private readonly runs: string;
  private migrated: Promise<void> | undefined;
  /** Who each run reached, newest run per participant, as of the index's stamp (see lastReached). */
  private reached: { stamp: number; byParticipant: Promise<Map<string, SentRun>> } | undefined;

  /** @param storageDir The extension's global storage folder (a path). */
  constructor(
    private readonly storageDir: string,
    private readonly maxEntries: () => number,
    /** Told, in a sentence for the user, when the old history.json could not be read and was set aside. */
    private readonly onCorrupt?: (message: string) => void,
  ) {
    this.index = new HistoryIndex(join(storageDir, 'history'));
    this.runs = join(this.index.dir, 'runs');
  }

  /** Newest first, as the index lists them; no run file is read. */
  async list(): Promise<SentRun[]> {
    await this.migrate();
    return (await this.index.read()).map((run) => {
      const interrupted = isInterrupted(run);
      return { ...run, interrupted, running: run.state === 'running' && !interrupted };
    });
  }

  /** The index file's modification time: it moves when any window records a run. */
  stamp(): Promise<number> {
    return this.index.stamp();
  }

  /** One run in full, read from its journal. */
  async get(id: string): Promise<HistoryEntry | undefined> {
    const run = (await this.list()).find((r) => r.id === id);
    const record = run && (await this.readRecord(id));
    return run && record ? entryOf(run, record) : undefined;
  }

  /** Starts recording a run: its journal holds the whole plan before anything is sent. */
  async startRun(spec: RunSpec): Promise<RunWriter> {
    await this.migrate();
    const owner = currentOwner();
    const header = {
      id: randomUUID(),
      time: new Date().toISOString(),
      kind: spec.kind,
      studyId: spec.studyId,
      body: spec.body,
      recipientCount: spec.recipientCount,
      owner,
      ...optional(spec),
    };
    await mkdir(this.runs, { recursive: true });
    const journal = await RunJournal.create(this.journalPath(header.id), header, spec.items);
    const summary = summaryOf({ header, plan: [...spec.items], states: new Map(), resumes: [] });
    await this.index.update((runs) => ({ runs: [summary, ...runs], result: undefined }));
    this.fire();
    return new RunWriter(journal, this.journalPath(header.id), (end) => this.finish(header.id, end));
  }

  /** An interrupted run, and who a Resume would send to; undefined when it is not interrupted. */
  async interruptedPlan(id: string): Promise<{ entry: HistoryEntry; items: PlannedItem[] } | undefined> {
    const run = (await this.list()).find((r) => r.id === id);
    const record = run?.interrupted ? await this.readRecord(id) : undefined;
    return run && record ? { entry: entryOf(run, record), items: notSentItems(record) } : undefined;
  }

  /**
   * Takes over an interrupted run to send to those it never asked for (Resume). Undefined when
   * the run is not (or no longer) interrupted, so two windows cannot both resume it.
   */
  async resumeRun(id: string): Promise<RunWriter | undefined> {
    const taken = await this.index.update((runs) => {
      const run = runs.find((r) => r.id === id);
      if (!run || !isInterrupted(run)) return { runs, result: false };
      return { runs: runs.map((r) => (r.id === id ? { ...r, owner: currentOwner() } : r)), result: true };
    });
    if (!taken) return undefined;
    const journal = await RunJournal.resume(this.journalPath(id), currentOwner());
    this.fire();
    return new RunWriter(journal, this.journalPath(id), (end) => this.finish(id, end));
  }

  /**
   * Who already got this same text in this study from this computer (sent, or may have received
   * it), among `ids`. Only runs of the same text are read.
   */
  async alreadyReached(studyId: string | null, body: string, ids: readonly string[]): Promise<Set<string>> {
    const key = textKey(studyId, body);
    const wanted = new Set(ids);
    const reached = new Set<string>();
    for (const run of await this.list()) {
      if (run.textKey !== key || run.kind === 'group') continue;
      const record = await this.readRecord(run.id);
      for (const o of record ? outcomesOf(record) : [])
        if ((o.status === 'sent' || o.status === 'unknown') && wanted.has(o.id)) reached.add(o.id);
    }
    return reached;
  }

  /**
   * The newest run that sent this participant a message (or may have): for the hover over an ID.
   * Every journal is read once, then again only after a run was recorded (by any window).
   */
  async lastReached(participantId: string): Promise<SentRun | undefined> {
    const stamp = await this.stamp();
    if (this.reached?.stamp !== stamp) this.reached = { stamp, byParticipant: this.readReached() };
    return (await this.reached.byParticipant).get(participantId);
  }

  private async readReached(): Promise<Map<string, SentRun>> {
    const byParticipant = new Map<string, SentRun>();
    const runs = (await this.list()).filter((run) => run.kind !== 'group');
    for (const run of runs.reverse()) {
      const record = await this.readRecord(run.id);
      for (const o of record ? outcomesOf(record) : []) if (o.status === 'sent' || o.status === 'unknown') byParticipant.set(o.id, run);
    }
    return byParticipant;
  }

  /**
   * The runs started at or after `since` (ms since the epoch), each with its outcomes as its
   * journal says: who "messaged within" counts as messaged from this computer.
   */
  async runsSince(since: number): Promise<{ time: string; outcomes: RecipientOutcome[] }[]> {
    const runs = (await this.list()).filter((run) => run.kind !== 'group' && Date.parse(run.time) >= since);
    const records = await Promise.all(runs.map((run) => this.readRecord(run.id)));
    return runs.map((run, i) => {
      const record = records[i];
      return { time: run.time, outcomes: record ? outcomesOf(record) : [] };
    });
  }

  /** Empties the history, except runs that are being sent right now (or were interrupted). */
  async clear(): Promise<void> {
    await this.migrate();
    const removed = await this.index.update((runs) => ({
      runs: runs.filter((r) => r.state === 'running'),
      result: runs.filter((r) => r.state !== 'running'),
    }));
    await Promise.all(removed.map((r) => rm(this.journalPath(r.id), { force: true })));
    this.fire();
  }

  /** Called after this window changed the history (another window's changes show in stamp()). */
  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  dispose(): void {
    this.listeners.clear();
  }

  private fire(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** Ends a run in the index (its journal already says how) and trims the history to its size. */
  private async finish(id: string, record: RunRecord): Promise<HistoryEntry> {
    const counts = countsOf(record);
    const outcomes = outcomesOf(record);
    let summary: RunSummary | undefined;
    const trimmed = await this.index.update((runs) => {
      const ended = runs.map((r): RunSummary =>
        r.id === id
          ? (summary = {
              ...r,
              counts,
              cancelled: record.end?.cancelled === true,
              retryable: retryableFor(record.header.kind, outcomes).length,
              state: 'done',
            })
          : r,
      );
      return trimTo(ended, this.limit());
    });
    await Promise.all(trimmed.map((r) => rm(this.journalPath(r.id), { force: true })));
    this.fire();
    // Built from what was just written: reading the index again would cost as much as the write.
    if (!summary) throw new Error(l10n.t('The record of this send is damaged.'));
    return entryOf({ ...summary, interrupted: false, running: false }, record);
  }

  private limit(): number {
    const n = this.maxEntries();
    return Number.isInteger(n) && n >= 1 ? n : DEFAULT_MAX;
  }

  private journalPath(id: string): string {
    return join(this.runs, `${id}.jsonl`);
  }

  private async readRecord(id: string): Promise<RunRecord | undefined> {
    const text = await readFile(this.journalPath(id), 'utf8').catch(() => '');
    return readJournal(text);
  }

  /** Moves the history.json of earlier versions into runs and the index, once. */
  private migrate(): Promise<void> {
    this.migrated ??= migrateHistoryFile(this.storageDir, this.index, (id) => this.journalPath(id), this.onCorrupt).catch(
      (error: unknown) => {
        this.migrated = undefined; // tried again next time
        throw error;
      },
    );
    return this.migrated;
  }
}

/** Appends the events of one run to its journal; `end` finishes it in the history. */
export class RunWriter {
  constructor(
    private readonly journal: RunJournal,
    private readonly path: string,
    private readonly onEnd: (record: RunRecord) => Promise<HistoryEntry>,
  ) {}

  trying(ids: readonly string[]): Promise<void> {
    return this.journal.trying(ids);
  }

  sent(ids: readonly string[]): Promise<void> {
    return this.journal.sent(ids);
  }

  failed(ids: readonly string[], reason: string, retryable: boolean): Promise<void> {
    return this.journal.failed(ids, reason, retryable);
  }

  /** Writes the end line, then reads the journal back for the history's entry of this run. */
  async end(end: RunEnd): Promise<HistoryEntry> {
    await this.journal.end(end);
    const record = readJournal(await readFile(this.path, 'utf8'));
    if (!record) throw new Error(l10n.t('The record of this send is damaged.'));
    return this.onEnd(record);
  }
}

type OptionalFields = Pick<RunSpec, 'source' | 'groupName' | 'audience' | 'broadcast'>;

function optional(spec: OptionalFields): OptionalFields {
  return {
    ...(spec.source !== undefined ? { source: spec.source } : {}),
    ...(spec.groupName !== undefined ? { groupName: spec.groupName } : {}),
    ...(spec.audience !== undefined ? { audience: { file: spec.audience.file, content: spec.audience.content } } : {}),
    ...(spec.broadcast !== undefined
      ? { broadcast: { id: spec.broadcast.id, subject: spec.broadcast.subject, topic: spec.broadcast.topic } }
      : {}),
  };
}

/** Keeps the newest `max` finished runs (running ones always stay); returns those dropped. */
function trimTo(runs: RunSummary[], max: number): { runs: RunSummary[]; result: RunSummary[] } {
  let done = 0;
  const kept: RunSummary[] = [];
  const dropped: RunSummary[] = [];
  for (const run of runs) {
    if (run.state === 'running' || ++done <= max) kept.push(run);
    else dropped.push(run);
  }
  return { runs: kept, result: dropped };
}

/** A run's full entry, from its index line and its journal. */
function entryOf(run: SentRun, record: RunRecord): HistoryEntry {
  const outcomes = record.header.kind === 'group' ? [] : outcomesOf(record);
  const counts: RunCounts = countsOf(record);
  const retry = new Set(retryableIds(outcomes));
  const bodies =
    record.header.kind === 'personalized'
      ? Object.fromEntries(record.plan.filter((p) => retry.has(p.id) && p.body !== undefined).map((p) => [p.id, p.body ?? '']))
      : undefined;
  const entry = cleanEntry({
    ...record.header,
    outcomes,
    counts,
    cancelled: record.end?.cancelled === true,
    ...(bodies ? { bodies } : {}),
    ...(record.end?.broadcastRecipients !== undefined ? { broadcastRecipients: record.end.broadcastRecipients } : {}),
    interrupted: run.interrupted,
  });
  if (!entry) throw new Error(l10n.t('The record of this send is damaged.'));
  return entry;
}

/**
 * history.json (before journals) into runs: each entry becomes a journal of what it says and a
 * line of the index; the file is then renamed history.migrated.json, so nothing is lost.
 */
async function migrateHistoryFile(
  dir: string,
  index: HistoryIndex,
  journalPath: (id: string) => string,
  onCorrupt?: (message: string) => void,
): Promise<void> {
  const old = join(dir, 'history.json');
  const text = await readFile(old, 'utf8').catch(() => undefined);
  if (text === undefined) return;
  let list: unknown[] = [];
  try {
    const data: unknown = JSON.parse(text);
    list = Array.isArray((data as { entries?: unknown })?.entries) ? (data as { entries: unknown[] }).entries : [];
  } catch {
    onCorrupt?.(
      l10n.t('The sent history file of an earlier version is not valid JSON; it was kept as {0}.', join(dir, 'history.migrated.json')),
    );
  }
  const entries = list.map(cleanEntry).filter((e): e is HistoryEntry => e !== undefined);
  await mkdir(join(index.dir, 'runs'), { recursive: true });
  const summaries: RunSummary[] = [];
  for (const entry of entries) summaries.push(await migrateEntry(entry, journalPath(entry.id)));
  await index.update((runs) => ({ runs: [...runs, ...summaries.filter((s) => !runs.some((r) => r.id === s.id))], result: undefined }));
  await rename(old, join(dir, 'history.migrated.json')).catch(() => undefined);
}

async function migrateEntry(entry: HistoryEntry, path: string): Promise<RunSummary> {
  const owner = currentOwner();
  const header = {
    id: entry.id,
    time: entry.time,
    kind: entry.kind,
    studyId: entry.studyId,
    body: entry.body,
    recipientCount: entry.recipientCount,
    owner,
    ...optional(entry),
  };
  const items = entry.outcomes.map((o) => (entry.bodies?.[o.id] !== undefined ? { id: o.id, body: entry.bodies[o.id] } : { id: o.id }));
  await rm(path, { force: true });
  const journal = await RunJournal.create(path, header, items);
  for (const o of entry.outcomes) {
    if (o.status === 'sent') await journal.sent([o.id]);
    else if (o.status === 'failed') await journal.failed([o.id], o.reason ?? '', o.retryable === true);
    else if (o.status === 'unknown') await journal.trying([o.id]);
  }
  await journal.end({ cancelled: entry.cancelled, ...(entry.kind === 'group' ? { counts: entry.counts } : {}) });
  const record = readJournal(await readFile(path, 'utf8'));
  if (!record) throw new Error(`Could not move the sent message ${entry.id} into the new history.`);
  return summaryOf(record);
}
