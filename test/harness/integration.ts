// Runs the integration suite inside a real VS Code extension host (code-server's VS Code
// server), with the workbench in headless Chromium, against the fake Prolific API.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { chromium } from 'playwright-core';
import { startFakeProlific } from '../fake-prolific/server';
import { makeIntegrationWorkspace } from './integrationWorkspace';
import type { LayerResult } from './layerResult';
import { makeTempDir } from './processes';
import { CHROMIUM, CHROMIUM_ARGS, ROOT, ensureVsCode, startVsCodeServer } from './vscodeServer';

const RUN_TIMEOUT_MS = 5 * 60_000;
/** The workbench's own chatter on an offline machine; PROLIFIC_TEST_VERBOSE=1 shows it. */
const WORKBENCH_NOISE =
  /ENOTFOUND|Service Worker|socket|connection token|grace time|builtin extensions|AgentHost|AccountPolicyGate|^\s+at /;

export async function runIntegrationLayer(): Promise<LayerResult> {
  ensureVsCode();
  const fake = await startFakeProlific();
  const scratch = makeTempDir('integration');
  const workspace = makeIntegrationWorkspace(scratch.path);
  const resultsFile = join(scratch.path, 'results.json');
  const server = await startVsCodeServer({
    flavour: 'tests',
    userSettings: { 'prolific.apiBaseUrl': fake.url },
    // Registers the table languages of CSV extensions (Rainbow CSV's dialects), for test/integration/tables.test.ts.
    extensionFolders: [join(ROOT, 'test', 'fixtures', 'table-languages')],
    env: {
      PROLIFIC_FAKE_URL: fake.url,
      PROLIFIC_FAKE_TOKEN: fake.token,
      PROLIFIC_TEST_RESULTS: resultsFile,
      PROLIFIC_TEST_GREP: process.env.PROLIFIC_TEST_GREP ?? '',
    },
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    env: { ...process.env, HOME: scratch.path } as Record<string, string>,
  });
  try {
    const page = await browser.newPage();
    const exitCode = new Promise<number>((resolve) => void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code)));
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
      const line = format(...args);
      if (process.env.PROLIFIC_TEST_VERBOSE || !WORKBENCH_NOISE.test(line)) console.log(line);
    });
    const remote = (path: string) => `vscode-remote://127.0.0.1:${server.port}${path}`;
    const payload = [
      ['extensionDevelopmentPath', remote(ROOT)],
      ['extensionTestsPath', remote(join(ROOT, 'out', 'test', 'integration', 'index.js'))],
      ['skipWelcome', 'true'],
    ];
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    const code = await Promise.race([
      exitCode,
      new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new Error(`The integration suite did not finish within ${RUN_TIMEOUT_MS / 1000} s`)),
          RUN_TIMEOUT_MS,
        ).unref(),
      ),
    ]);
    if (!existsSync(resultsFile)) throw new Error(`The extension host exited (${code}) without results.\n${server.output().slice(-4000)}`);
    const result = JSON.parse(readFileSync(resultsFile, 'utf8')) as LayerResult;
    // The suite's own exit status counts too, also after it wrote its results.
    if (code !== 0 && result.failed === 0) {
      result.failed++;
      result.failures.push(`the integration suite exited with ${code} after its results were written`);
    }
    return result;
  } finally {
    await browser.close();
    server.stop();
    await fake.close();
    scratch.remove();
  }
}
