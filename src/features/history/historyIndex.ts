// The sent history's index: one small file listing every run with what the Sent view shows, so
// listing the history never reads the runs themselves (each run is a journal of its own, see
// runJournal.ts). Windows of one VS Code profile share it: every change is made under a lock
// (a directory, which only one process can create), read afresh, changed and written whole to a
// temporary file renamed over the old one. Adding a run costs the same whatever the history
// holds. Plain Node: no vscode.
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import { isCount, isRecord } from '../../shared/guards';
import type { RunCounts } from '../../shared/outcomes';
import { retryableFor } from './historyEntry';
import { currentOwner, ownerIsGone } from './runOwner';
import { countsOf, outcomesOf, readJournal, type RunKind, type RunOwner, type RunRecord } from './runJournal';

/** What the Sent view shows of a run, and what finding it again needs. */
export interface RunSummary {
  id: string;
  /** ISO 8601. */
  time: string;
  kind: RunKind;
  studyId: string | null;
  /** The first 500 characters of the message (the template, for a personalized send). */
  bodyPreview: string;
  recipientCount: number;
  /** One participant's send: who. */
  recipient?: string;
  groupName?: string;
  source?: string;
  /** A broadcast: its ID (for its reply count) and subject. */
  broadcast?: { id: string; subject: string };
  /** Identifies "this same text in this study", for the already-messaged check. */
  textKey: string;
  counts: RunCounts;
  cancelled: boolean;
  /** Participants "Retry Failed" may send to. */
  retryable: number;
  /** Finished, or still being sent by `owner` (if that process is gone, the run was interrupted). */
  state: 'running' | 'done';
  owner: RunOwner;
}

export interface IndexFile {
  version: 2;
  /** Newest first. */
  runs: RunSummary[];
}

const LOCK_STALE_MS = 10_000;
const LOCK_WAIT_MS = 15_000;

export class HistoryIndex {
  readonly file: string;
  private readonly lock: string;

  constructor(readonly dir: string) {
    this.file = join(dir, 'index.json');
    this.lock = join(dir, 'index.lock');
  }

  /** The runs, newest first; an absent index is an empty history. */
  async read(): Promise<RunSummary[]> {
    return (await this.readFile()).runs;
  }

  /** The index file's modification time, or -1: another window's change moves it. */
  async stamp(): Promise<number> {
    return stat(this.file).then(
      (s) => s.mtimeMs,
      () => -1,
    );
  }

  /** Changes the index under the lock; `change` gets the runs as they are now and returns the new list. */
  async update<T>(change: (runs: RunSummary[]) => { runs: RunSummary[]; result: T }): Promise<T> {
    await mkdir(this.dir, { recursive: true });
    await this.acquire();
    try {
      const { runs, result } = change((await this.readFile()).runs);
      const temp = `${this.file}.${randomUUID()}.tmp`;
      await writeFile(temp, JSON.stringify({ version: 2, runs } satisfies IndexFile));
      await rename(temp, this.file);
      return result;
    } finally {
      await rm(this.lock, { recursive: true, force: true });
    }
  }

  private async readFile(): Promise<IndexFile> {
    const text = await readFile(this.file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    try {
      return parseIndex(text);
    } catch {
      // The runs are the record; the index only lists them: it is made again from them.
      return { version: 2, runs: await this.rebuild() };
    }
  }

  /** The index as the run files say it should be, newest first. */
  private async rebuild(): Promise<RunSummary[]> {
    const dir = join(this.dir, 'runs');
    const names = await readdir(dir).catch(() => [] as string[]);
    const runs: RunSummary[] = [];
    for (const name of names.filter((n) => n.endsWith('.jsonl'))) {
      const record = readJournal(await readFile(join(dir, name), 'utf8').catch(() => ''));
      if (record) runs.push(summaryOf(record));
    }
    return runs.sort((a, b) => b.time.localeCompare(a.time));
  }

  /** Waits for the lock; one left by a process that died is taken over once it is stale. */
  private async acquire(): Promise<void> {
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
      try {
        await mkdir(this.lock);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const age = await stat(this.lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > LOCK_STALE_MS) await rm(this.lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`The sent history is locked by another window (${this.lock}).`);
      else await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/** What the index says of a run, from its journal. */
export function summaryOf(record: RunRecord): RunSummary {
  const { header } = record;
  const outcomes = outcomesOf(record);
  const owner = record.resumes.at(-1)?.owner ?? header.owner;
  return {
    id: header.id,
    time: header.time,
    kind: header.kind,
    studyId: header.studyId,
    bodyPreview: header.body.slice(0, 500),
    recipientCount: header.recipientCount,
    ...(header.kind === 'single' && record.plan.length === 1 ? { recipient: record.plan[0].id } : {}),
    ...(header.source !== undefined ? { source: header.source } : {}),
    ...(header.groupName !== undefined ? { groupName: header.groupName } : {}),
    ...(header.broadcast ? { broadcast: { id: header.broadcast.id, subject: header.broadcast.subject } } : {}),
    textKey: textKey(header.studyId, header.body),
    counts: countsOf(record),
    cancelled: record.end?.cancelled === true,
    retryable: retryableFor(header.kind, outcomes).length,
    state: record.end ? 'done' : 'running',
    owner,
  };
}

/** "This same text in this study": the key runs are matched by for the already-messaged check. */
export function textKey(studyId: string | null, body: string): string {
  return createHash('sha256')
    .update(`${studyId ?? ''}\n${body.trim().replace(/\s+/g, ' ')}`)
    .digest('hex')
    .slice(0, 24);
}

/** A run left running by a process that is gone. */
export function isInterrupted(run: RunSummary): boolean {
  return run.state === 'running' && ownerIsGone(run.owner);
}

/** Reads the index; entries that are not readable are left out. */
export function parseIndex(text: string): IndexFile {
  if (!text.trim()) return { version: 2, runs: [] };
  const json: unknown = JSON.parse(text);
  const runs = isRecord(json) && Array.isArray(json.runs) ? json.runs.filter(isSummary) : [];
  return { version: 2, runs };
}

function isSummary(value: unknown): value is RunSummary {
  if (!isRecord(value) || !isRecord(value.counts) || !isRecord(value.owner)) return false;
  const { counts, owner } = value;
  return (
    typeof value.id === 'string' &&
    typeof value.time === 'string' &&
    typeof value.kind === 'string' &&
    typeof value.bodyPreview === 'string' &&
    typeof value.textKey === 'string' &&
    isCount(value.recipientCount) &&
    isCount(value.retryable) &&
    (value.state === 'running' || value.state === 'done') &&
    isCount(counts.sent) &&
    isCount(counts.failed) &&
    isCount(counts.skipped) &&
    isCount(counts.unknown) &&
    typeof owner.pid === 'number' &&
    typeof owner.host === 'string'
  );
}

export { currentOwner, ownerIsGone };
