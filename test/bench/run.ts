// `npm run bench`: measures what the extension costs against what it could cost (an empty
// extension, a trivial webview, the ideal send rate, a bare regular expression) and checks each
// ratio against its budget. Exits 1 when any figure is over budget. See BENCHMARKS.md.
//   node out/test/bench/run.js [--quick] [--only activation,size,compose,throughput,scan]
//
// --quick is the smoke run CI does after `npm test` (.ci/run): smaller inputs and fewer rounds,
// every figure and budget printed as usual, but it exits 1 only on errors (a benchmark that
// crashed, a figure that could not be measured), not because a figure is over its budget: a
// shared CI machine's timings are too noisy to fail a build on, while a benchmark that no longer
// runs must not go unnoticed. The budgets are judged by the full run, on an idle machine.
import { cpus, loadavg } from 'node:os';
import { benchActivation } from './activation';
import { benchCompose } from './compose';
import { crashed, section, summary } from './report';
import { benchScan } from './scan';
import { benchSize } from './size';
import { benchThroughput } from './throughput';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? (args[onlyAt + 1] ?? '').split(',') : undefined;

const benchmarks: [key: string, title: string, run: (quick: boolean) => Promise<void>][] = [
  ['activation', 'activation (extension host)', benchActivation],
  ['size', 'size', benchSize],
  ['compose', 'opening the compose form (workbench)', benchCompose],
  ['throughput', 'personalized send throughput', benchThroughput],
  ['scan', 'participant ID scanning', benchScan],
];

async function main(): Promise<void> {
  const load = loadavg()[0];
  console.log(
    `npm run bench${quick ? ' -- --quick' : ''}: ${cpus().length} CPUs (${cpus()[0]?.model.trim()}), load ${load.toFixed(1)} before starting`,
  );
  for (const [key, title, run] of benchmarks) {
    if (only && !only.includes(key)) continue;
    section(title);
    await run(quick).catch((error: unknown) => crashed(key, error));
  }
  // Other work on the machine takes CPU time from what is timed: the ratios then mean little.
  if (load > cpus().length / 2)
    console.log(
      `\n  WARNING: the machine was busy before the run (load ${load.toFixed(1)} on ${cpus().length} CPUs): timings are unreliable; run again when it is idle.`,
    );
  const { failed, errors } = summary();
  if (quick) console.log(`  --quick: exits ${errors.length ? 1 : 0}; only errors fail it, not budgets.`);
  process.exit((quick ? errors : failed).length ? 1 : 0);
}

void main();
