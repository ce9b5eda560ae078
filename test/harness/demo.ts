// `npm run demo`: try the extension without a Prolific account. Starts the fake Prolific API
// as a sandbox, and a real VS Code (code-server) with the packaged extension installed and
// pointed at the sandbox; prints the address to open and the sandbox token. Ctrl+C stops all.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeProlific } from '../fake-prolific/server';
import { SEED_IDS, participantId } from '../fake-prolific/seed';
import { packagedVsix } from '../ui/workbench';
import { makeTempDir } from './processes';
import { ensureVsCode, startVsCodeServer } from './vscodeServer';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

async function main(): Promise<void> {
  ensureVsCode();
  const fake = await startFakeProlific({ port: option('api-port', 0) });
  const scratch = makeTempDir('demo');
  const workspace = join(scratch.path, 'my-study');
  mkdirSync(workspace);
  const ids = Array.from({ length: 6 }, (_, i) => participantId(i + 1));
  writeFileSync(
    join(workspace, 'submissions.csv'),
    ['participant_id,status,time_taken', ...ids.map((id, i) => `${id},${i % 3 ? 'APPROVED' : 'AWAITING REVIEW'},${300 + i * 17}`)].join(
      '\n',
    ) + '\n',
  );
  writeFileSync(
    join(workspace, 'notes.md'),
    `# Notes\n\nStudy "Reading comprehension": \`${SEED_IDS.studies.reading}\`\n\nFollow up with ${ids[0]} about the audio problem.\n` +
      `Right-click a participant ID and choose "Message This Participant".\n`,
  );
  const server = await startVsCodeServer({
    flavour: 'workbench',
    vsix: packagedVsix(),
    userSettings: { 'prolific.apiBaseUrl': fake.url },
    port: option('port', 8080),
  });
  console.log(`
Prolific Messenger demo is running.

  Open VS Code:     ${server.url}/?folder=${encodeURIComponent(workspace)}
  Sandbox token:    ${fake.token}    (paste it into "Prolific: Set API Token")
  Sandbox API:      ${fake.url}      (prolific.apiBaseUrl points here; ${fake.url}/__fake/sent lists what was sent)
  A study to use:   ${SEED_IDS.studies.reading}

Press Ctrl+C to stop everything.`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
