// Activation in a real extension host: the VS Code server ('tests' flavour) runs
// activationHost.ts as the extensionTestsPath of a window that loads two development
// extensions, this one and the empty fixture. Two extensionDevelopmentPath entries in the URL
// payload do not work (the web workbench keeps the payload in a Map: the last one wins), so the
// one entry names a folder holding copies of both (VS Code loads each subfolder of a folder
// without package.json); the copy of this extension has what its .vsix has (package.json,
// dist/*.js, media). An extension activates once per extension host, so each round is a fresh
// window (a fresh extension host) that activates both, alternating which goes first.
// Meanwhile this side counts what the extension did in its activation window: requests to the
// fake API, secret reads (the extension host asks the workbench for secrets over the window's
// WebSocket, in RPC messages that name the method and the extension) and files written.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { chromium } from 'playwright-core';
import { startFakeProlific } from '../fake-prolific/server';
import { makeTempDir } from '../harness/processes';
import { CHROMIUM, CHROMIUM_ARGS, ROOT, ensureVsCode, startVsCodeServer } from '../harness/vscodeServer';
import type { ActivationSample, RoundInput, RoundOutput } from './activationHost';
import type { TableCosts } from './tableCostsHost';
import { exact, info, mb, measured, median, ms, ratio, spread } from './report';

export const EXTENSION_ID = 'prolific-messenger.prolific-messenger';
export const EMPTY_ID = 'prolific-messenger-bench.bench-empty-extension';
export const EMPTY_FIXTURE = join(ROOT, 'test', 'bench', 'fixtures', 'empty-extension');
const ROUND_TIMEOUT_MS = 120_000;
const SECRET_CALLS = ['$getPassword', '$setPassword', '$deletePassword', '$getKeys'];

interface SecretCall {
  time: number;
  method: string;
}

