// `npm test`: builds, type-checks, then runs the layers and prints their counts.
//   node test/run.mjs [unit] [fake] [repo] [integration] [ui]     (default: all five)
//   unit: pure logic in Node. fake: the API client and the send engine against the fake Prolific
//   server on loopback. repo: checks of the repository itself (README, CHANGELOG, l10n, looks, the
//   house plan, the runner). integration: inside a real VS Code extension host. ui: a real VS Code
//   driven in headless Chromium.
//   PROLIFIC_TEST_GREP=<pattern> runs only the tests whose full title matches.
//   The UI layer runs every test in the default variant (dark theme, English), then again only
//   the files that depend on the theme or display language in each other variant below;
//   PROLIFIC_UI_VARIANT=<regex on the variant's name> runs only the matching ones.
// A run fails when a test fails, when a layer or variant ends with a failing exit status (also
// after writing its results), and when a layer runs fewer tests than test/minimum-tests.json
// says it has (not checked while PROLIFIC_TEST_GREP narrows the run).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '..');
const layers = process.argv.slice(2).length ? process.argv.slice(2) : ['unit', 'fake', 'repo', 'integration', 'ui'];
/** The layers that run in plain Node, each a folder of out/test/. */
const NODE_LAYERS = ['unit', 'fake', 'repo'];
const narrowed = Boolean(process.env.PROLIFIC_TEST_GREP);
const minimum = JSON.parse(readFileSync(join(root, 'test', 'minimum-tests.json'), 'utf8'));

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
step('format', process.execPath, ['node_modules/prettier/bin/prettier.cjs', '--check', '.']);
step('type-check', process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json']);
step('type-check (webview)', process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.webview.json']);
// Once, before any suite needs it: a failed install stops the run here, with its own output.
if (layers.some((layer) => !NODE_LAYERS.includes(layer)))
  step('VS Code for the integration and UI layers (.cache/vscode)', 'bash', ['test/harness/install-vscode.sh']);

const { runMochaLayer } = require(join(root, 'out/test/harness/mochaLayer.js'));
// PROLIFIC_TEST_GREP narrows every layer to the tests whose full title matches it.
const grep = narrowed ? { grep: process.env.PROLIFIC_TEST_GREP } : {};
// Each variant is a whole UI run in its own process: the workbench reads `env` when it loads.
// The other variants run only the files whose outcome a theme or a display language can change:
// looks (colours, icons, focus, every page and view), access (axe-core's checks of the pages,
// contrast included), keyboard (a whole send without the mouse: focus and its outline), accounts
// (status bar, walkthrough and menu texts from package.nls and the l10n bundle). The rest find
// our strings through t() in every locale, so running them three times would prove the same
// flows again at three times the cost.
const THEMED = ['looks', 'access', 'keyboard', 'accounts'];
const UI_VARIANTS = [
  { name: 'ui', env: {}, minimum: 'ui' },
  {
    name: 'ui (light theme, pseudo-locale)',
    env: { PROLIFIC_UI_THEME: 'Light Modern', PROLIFIC_UI_LOCALE: 'qps-ploc' },
    files: THEMED,
    minimum: 'ui (themed)',
  },
  { name: 'ui (high contrast)', env: { PROLIFIC_UI_THEME: 'Default High Contrast' }, files: THEMED, minimum: 'ui (themed)' },
];

/** Adds a failure to a layer's result. */
function fail(result, message) {
  result.failed++;
  result.failures.push(message);
  return result;
}

function runUiVariant(variant, index) {
  const resultFile = join(tmpdir(), `prolific-ui-${process.pid}-${index}.json`);
  const out = (path) => JSON.stringify(join(root, 'out', 'test', path));
  const options = { timeout: 120_000, ...grep };
  // The child's exit status says whether it failed, whatever its results file says.
  const script = `require(${out('harness/mochaLayer.js')}).runMochaLayer(${out('ui')}, ${JSON.stringify(options)}, ${JSON.stringify(variant.files)})
    .then((r) => {
      r.retries = require(${out('ui/retries.js')}).retryLog();
      require('node:fs').writeFileSync(${JSON.stringify(resultFile)}, JSON.stringify(r));
      process.exitCode = r.failed > 0 ? 1 : 0;
    })`;
  // These come from the variant only, never from the caller's shell, so 'ui' is the default look.
  const env = { ...process.env };
  delete env.PROLIFIC_UI_THEME;
  delete env.PROLIFIC_UI_LOCALE;
  Object.assign(env, variant.env);
  const run = spawnSync(process.execPath, ['-e', script], { cwd: root, stdio: 'inherit', env });
  try {
    const exit = run.status ?? run.signal;
    if (!existsSync(resultFile))
      return fail({ passed: 0, failed: 0, failures: [] }, `${variant.name}: the run ended without a result (exit ${exit})`);
    const result = JSON.parse(readFileSync(resultFile, 'utf8'));
    if (run.status !== 0 && result.failed === 0)
      fail(result, `${variant.name}: the run exited with ${exit} after its results were written`);
    return result;
  } finally {
    rmSync(resultFile, { force: true });
  }
}

async function runLayer(layer) {
  if (NODE_LAYERS.includes(layer)) return runMochaLayer(join(root, 'out/test', layer), { timeout: 10_000, ...grep });
  if (layer === 'integration') {
    const { runIntegrationLayer } = require(join(root, 'out/test/harness/integration.js'));
    return runIntegrationLayer().catch((error) => fail({ passed: 0, failed: 0, failures: [] }, String(error?.stack ?? error)));
  }
  console.error(`Unknown layer "${layer}"`);
  process.exit(2);
}

const results = {};
for (const layer of layers) {
  if (layer === 'ui') {
    step('package the .vsix for the UI tests', 'npm', ['run', '--silent', 'package']);
    const only = process.env.PROLIFIC_UI_VARIANT ? new RegExp(process.env.PROLIFIC_UI_VARIANT) : undefined;
    const variants = UI_VARIANTS.filter((v) => !only || only.test(v.name));
    if (variants.length === 0) results[layer] = { passed: 0, failed: 0, failures: [], minimum: 1 };
    for (const [index, variant] of variants.entries()) {
      const started = Date.now();
      console.log(`\n== ${variant.name} tests`);
      results[variant.name] = {
        ...runUiVariant(variant, index),
        minimum: minimum[variant.minimum],
        seconds: Math.round((Date.now() - started) / 1000),
      };
    }
    continue;
  }
  console.log(`\n== ${layer} tests`);
  const started = Date.now();
  results[layer] = { ...(await runLayer(layer)), minimum: minimum[layer], seconds: Math.round((Date.now() - started) / 1000) };
}

console.log('\n== summary');
let passed = 0;
let failed = 0;
let retries = 0;
for (const [layer, r] of Object.entries(results)) {
  const ran = r.passed + r.failed;
  const short = ran === 0 || (!narrowed && ran < r.minimum);
  const why = ran === 0 ? 'ran no tests' : `ran ${ran} tests, fewer than the ${r.minimum} of test/minimum-tests.json`;
  const retried = r.retries
    ? `, ${r.retries.total} UI helper ${r.retries.total === 1 ? 'retry' : 'retries'}${
        r.retries.total
          ? ` (${Object.entries(r.retries.byHelper)
              .map(([h, n]) => `${h} ${n}`)
              .join(', ')})`
          : ''
      }`
    : '';
  console.log(
    `${layer.padEnd(32)} ${r.passed} passed, ${r.failed} failed (${r.seconds} s)${retried}${short ? `  <- ${why}: counted as a failure` : ''}`,
  );
  for (const f of r.failures) console.log(`  ✗ ${f}`);
  passed += r.passed;
  failed += r.failed + (short ? 1 : 0);
  retries += r.retries?.total ?? 0;
}
console.log(
  `${passed} passed, ${failed} failed${layers.includes('ui') ? `; the UI helpers retried ${retries} ${retries === 1 ? 'step' : 'steps'} once` : ''}`,
);
process.exit(failed > 0 ? 1 : 0);
