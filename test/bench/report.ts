// Printing for `npm run bench`: sections, plain figures, and checks against a budget that print
// PASS or FAIL. Two kinds of check:
//  - exact: a count or a size that does not depend on how busy the machine is (duplicate sends,
//    requests, secret reads, files written or features.js loaded during activation, the .vsix
//    size, zod/mini only). Its failure fails every run, --quick included, so it fails CI.
//  - measured: a ratio of timings (or of memory) that a busy machine can push over its budget.
//    Its failure fails the full run only; in --quick it is printed but advisory.
// A benchmark that throws becomes an error, and so does a figure that prints as NaN or Infinity
// (NOT MEASURED: a timing of 0, a count that never came): errors fail every run too.

export type CheckKind = 'exact' | 'measured';

export interface Check {
  name: string;
  kind: CheckKind;
  pass: boolean;
  /** The benchmark crashed or the figure could not be measured. */
  error: boolean;
}

const checks: Check[] = [];

export function section(title: string): void {
  console.log(`\n== ${title}`);
}

export function info(label: string, value: string): void {
  console.log(`  ${label.padEnd(50)} ${value}`);
}

function record(name: string, kind: CheckKind, figure: string, budget: string, pass: boolean): void {
  const error = /NaN|Infinity/.test(figure);
  checks.push({ name, kind, pass: pass && !error, error });
  const verdict = error ? 'NOT MEASURED' : pass ? 'PASS' : 'FAIL';
  console.log(`  ${name.padEnd(50)} ${figure.padEnd(24)} budget ${`${budget}${kind === 'exact' ? ' (exact)' : ''}`.padEnd(22)} ${verdict}`);
}

/** An exact check (a count or a size): its failure fails --quick too. */
export function exact(name: string, figure: string, budget: string, pass: boolean): void {
  record(name, 'exact', figure, budget, pass);
}

/** A measured ratio against its budget: its failure fails the full run, and is advisory in --quick. */
export function measured(name: string, figure: string, budget: string, pass: boolean): void {
  record(name, 'measured', figure, budget, pass);
}

/** A benchmark that could not run counts as an error. */
export function crashed(name: string, error: unknown): void {
  checks.push({ name, kind: 'exact', pass: false, error: true });
  console.log(
    `  ${name}: FAIL (did not run)\n    ${String((error as Error)?.stack ?? error)
      .split('\n')
      .join('\n    ')}`,
  );
}

/**
 * The run's exit code: 1 when a check is an error or an exact check failed; in the full run also
 * when a measured figure is over its budget.
 */
export function exitCode(all: readonly Check[], quick: boolean): 0 | 1 {
  return all.some((c) => c.error || (!c.pass && (c.kind === 'exact' || !quick))) ? 1 : 0;
}

/** Prints the summary and the exit code with its reason; returns the exit code. */
export function summary(quick: boolean): 0 | 1 {
  const errors = checks.filter((c) => c.error);
  const exactFailed = checks.filter((c) => !c.error && !c.pass && c.kind === 'exact');
  const over = checks.filter((c) => !c.error && !c.pass && c.kind === 'measured');
  const passed = checks.filter((c) => c.pass).length;
  console.log(
    `\n== summary\n  ${passed} of ${checks.length} within budget (${checks.filter((c) => c.kind === 'exact').length} exact checks, ${checks.filter((c) => c.kind === 'measured').length} measured)`,
  );
  if (exactFailed.length) console.log(`  exact checks failed: ${exactFailed.map((c) => c.name).join(', ')}`);
  if (over.length)
    console.log(`  measured figures over budget${quick ? ' (advisory in --quick)' : ''}: ${over.map((c) => c.name).join(', ')}`);
  if (errors.length) console.log(`  errors (did not run, or not measured): ${errors.map((c) => c.name).join(', ')}`);
  const code = exitCode(checks, quick);
  const failing = quick ? 'an exact check failed or a benchmark did not run' : 'a check failed or a benchmark did not run';
  console.log(
    `  ${quick ? '--quick' : 'full run'}: exits ${code}${code ? ` (${failing})` : ''}; ${quick ? 'exact checks and errors fail it, measured figures over budget do not' : 'every check over budget fails it'}.`,
  );
  return code;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return NaN;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** "median M (min A, max B, n = N)", each value printed with `format`. */
export function spread(values: readonly number[], format: (value: number) => string): string {
  if (values.length === 0) return 'no samples (NaN)';
  return `median ${format(median(values))} (min ${format(Math.min(...values))}, max ${format(Math.max(...values))}, n = ${values.length})`;
}

export const ms = (value: number): string => `${value.toFixed(value < 10 ? 2 : 1)} ms`;
export const ratio = (value: number): string => `${value.toFixed(2)}×`;
export const bytes = (value: number): string => `${value.toLocaleString('en-US')} B`;
export const mb = (value: number): string => `${(value / 1e6).toFixed(1)} MB`;
