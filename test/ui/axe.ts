// axe-core inside a webview page, and the counts it finds per page and theme. The script goes in
// through the debugger protocol (Playwright's evaluate), as a person's assistive technology
// does not need to: the page's Content Security Policy allows only its own nonce script, and it
// stays as shipped. The summary is printed when the test file ends.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { ROOT } from '../harness/vscodeServer';

export type Impact = 'critical' | 'serious' | 'moderate' | 'minor';
export interface AxeFinding {
  rule: string;
  impact: Impact;
  help: string;
  targets: string[];
}

const AXE_SOURCE = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const IMPACTS: Impact[] = ['critical', 'serious', 'moderate', 'minor'];
/** The theme the workbench runs in (see test/run.mjs), for the summary. */
const THEME = process.env.PROLIFIC_UI_THEME ?? 'Dark Modern (default)';
const counts = new Map<string, { tally: Record<Impact, number>; rules: string[] }>();

/** Every axe-core violation in the page of `frame`, also recorded for the summary under `page`. */
export async function axeFindings(frame: Frame, page: string): Promise<AxeFinding[]> {
  // Strings, not functions: these run in the page, and the tests are compiled without the DOM's types.
  if (!(await frame.evaluate(`'axe' in window`))) await frame.evaluate(AXE_SOURCE);
  const findings = await frame.evaluate<AxeFinding[]>(`axe.run(document, { resultTypes: ['violations'] }).then((result) =>
    result.violations.map((v) => ({ rule: v.id, impact: v.impact || 'minor', help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) })))`);
  const tally: Record<Impact, number> = { critical: 0, serious: 0, moderate: 0, minor: 0 };
  for (const f of findings) tally[f.impact] += f.targets.length;
  counts.set(page, { tally, rules: findings.map((f) => `${f.rule} (${f.impact})`) });
  return findings;
}

/** Fails with each serious or critical finding named; lesser ones are counted, not failed. */
export function assertNoSerious(findings: AxeFinding[], page: string): void {
  const serious = findings.filter((f) => f.impact === 'serious' || f.impact === 'critical');
  const lines = serious.map((f) => `${f.impact} ${f.rule} (${f.help}): ${f.targets.join(', ')}`);
  if (lines.length) throw new Error(`axe-core on ${page}:\n  ${lines.join('\n  ')}`);
}

/** Prints the count of findings by impact for each page checked in this run. */
export function printAxeSummary(): void {
  console.log(`\n  axe-core findings (elements) by page, theme ${THEME}:`);
  for (const [page, { tally, rules }] of counts)
    console.log(
      `    ${page.padEnd(40)} ${IMPACTS.map((i) => `${tally[i]} ${i}`).join(', ')}${rules.length ? `: ${rules.join(', ')}` : ''}`,
    );
}
