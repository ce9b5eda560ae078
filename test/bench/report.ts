// Printing for `npm run bench`: sections, plain figures, and checks against a budget that
// print PASS or FAIL. A benchmark that throws becomes a FAIL line and the run goes on. A figure
// that prints as NaN or Infinity (a timing of 0, a count that never came) is NOT MEASURED: like a
// crash, that is an error, which --quick reports through its exit code (see run.ts).

export interface Check {
  name: string;
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

/** A figure and its budget; `pass` says whether the figure is within it. */
export function check(name: string, figure: string, budget: string, pass: boolean): void {
  const error = /NaN|Infinity/.test(figure);
  checks.push({ name, pass: pass && !error, error });
  console.log(`  ${name.padEnd(50)} ${figure.padEnd(24)} budget ${budget.padEnd(22)} ${error ? 'NOT MEASURED' : pass ? 'PASS' : 'FAIL'}`);
}

/** A benchmark that could not run counts as a failure. */
export function crashed(name: string, error: unknown): void {
  checks.push({ name, pass: false, error: true });
  console.log(
    `  ${name}: FAIL (did not run)\n    ${String((error as Error)?.stack ?? error)
      .split('\n')
      .join('\n    ')}`,
  );
}

/** Prints the summary; returns the checks that failed, and those of them that are errors. */
export function summary(): { failed: Check[]; errors: Check[] } {
  const failed = checks.filter((c) => !c.pass);
  const errors = checks.filter((c) => c.error);
  const over = failed.filter((c) => !c.error);
  console.log(
    `\n== summary\n  ${checks.length - failed.length} of ${checks.length} within budget${over.length ? `; over budget: ${over.map((c) => c.name).join(', ')}` : ''}`,
  );
  if (errors.length) console.log(`  errors (did not run, or not measured): ${errors.map((c) => c.name).join(', ')}`);
  return { failed, errors };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const ms = (value: number): string => `${value.toFixed(value < 10 ? 2 : 1)} ms`;
export const ratio = (value: number): string => `${value.toFixed(2)}×`;
export const bytes = (value: number): string => `${value.toLocaleString('en-US')} B`;
export const mb = (value: number): string => `${(value / 1e6).toFixed(1)} MB`;
