// `npm run bench`: measures what the extension costs against what the same kind of thing costs at
// the least (an empty extension, a scripted trivial webview, the ideal send rate for the latency
// and the rate limit, a plain RegExp.exec loop) and checks each figure against its budget. See
// BENCHMARKS.md.
//   node out/test/bench/run.js [--quick] [--only activation,size,compose,throughput,scan,history,audience]
//                              [--inject-failure exact|measured]
//
// Exit code (report.ts): an exact check that fails (duplicate sends; requests, secret reads,
// files written or features.js loaded during activation; the .vsix size; zod/mini only) or a
// benchmark that crashed or measured nothing fails every run, --quick included, so CI fails on
// it. A measured figure over its budget (a timing or memory ratio) fails the full run only:
// --quick, the smoke run CI does after `npm test` (.ci/run), uses smaller inputs and fewer rounds
// on a shared machine whose timings are too noisy to fail a build on.
//
// --inject-failure adds one failing check of that kind, in a section of its own, so that a test
// (test/unit/bench.test.ts) can prove through this very entry that the exit code follows it.
import { cpus, loadavg } from 'node:os';
import { benchActivation } from './activation';
import { benchAudience } from './audience';
import { benchCompose } from './compose';
import { benchHistory } from './history';
import { crashed, exact, info, measured, section, summary } from './report';
import { benchScan } from './scan';
import { benchSize } from './size';
import { benchThroughput } from './throughput';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const valueOf = (flag: string) => (args.includes(flag) ? (args[args.indexOf(flag) + 1] ?? '') : undefined);
const only = valueOf('--only')?.split(',');
const inject = valueOf('--inject-failure');

const benchmarks: [key: string, title: string, run: (quick: boolean) => Promise<void>][] = [
  ['activation', 'activation (extension host)', benchActivation],
  ['size', 'size', benchSize],
  ['compose', 'opening the compose form (workbench)', benchCompose],
  ['throughput', 'personalized send throughput', benchThroughput],
  ['scan', 'participant ID scanning', benchScan],
  ['history', 'sent history and run journal', benchHistory],
  ['audience', 'audience file evaluation', benchAudience],
];

async function main(): Promise<void> {
  if (inject !== undefined && inject !== 'exact' && inject !== 'measured')
    throw new Error(`--inject-failure takes exact or measured, not "${inject}"`);
  const load = loadavg();
  console.log(
    `npm run bench${quick ? ' -- --quick' : ''}: ${cpus().length} CPUs (${cpus()[0]?.model.trim()}), load average ${load.map((l) => l.toFixed(2)).join(' ')} (1, 5, 15 min) before starting`,
  );
  const started = performance.now();
  for (const [key, title, run] of benchmarks) {
    if (only && !only.includes(key)) continue;
    section(title);
    const t0 = performance.now();
    const loadBefore = loadavg()[0];
    await run(quick).catch((error: unknown) => crashed(key, error));
    info(
      '(this benchmark took)',
      `${((performance.now() - t0) / 1000).toFixed(0)} s; 1-minute load average before / after: ${loadBefore.toFixed(2)} / ${loadavg()[0].toFixed(2)}`,
    );
  }
  if (inject) {
    section(`injected failure (--inject-failure ${inject})`);
    (inject === 'exact' ? exact : measured)(`an injected ${inject} check`, '1', '0', false);
  }
  console.log(
    `\n  whole run: ${((performance.now() - started) / 1000).toFixed(0)} s; load average after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  // Other work on the machine takes CPU time from what is timed: the ratios then mean little.
  if (load[0] > cpus().length / 2)
    console.log(
      `  WARNING: the machine was busy before the run (load ${load[0].toFixed(2)} on ${cpus().length} CPUs): timings are unreliable; run again when it is idle.`,
    );
  process.exit(summary(quick));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
