// At startup: are there sends a window left unfinished when it died? One small file is read (the
// history's index), after activation has returned; the run files are read only if there are.
// This is in the activation bundle, so it reads the index itself instead of loading the history.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ownerIsGone, type RunOwner } from './runOwner';

/** The IDs of the runs left "running" by processes that are gone. */
export async function findInterruptedRuns(globalStorage: string): Promise<string[]> {
  try {
    const index = JSON.parse(await readFile(join(globalStorage, 'history', 'index.json'), 'utf8')) as { runs?: unknown };
    const runs = Array.isArray(index.runs) ? (index.runs as Partial<{ id: unknown; state: unknown; owner: Partial<RunOwner> }>[]) : [];
    return runs
      .filter(
        (r) => typeof r.id === 'string' && r.state === 'running' && typeof r.owner?.pid === 'number' && typeof r.owner.host === 'string',
      )
      .filter((r) => ownerIsGone(r.owner as RunOwner))
      .map((r) => r.id as string);
  } catch {
    return []; // no history yet; an unreadable index is reported when the history is first used
  }
}
