// `npm run test:desktop`: the same integration suite in desktop VS Code, downloaded by
// @vscode/test-electron. Needs internet (VS Code's download server), so it cannot run on the
// offline build machines; the code-server launcher (integration.ts) is used there.
import { runTests } from '@vscode/test-electron';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeProlific } from '../fake-prolific/server';
import { ROOT } from './vscodeServer';

async function main(): Promise<void> {
  const fake = await startFakeProlific();
  const scratch = mkdtempSync(join(tmpdir(), 'prolific-desktop-'));
  const workspace = join(scratch, 'workspace');
  const userData = join(scratch, 'user-data');
  mkdirSync(workspace);
  try {
    await runTests({
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: join(ROOT, 'out', 'test', 'integration', 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', `--user-data-dir=${userData}`],
      extensionTestsEnv: { PROLIFIC_FAKE_URL: fake.url, PROLIFIC_FAKE_TOKEN: fake.token },
    });
  } finally {
    await fake.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
