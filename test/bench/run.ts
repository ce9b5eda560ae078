// `npm run bench`: measures what the extension costs against what it could cost (an empty
// extension, a trivial webview, the ideal send rate, a bare regular expression) and checks each
// ratio against its budget. Exits 1 when any figure is over budget. See BENCHMARKS.md.
//   node out/test/bench/run.js [--quick] [--only activation,size,compose,throughput,scan]
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
  console.log(`npm run bench${quick ? ' -- --quick' : ''}: ${cpus().length} CPUs (${cpus()[0]?.model.trim()}), load ${load.toFixed(1)} before starting`);
  for (const [key, title, run] of benchmarks) {
    if (only && !only.includes(key)) continue;
    section(title);
    await run(quick).catch((error: unknown) => crashed(key, error));
  }
  // Other work on the machine takes CPU time from what is timed: the ratios then mean little.
  if (load > cpus().length / 2) console.log(`\n  WARNING: the machine was busy before the run (load ${load.toFixed(1)} on ${cpus().length} CPUs): timings are unreliable; run again when it is idle.`);
  process.exit(summary() ? 0 : 1);
}

void main();
