// Printing for `npm run bench`: sections, plain figures, and checks against a budget that
// print PASS or FAIL. A benchmark that throws becomes a FAIL line and the run goes on.

export interface Check {
  name: string;
  pass: boolean;
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
  checks.push({ name, pass });
  console.log(`  ${name.padEnd(50)} ${figure.padEnd(24)} budget ${budget.padEnd(22)} ${pass ? 'PASS' : 'FAIL'}`);
}

/** A benchmark that could not run counts as a failure. */
export function crashed(name: string, error: unknown): void {
  checks.push({ name, pass: false });
  console.log(`  ${name}: FAIL (did not run)\n    ${String((error as Error)?.stack ?? error).split('\n').join('\n    ')}`);
}

export function summary(): boolean {
  const failed = checks.filter((c) => !c.pass);
  console.log(`\n== summary\n  ${checks.length - failed.length} of ${checks.length} within budget${failed.length ? `; over budget: ${failed.map((c) => c.name).join(', ')}` : ''}`);
  return failed.length === 0;
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
