// `npm test`: builds, type-checks, then runs the three layers and prints their counts.
//   node test/run.mjs [unit] [integration] [ui]     (default: all three)
//   PROLIFIC_TEST_GREP=<pattern> runs only the tests whose full title matches.
// A layer that finds no tests fails the run.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '..');
const layers = process.argv.slice(2).length ? process.argv.slice(2) : ['unit', 'integration', 'ui'];

function step(title, command, args) {
  console.log(`\n== ${title}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`\n${title} failed.`);
    process.exit(1);
  }
}

step('build', process.execPath, ['esbuild.mjs', '--tests']);
step('lint', process.execPath, ['node_modules/eslint/bin/eslint.js', '.']);
step('type-check', process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json']);
step('type-check (webview)', process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.webview.json']);

const { runMochaLayer } = require(join(root, 'out/test/harness/mochaLayer.js'));
// PROLIFIC_TEST_GREP narrows every layer to the tests whose full title matches it.
const grep = process.env.PROLIFIC_TEST_GREP ? { grep: process.env.PROLIFIC_TEST_GREP } : {};
const results = {};
for (const layer of layers) {
  console.log(`\n== ${layer} tests`);
  const started = Date.now();
  if (layer === 'unit') results[layer] = await runMochaLayer(join(root, 'out/test/unit'), { timeout: 10_000, ...grep });
  else if (layer === 'integration') {
    const { runIntegrationLayer } = require(join(root, 'out/test/harness/integration.js'));
    results[layer] = await runIntegrationLayer().catch((error) => ({ passed: 0, failed: 1, failures: [String(error?.stack ?? error)] }));
  } else if (layer === 'ui') {
    step('package the .vsix for the UI tests', 'npm', ['run', '--silent', 'package']);
    results[layer] = await runMochaLayer(join(root, 'out/test/ui'), { timeout: 120_000, ...grep });
  } else {
    console.error(`Unknown layer "${layer}"`);
    process.exit(2);
  }
  results[layer].seconds = Math.round((Date.now() - started) / 1000);
}

console.log('\n== summary');
let passed = 0;
let failed = 0;
for (const [layer, r] of Object.entries(results)) {
  const empty = r.passed + r.failed === 0;
  console.log(`${layer.padEnd(12)} ${r.passed} passed, ${r.failed} failed (${r.seconds} s)${empty ? '  <- ran no tests: counted as a failure' : ''}`);
  for (const f of r.failures) console.log(`  ✗ ${f}`);
  passed += r.passed;
  failed += r.failed + (empty ? 1 : 0);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