export async function benchActivation(quick: boolean): Promise<void> {
  // At least 20 activations of each in the full run, for a stable median; --quick only checks that it runs.
  const rounds = quick ? 6 : 20;
  ensureVsCode();
  const fake = await startFakeProlific();
  const scratch = makeTempDir('bench-activation');
  const workspace = join(scratch.path, 'workspace');
  mkdirSync(workspace);
  writeFileSync(join(workspace, 'participants.csv'), 'participant_id,status\n5f8d0c3e4b2a1c0012345678,APPROVED\n');
  // Outside the repository, so that `vscode` required from it is not this extension's API object
  // (which would then be created before the extension's activation instead of during it).
  const host = join(scratch.path, 'activationHost.js');
  copyFileSync(join(ROOT, 'out', 'test', 'bench', 'activationHost.js'), host);
  // dist/ must hold the production build (`npm run package` made it; anything may have rebuilt it since).
  const build = spawnSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`esbuild.mjs --production failed:\n${build.stderr}`);
  const dev = join(scratch.path, 'dev');
  const copy = join(dev, 'prolific-messenger');
  mkdirSync(join(copy, 'dist'), { recursive: true });
  // The extension activates on onStartupFinished; the copy's activation events are emptied so
  // that each round's activate() call is its activation, not one VS Code made before the round.
  // activate() and what it defers (the interrupted-send check included) are the same code.
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { activationEvents?: string[] };
  info('activation events', `${JSON.stringify(manifest.activationEvents)} in package.json; [] in the copy, so that the bench activates it`);
  writeFileSync(join(copy, 'package.json'), JSON.stringify({ ...manifest, activationEvents: [] }));
  for (const bundle of ['extension.js', 'features.js', 'webview.js', 'conversation.js'])
    copyFileSync(join(ROOT, 'dist', bundle), join(copy, 'dist', bundle));
  cpSync(join(ROOT, 'media'), join(copy, 'media'), { recursive: true });
  if (readFileSync(join(copy, 'dist', 'extension.js'), 'utf8').includes('sourceMappingURL'))
    throw new Error('dist/extension.js is a development build: something rebuilt it meanwhile; run again');
  cpSync(EMPTY_FIXTURE, join(dev, 'empty-extension'), { recursive: true });
  const roundFile = join(scratch.path, 'round.json');
  const server = await startVsCodeServer({
    flavour: 'tests',
    userSettings: { 'prolific.apiBaseUrl': fake.url },
    env: { BENCH_ROUND: roundFile },
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    env: { ...process.env, HOME: scratch.path } as Record<string, string>,
  });
  try {
    const page = await browser.newPage();
    let exited: (code: number) => void = () => undefined;
    await page.exposeFunction('codeAutomationExit', (code: number) => exited(code));
    await page.exposeFunction(
      'codeAutomationLog',
      (_type: string, args: unknown[]) => process.env.PROLIFIC_TEST_VERBOSE && console.log(format(...args)),
    );
    const secretCalls: SecretCall[] = [];
    page.on('websocket', (socket) =>
      socket.on('framereceived', ({ payload }) => {
        const text = typeof payload === 'string' ? payload : payload.toString('latin1');
        if (!text.includes(EXTENSION_ID)) return;
        for (const method of SECRET_CALLS) if (text.includes(method)) secretCalls.push({ time: Date.now(), method });
      }),
    );
    const remote = (path: string) => `vscode-remote://127.0.0.1:${server.port}${path}`;
    const payload = [
      ['extensionDevelopmentPath', remote(dev)],
      ['extensionTestsPath', remote(host)],
      ['skipWelcome', 'true'],
    ];
    const url = `${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    const outputs: RoundOutput[] = [];
    // The timed rounds, then (in the full run) one under the profiler, not timed.
    for (let round = 0; round < rounds + (quick ? 0 : 1); round++) {
      const results = join(scratch.path, `round-${round}.json`);
      const input: RoundInput = {
        order: round === rounds ? [EXTENSION_ID] : round % 2 === 0 ? [EXTENSION_ID, EMPTY_ID] : [EMPTY_ID, EXTENSION_ID],
        settleMs: 1_000,
        watch: [server.home.path, workspace],
        results,
        // The selection timings and the secret-read control, after every timed activation.
        last: round === (quick ? rounds - 1 : rounds),
        profile: round === rounds,
        token: fake.token,
        tableSamples: quick ? 8 : 30,
      };
      writeFileSync(roundFile, JSON.stringify(input));
      const code = new Promise<number>((resolve) => (exited = resolve));
      await page.goto(url);
      await Promise.race([
        code,
        new Promise((_, reject) =>
          setTimeout(
            () => reject(new Error(`round ${round} did not finish within ${ROUND_TIMEOUT_MS / 1000} s`)),
            ROUND_TIMEOUT_MS,
          ).unref(),
        ),
      ]);
      try {
        outputs.push(JSON.parse(readFileSync(results, 'utf8')) as RoundOutput);
      } catch {
        throw new Error(`round ${round}: the extension host wrote no results (exit ${await code}).\n${server.output().slice(-3000)}`);
      }
      await page.goto('about:blank');
    }
    printActivation(outputs, fake.requests, secretCalls);
  } finally {
    await browser.close();
    server.stop();
    await fake.close();
    scratch.remove();
  }
}

function printActivation(
  outputs: RoundOutput[],
  requests: { time: number; method: string; path: string }[],
  secretCalls: SecretCall[],
): void {
  const timed = outputs.filter((o) => !o.profile);
  const samples = (id: string) => timed.flatMap((o) => o.activations.filter((a) => a.id === id));
  const ours = samples(EXTENSION_ID);
  const empty = samples(EMPTY_ID);
  if (ours.some((a) => a.alreadyActive))
    info('WARNING', 'the extension was already active when a round began: its time is not an activation');
  const total = (list: ActivationSample[]) => list.map((a) => a.totalMs);
  const oursMs = median(total(ours));
  const emptyMs = median(total(empty));
  const loadingMs = median(ours.map((a) => a.codeLoadingMs ?? NaN));
  info('rounds (a fresh extension host each)', `${timed.length}, alternating which extension activates first`);
  info('timed', 'from calling activate() until it returned and what it deferred to the next turns ran');
  /** An extension's times: until its deferred work ran, until activate() returned, and loading its main file. */
  const printTimes = (label: string, list: ActivationSample[], file: string) => {
    info(label, spread(total(list), ms));
    info(
      '  activate() returned after',
      spread(
        list.map((a) => a.returnedMs),
        ms,
      ),
    );
    info(`  loading ${file} (require)`, `median ${ms(median(list.map((a) => a.codeLoadingMs ?? NaN)))} (the host's marks, whole ms)`);
  };
  printTimes('empty extension', empty, 'its extension.js');
  printTimes('prolific-messenger', ours, 'dist/extension.js');
  info('  the rest: activate(), deferred work and the host', `median ${ms(oursMs - loadingMs)}`);
  info(
    '  callbacks deferred meanwhile (all ran in time)',
    `${median(ours.map((a) => a.deferred))} per activation, ${median(ours.map((a) => a.deferredByExtension))} of them set by the extension (empty extension: ${median(empty.map((a) => a.deferred))}, ${median(empty.map((a) => a.deferredByExtension))})`,
  );
  info(
    '  timers set for later (not waited for)',
    `${median(ours.map((a) => a.later))} per activation (the first unread poll) (empty extension: ${median(empty.map((a) => a.later))})`,
  );
  const unsettled = [...ours, ...empty].filter((a) => !a.settled).length;
  if (unsettled) info('WARNING', `${unsettled} activation(s) still had deferred work pending after 5 s: their time is NOT MEASURED`);
  // Both extensions activate in the same host in each round: the ratio within a round is paired.
  const paired = timed.map((o) => {
    const of = (id: string) => o.activations.find((a) => a.id === id)?.totalMs ?? NaN;
    return of(EXTENSION_ID) / of(EMPTY_ID);
  });
  info('  ratio within each round', spread(paired, ratio));
  measured(
    'activation vs the empty extension (medians)',
    `${ratio(oursMs / emptyMs)} (${ms(oursMs)} / ${ms(emptyMs)})`,
    '≤ 1.50×',
    oursMs <= 1.5 * emptyMs,
  );
  const profile = outputs.find((o) => o.profile)?.profile;
  if (profile?.alreadyActive) info('WARNING', 'the extension was already active when the profile round began: no profile');
  else if (profile) {
    info(
      'where the time goes (CPU profile of one more host)',
      'sampled ms (the profiler slows what it samples; activate() only, without the deferred work)',
    );
    for (const [phase, time] of profile.byPhase) info(`  ${phase}`, ms(time));
    info('calls out of the bundle that cost most', '');
    for (const [callee, time] of profile.calledFromBundle) info(`  ${callee}`, ms(time));
  }

  // The bundle behind the commands and views (dist/features.js) loads on first use, not here.
  // The require cache must show the main bundle, or it proves nothing.
  const lazy = ours.filter((a) => a.loaded.includes('dist/features.js')).length;
  const seen = ours.every((a) => a.loaded.includes('dist/extension.js'));
  exact(
    'dist/features.js loaded in activation (+1 s settle)',
    seen ? `${lazy} in ${ours.length} activations` : 'require cache not readable',
    '0',
    seen && lazy === 0,
  );
  info('  its modules loaded meanwhile', [...new Set(ours.flatMap((a) => a.loaded))].join(', '));

  const within = (time: number, [start, end]: [number, number]) => time >= start && time <= end;
  const network = ours.flatMap((a) => requests.filter((r) => within(r.time, a.window)));
  const secrets = ours.flatMap((a) => secretCalls.filter((c) => within(c.time, a.window)));
  const control = outputs.find((o) => o.control)?.control;
  exact('network requests in activation (+1 s settle)', `${network.length} in ${ours.length} activations`, '0', network.length === 0);
  for (const request of new Set(network.map((r) => `${r.method} ${r.path}`))) info('  request', request);
  info('  of them GET /api/v1/users/me/ (token check)', String(network.filter((r) => r.path.includes('/users/me')).length));
  // The counter must see the read that Refresh Inbox makes afterwards, or its 0 proves nothing.
  const controlReads = control ? secretCalls.filter((c) => within(c.time, control)).length : 0;
  exact(
    'secret reads in activation (+1 s settle)',
    `${secrets.length} in ${ours.length} activations`,
    '0',
    secrets.length === 0 && controlReads >= 1,
  );
  info('  the counter sees reads: Refresh Inbox after', `${controlReads} secret read(s) (must be ≥ 1, or the check fails)`);
  // Files under a folder named after the extension (its globalStorage, workspaceStorage and log
  // folders) or in the workspace are its doing; VS Code changes its own files all the time.
  const written = (samples: ActivationSample[]) => [...new Set(samples.flatMap((a) => a.written))];
  const its = (path: string) => path.includes(`/${EXTENSION_ID}/`) || path.startsWith('workspace/');
  const logs = written(ours).filter((p) => its(p) && p.endsWith('.log'));
  const files = written(ours).filter((p) => its(p) && !logs.includes(p));
  exact('files written in activation (+1 s settle)', `${files.length}`, '0', files.length === 0);
  for (const path of files) info('  written', path);
  info(
    "  not counted: its output channel's log file",
    `${logs.length} in ${ours.length} activations (VS Code creates one per createOutputChannel)`,
  );
  const others = (samples: ActivationSample[]) => written(samples).filter((p) => !its(p)).length / samples.length;
  info(
    "  VS Code's own files changed meanwhile",
    `${others(ours).toFixed(1)} per activation (empty extension: ${others(empty).toFixed(1)})`,
  );
  for (const cost of outputs.find((o) => o.selection)?.selection ?? [])
    info(`editor participant IDs, ${cost.label}`, `${cost.microsPerCall.toFixed(1)} µs per call`);
  printTableCosts(outputs.find((o) => o.tables)?.tables);
}

