// At startup: are there sends a window left unfinished when it died? One small file is read (the
// history's index), after activation has returned; the run files are read only if there are.
import { join } from 'node:path';
import { HistoryIndex, isInterrupted } from './historyIndex';

/** The IDs of the runs left "running" by processes that are gone. */
export async function findInterruptedRuns(globalStorage: string): Promise<string[]> {
  try {
    return (await new HistoryIndex(join(globalStorage, 'history')).read()).filter(isInterrupted).map((r) => r.id);
  } catch {
    return []; // an unreadable index is reported when the history is first used
  }
}
