// `npm run test:desktop`: the same integration suite in desktop VS Code (Linux, macOS, Windows),
// downloaded by @vscode/test-electron into .vscode-test/. Needs VS Code's download server, so it
// cannot run on the offline build machines (they use the code-server launcher, integration.ts);
// CI runs it on each OS. On Linux without a display, run it under `xvfb-run -a`.
import { runTests } from '@vscode/test-electron';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startFakeProlific } from '../fake-prolific/server';
import { makeIntegrationWorkspace } from './integrationWorkspace';
import type { LayerResult } from './layerResult';

const ROOT = resolve(__dirname, '..', '..', '..'); // out/test/harness → repository root

async function main(): Promise<number> {
  const fake = await startFakeProlific();
  // Short names: on macOS VS Code puts its IPC socket in the user-data folder, and a socket
  // path must stay under 104 characters (TMPDIR there is already about 50).
  const scratch = mkdtempSync(join(tmpdir(), 'pm-'));
  const workspace = makeIntegrationWorkspace(scratch);
  const results = join(scratch, 'results.json');
  // A VS Code started from inside VS Code's terminal would otherwise run as plain Node.
  delete process.env.ELECTRON_RUN_AS_NODE;
  try {
    // runTests adds --disable-workspace-trust, --skip-welcome and the like itself.
    const launchArgs = [
      workspace,
      '--disable-extensions',
      `--user-data-dir=${join(scratch, 'ud')}`,
      `--extensions-dir=${join(scratch, 'ext')}`,
    ];
    // A CI machine has no keyring; without this VS Code may stop at a dialog about it.
    if (process.platform === 'linux') launchArgs.push('--password-store=basic');
    const exitCode = await runTests({
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: join(ROOT, 'out', 'test', 'integration', 'index.js'),
      launchArgs,
      extensionTestsEnv: {
        PROLIFIC_FAKE_URL: fake.url,
        PROLIFIC_FAKE_TOKEN: fake.token,
        PROLIFIC_TEST_RESULTS: results,
        PROLIFIC_TEST_GREP: process.env.PROLIFIC_TEST_GREP ?? '',
      },
    }).catch((error: unknown) => {
      // runTests rejects when VS Code exits non-zero, which a failing test does: the counts say why.
      console.error(error instanceof Error ? error.message : error);
      return 1;
    });
    if (!existsSync(results)) {
      console.error('desktop VS Code exited without running the integration suite.');
      return 1;
    }
    const result = JSON.parse(readFileSync(results, 'utf8')) as LayerResult;
    console.log(`\n== summary\nintegration (desktop VS Code, ${process.platform}) ${result.passed} passed, ${result.failed} failed`);
    for (const failure of result.failures) console.log(`  ✗ ${failure}`);
    return result.failed === 0 && result.passed > 0 && exitCode === 0 ? 0 : 1;
  } finally {
    await fake.close();
    try {
      // Windows can hold files of a VS Code that is still exiting a moment longer.
      rmSync(scratch, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    } catch (error) {
      console.warn(`Could not remove ${scratch}: ${(error as Error).message}`);
    }
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