/** The hover over an ID and the tables' CodeLens on a CSV export of about 49 MB (tableCostsHost.ts). */
function printTableCosts(costs: TableCosts | undefined): void {
  if (!costs) throw new Error('the last round measured no table costs');
  info(
    'hover and CodeLens on a CSV export',
    `${mb(costs.fileBytes)}, ${costs.rows.toLocaleString('en-US')} rows (VS Code gives extensions no document over 50 MiB)`,
  );
  exact(
    'the hover shows the participant card',
    costs.hoverText.includes('Prolific participant') ? 'yes' : 'no',
    'yes',
    costs.hoverText.includes('Prolific participant'),
  );
  // The request's CPU counts VS Code's handling of it too: the hover's own share is what it adds
  // to the same request with the hover turned off.
  const hoverMs = median(costs.hoverCpuMs) - median(costs.hoverOffCpuMs);
  measured('hover on one of its lines: its extension-host CPU (medians, on − off)', ms(hoverMs), '≤ 2 ms', hoverMs <= 2);
  info('  the request, hover on', spread(costs.hoverCpuMs, ms));
  info('  the same request, hover turned off (yardstick)', spread(costs.hoverOffCpuMs, ms));
  info('  the first hover of the window (features load, history read)', ms(costs.hoverFirstCpuMs));
  const counted = costs.lensTitle.includes(` ${costs.rows} participants`);
  exact('the CodeLens counts every row', costs.lensTitle || 'no lens', `"Message ${costs.rows} participants (…)"`, counted);
  info('  the lens made and resolved, after an edit (wall)', spread(costs.lensMs, ms));
  const blockMs = median(costs.lensBlockMs);
  measured('  longest hold of the extension host meanwhile (median)', ms(blockMs), '≤ 100 ms', blockMs <= 100);
  info('  min/median/max', spread(costs.lensBlockMs, ms));
  info('  the same edit, no lens asked for (yardstick)', spread(costs.editBlockMs, ms));
}
