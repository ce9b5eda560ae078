// Who is sending a run: a process on a host. A run left "running" by a process that is gone was
// interrupted. Kept apart (Node only, nothing else) because activation's interrupted-send check
// needs only this, and what activation loads it pays for.
import { hostname } from 'node:os';

/** Who wrote a journal: a process on a host. Dead owner + no end line = an interrupted run. */
export interface RunOwner {
  pid: number;
  host: string;
}

/** This process, as the owner of the runs it sends. */
export function currentOwner(): RunOwner {
  return { pid: process.pid, host: hostname() };
}

/** Whether the process that owns a run is gone: then a run it left "running" was interrupted. */
export function ownerIsGone(owner: RunOwner): boolean {
  if (owner.host !== hostname()) return false; // another machine's: cannot tell, so not claimed
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
