// Entry point the extension host loads (extensionTestsPath). Same shape for both launchers:
// code-server (test/harness/integration.ts) and @vscode/test-electron (test/harness/desktop.ts).
import Mocha from 'mocha';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LayerResult } from '../harness/layerResult';

export async function run(): Promise<void> {
  // PROLIFIC_TEST_GREP narrows a run while working on one suite (npm test runs them all).
  const grep = process.env.PROLIFIC_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, reporter: 'spec', ...(grep ? { grep } : {}) });
  const files = readdirSync(__dirname).filter((f) => f.endsWith('.test.js'));
  if (files.length === 0) throw new Error(`No integration tests found in ${__dirname}`);
  for (const file of files) mocha.addFile(join(__dirname, file));

  const result: LayerResult = { passed: 0, failed: 0, failures: [] };
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', () => result.passed++);
    runner.on('fail', (test, error: Error) => {
      result.failed++;
      result.failures.push(`${test.fullTitle()}: ${error.message}`);
    });
  });
  if (process.env.PROLIFIC_TEST_RESULTS) writeFileSync(process.env.PROLIFIC_TEST_RESULTS, JSON.stringify(result));
  if (result.passed + result.failed === 0) throw new Error('The integration suite ran no tests');
  if (result.failed > 0) throw new Error(`${result.failed} integration test(s) failed`);
}
