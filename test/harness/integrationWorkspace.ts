// The workspace folder the integration suite opens, the same for both launchers (code-server in
// integration.ts, desktop VS Code in desktop.ts): send.test.ts reads its participants.csv.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function makeIntegrationWorkspace(parent: string): string {
  const workspace = join(parent, 'workspace');
  mkdirSync(workspace);
  writeFileSync(join(workspace, 'participants.csv'), 'participant_id,status\n5f8d0c3e4b2a1c0012345678,APPROVED\n');
  return workspace;
}
