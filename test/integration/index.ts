// Entry point the extension host loads (extensionTestsPath). Same shape for both launchers:
// code-server (test/harness/integration.ts) and @vscode/test-electron (test/harness/desktop.ts).
import { writeFileSync } from 'node:fs';
import { runMochaLayer } from '../harness/mochaLayer';

export async function run(): Promise<void> {
  // PROLIFIC_TEST_GREP narrows a run while working on one suite (npm test runs them all).
  const grep = process.env.PROLIFIC_TEST_GREP;
  const result = await runMochaLayer(__dirname, { color: false, timeout: 30_000, ...(grep ? { grep } : {}) });
  if (process.env.PROLIFIC_TEST_RESULTS) writeFileSync(process.env.PROLIFIC_TEST_RESULTS, JSON.stringify(result));
  if (result.passed + result.failed === 0) throw new Error(`The integration suite ran no tests in ${__dirname}`);
  if (result.failed > 0) throw new Error(`${result.failed} integration test(s) failed`);
}
