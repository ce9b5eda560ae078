// `npm test`: builds, type-checks, then runs the three layers and prints their counts.
//   node test/run.mjs [unit] [integration] [ui]     (default: all three)
//   PROLIFIC_TEST_GREP=<pattern> runs only the tests whose full title matches.
//   The UI layer runs once per variant below (theme, display language); PROLIFIC_UI_VARIANT=<regex
//   on the variant's name> runs only the matching ones.
// A layer that finds no tests fails the run.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
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
// Each variant is a whole UI run in its own process: the workbench reads these when it loads.
const UI_VARIANTS = [
  { name: 'ui', env: {} },
  { name: 'ui (light theme, pseudo-locale)', env: { PROLIFIC_UI_THEME: 'Light Modern', PROLIFIC_UI_LOCALE: 'qps-ploc' } },
  { name: 'ui (high contrast)', env: { PROLIFIC_UI_THEME: 'Default High Contrast' } },
];

function runUiVariant(variant, index) {
  const resultFile = join(tmpdir(), `prolific-ui-${process.pid}-${index}.json`);
  const layer = join(root, 'out/test/harness/mochaLayer.js');
  const options = { timeout: 120_000, ...grep };
  const script = `require(${JSON.stringify(layer)}).runMochaLayer(${JSON.stringify(join(root, 'out/test/ui'))}, ${JSON.stringify(options)})
    .then((r) => require('node:fs').writeFileSync(${JSON.stringify(resultFile)}, JSON.stringify(r)))`;
  // These come from the variant only, never from the caller's shell, so 'ui' is the default look.
  const env = { ...process.env };
  delete env.PROLIFIC_UI_THEME;
  delete env.PROLIFIC_UI_LOCALE;
  Object.assign(env, variant.env);
  const run = spawnSync(process.execPath, ['-e', script], { cwd: root, stdio: 'inherit', env });
  try {
    if (existsSync(resultFile)) return JSON.parse(readFileSync(resultFile, 'utf8'));
    return { passed: 0, failed: 1, failures: [`${variant.name}: the run ended without a result (exit ${run.status})`] };
  } finally {
    rmSync(resultFile, { force: true });
  }
}

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
    const only = process.env.PROLIFIC_UI_VARIANT ? new RegExp(process.env.PROLIFIC_UI_VARIANT) : undefined;
    const variants = UI_VARIANTS.filter((v) => !only || only.test(v.name));
    if (variants.length === 0) results[layer] = { passed: 0, failed: 0, failures: [] };
    for (const [index, variant] of variants.entries()) {
      const variantStarted = Date.now();
      console.log(`\n== ${variant.name} tests`);
      results[variant.name] = runUiVariant(variant, index);
      results[variant.name].seconds = Math.round((Date.now() - variantStarted) / 1000);
    }
    continue;
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
  console.log(`${layer.padEnd(32)} ${r.passed} passed, ${r.failed} failed (${r.seconds} s)${empty ? '  <- ran no tests: counted as a failure' : ''}`);
  for (const f of r.failures) console.log(`  ✗ ${f}`);
  passed += r.passed;
  failed += r.failed + (empty ? 1 : 0);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
