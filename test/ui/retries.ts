// The UI helpers' retries, counted. A helper may try a step once more when the workbench (not
// the extension) got in the way, and says so here; a step that needs a second retry fails its
// test, because that is a race a person would hit too. `npm test` prints the total per run.

export interface RetryLog {
  total: number;
  /** Retries by the helper that made them (fillField, runCommand, ...). */
  byHelper: Record<string, number>;
}

// One log for the process: esbuild bundles each test file with its own copy of this module.
const LOG_KEY = Symbol.for('prolific.ui.retries');
const log: RetryLog = ((globalThis as { [LOG_KEY]?: RetryLog })[LOG_KEY] ??= { total: 0, byHelper: {} });

/**
 * Runs `attempt` and, when it throws, once more after saying why. The second failure is the
 * test's failure.
 * @param helper the helper's name, for the counts
 * @param what the step, for the log line
 */
export async function withOneRetry<T>(helper: string, what: string, attempt: (tryNumber: 1 | 2) => Promise<T>): Promise<T> {
  try {
    return await attempt(1);
  } catch (error) {
    noteRetry(helper, `${what}: ${firstLine(error)}`);
    return attempt(2);
  }
}

/** Records (and prints) one retry. */
export function noteRetry(helper: string, why: string): void {
  log.total++;
  log.byHelper[helper] = (log.byHelper[helper] ?? 0) + 1;
  console.log(`      retry ${log.total} (${helper}): ${why}`);
}

/** The retries of this process so far. */
export function retryLog(): RetryLog {
  return { total: log.total, byHelper: { ...log.byHelper } };
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0] ?? '';
}
