// Drives a real VS Code (code-server with the packaged .vsix installed) in headless Chromium
// the way a person does: command palette, editor context menu, activity bar, webview forms
// and notifications. One Workbench per test file; `close()` leaves nothing running.
import { copyFileSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Frame, type Locator, type Page } from 'playwright-core';
import { startFakeProlific, type FakeProlific } from '../fake-prolific/server';
import { makeTempDir, waitFor, type TempDir } from '../harness/processes';
import {
  BUILTIN_EXTENSIONS,
  CHROMIUM,
  CHROMIUM_ARGS,
  ROOT,
  ensureVsCode,
  startVsCodeServer,
  type VsCodeServer,
} from '../harness/vscodeServer';
import { UI_LOCALE, focusViewCommand, t, tPattern } from './locale';
import { withOneRetry } from './retries';
import { englishWords, shownText } from './untranslated';

export const SCREENSHOTS = join(ROOT, 'test-results');

export function packagedVsix(): string {
  const vsix = readdirSync(ROOT).find((f) => /^prolific-messenger-.*\.vsix$/.test(f));
  if (!vsix) throw new Error('No .vsix in the repository root: run `npm run package` first (npm test does).');
  return join(ROOT, vsix);
}

/**
 * Types `value` into a field of a webview page (replacing what it holds) and checks that it
 * landed. The workbench hands focus to a webview in steps (its frame, then the page), so just
 * after a form is revealed the page can lose focus for a moment between the field taking focus
 * and the text arriving; the text then goes to the workbench. A person sees the field still empty
 * and types again; so does this, once (see ./retries.ts).
 */
export async function fillField(field: Locator, value: string): Promise<void> {
  await withOneRetry('fillField', `typing into ${field.toString()}`, async () => {
    await field.fill(value);
    const shown = await field.inputValue();
    if (shown !== value) throw new Error(`typed ${JSON.stringify(value)}, but it shows ${JSON.stringify(shown)}`);
  });
}

/** compose-dark.png, sidebar-hc.png, …; a UI locale other than English is named too. */
export async function saveScreenshot(wb: Workbench, name: string, target: Locator | null): Promise<void> {
  const locale = process.env.PROLIFIC_UI_LOCALE ? `-${process.env.PROLIFIC_UI_LOCALE}` : '';
  const file = `${name}-${wb.themeSlug}${locale}.png`;
  const dir = join(SCREENSHOTS, 'screenshots');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, file);
  if (target) await target.screenshot({ path });
  else await wb.page.screenshot({ path });
  if (process.env.PROLIFIC_UPDATE_SCREENSHOTS === '1') {
    mkdirSync(join(ROOT, 'media', 'screenshots'), { recursive: true });
    copyFileSync(path, join(ROOT, 'media', 'screenshots', file));
  }
}

/** The study ID the compose form holds: the field itself shows the study's name once it is known. */
export function studyIdIn(form: Frame): Promise<string> {
  return form.locator('#study_id-value').inputValue();
}

/**
 * PROLIFIC_UI_THEME runs the UI suite in another colour theme, by its id in
 * `workbench.colorTheme`: 'Light Modern' (or its former id 'Default Light Modern'),
 * 'Default High Contrast', 'Default High Contrast Light', … Unset: VS Code's default dark theme.
 */
const UI_THEME = process.env.PROLIFIC_UI_THEME || undefined;
/** VS Code's default dark theme (in the browser, code-server starts with the light one). */
const DEFAULT_DARK_THEME = 'Dark 2026';

function themeSetting(): Record<string, string> {
  return { 'workbench.colorTheme': UI_THEME ?? DEFAULT_DARK_THEME };
}

/** The class VS Code puts on the workbench for the theme's kind. */
function expectedThemeKind(): 'vs-dark' | 'vs' | 'hc-black' | 'hc-light' {
  if (!UI_THEME) return 'vs-dark';
  if (/high contrast light/i.test(UI_THEME)) return 'hc-light';
  if (/high contrast/i.test(UI_THEME)) return 'hc-black';
  return /light/i.test(UI_THEME) ? 'vs' : 'vs-dark';
}

/**
 * The class VS Code puts on the workbench for one of its default themes
 * (vscode-theme-defaults-themes-light_modern-json), found by id or by the id it had before
 * ('Default Light Modern'); undefined for a theme of another extension.
 */
function expectedThemeClass(): string | undefined {
  const id = UI_THEME ?? DEFAULT_DARK_THEME;
  const pkg = JSON.parse(readFileSync(join(BUILTIN_EXTENSIONS, 'theme-defaults', 'package.json'), 'utf8')) as {
    contributes: { themes: Array<{ id: string; path: string }> };
  };
  const theme = pkg.contributes.themes.find((t) => t.id === id) ?? pkg.contributes.themes.find((t) => t.id === id.replace(/^Default /, ''));
  return theme && `vscode-theme-defaults-${theme.path.replace(/^\.\//, '').replace(/[^\w-]/g, '-')}`;
}

export class Workbench {
  private constructor(
    readonly page: Page,
    readonly fake: FakeProlific,
    readonly server: VsCodeServer,
    readonly workspace: string,
    private readonly browser: Browser,
    private readonly scratch: TempDir,
  ) {}

  /** @param settings user settings beyond the fake's address and the variant's theme. */
  static async start(files: Record<string, string> = {}, settings: Record<string, unknown> = {}): Promise<Workbench> {
    ensureVsCode();
    const fake = await startFakeProlific();
    const scratch = makeTempDir('ui');
    const workspace = join(scratch.path, 'workspace');
    mkdirSync(workspace);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(workspace, name), text);
    const server = await startVsCodeServer({
      flavour: 'workbench',
      vsix: packagedVsix(),
      userSettings: { 'prolific.apiBaseUrl': fake.url, ...themeSetting(), ...settings },
      locale: UI_LOCALE,
    });
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      env: { ...process.env, HOME: scratch.path } as Record<string, string>,
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    // The Prolific activity-bar entry appears once the extension's contributions are registered;
    // before that the palette would not list its commands.
    await page
      .locator(`.activitybar [aria-label="${t('Prolific')}"]`)
      .first()
      .waitFor({ timeout: 60_000 });
    // A theme id VS Code does not know falls back to the default silently: check it took, once
    // the theme (loaded after the first paint) has put its class on the workbench.
    const classes = await waitFor(
      'the colour theme to apply',
      () =>
        page
          .locator('.monaco-workbench')
          .first()
          .evaluate((el) => (/\bvscode-theme-/.test(el.className) ? el.className : undefined)),
      60_000,
    );
    const themeClass = expectedThemeClass();
    if (!classes.split(' ').includes(expectedThemeKind()) || (themeClass && !classes.split(' ').includes(themeClass))) {
      throw new Error(
        `PROLIFIC_UI_THEME=${UI_THEME ?? '(unset)'} should give a "${expectedThemeKind()}" workbench${themeClass ? ` (${themeClass})` : ''}, but it has ${classes}`,
      );
    }
    return new Workbench(page, fake, server, workspace, browser, scratch);
  }

  /** The current theme's kind as a file-name part: dark, light, hc or hc-light. */
  get themeSlug(): string {
    return { 'vs-dark': 'dark', vs: 'light', 'hc-black': 'hc', 'hc-light': 'hc-light' }[expectedThemeKind()];
  }

  /** The extension's string in the workbench's display language (see ./locale.ts). */
  readonly t = t;
  /** A pattern for one of the extension's messages in the display language (see ./locale.ts). */
  readonly tPattern = tPattern;
  readonly focusViewCommand = focusViewCommand;

  /**
   * Runs a command from the palette by its full title, e.g. "Prolific: Send Message". The palette
   * is opened from the command center in the title bar, as a person can: F1 goes to whatever has
   * the focus, and a webview that holds it does not always pass the key on to the workbench (seen
   * as a palette that never opened). A missed step is tried once more (see ./retries.ts).
   */
  async runCommand(title: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    await withOneRetry('runCommand', `running "${title}"`, async (attempt) => {
      if (attempt > 1) await this.page.keyboard.press('Escape');
      await this.page.locator('.command-center-center').first().click({ timeout: 10_000 });
      await input.fill(`>${title}`, { timeout: 10_000 });
      await row.waitFor({ timeout: 10_000 });
      await input.press('Enter', { timeout: 5_000 });
    });
  }

  /** Picks the row of the open quick pick whose text contains `text` (filtering by it first). */
  async pickQuickItem(text: string, title?: string): Promise<void> {
    const input = await this.quickInput(title);
    await input.fill(text);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first().waitFor();
    // On the input itself, not wherever the focus is: a page that just loaded may hold it.
    await input.press('Enter');
  }

  /** Clicks the OK button of a multi-select quick pick. */
  async acceptQuickPick(): Promise<void> {
    await this.page.locator('.quick-input-widget').getByRole('button', { name: 'OK', exact: true }).click();
  }

  /** Clicks a button of the modal dialog whose message contains `message`. */
  async answerDialog(message: string | RegExp, button: string): Promise<void> {
    const dialog = this.page.locator('.monaco-dialog-box', { hasText: message });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: button, exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
  }

  /** Answers an open input box (e.g. the token prompt). */
  async answerInputBox(text: string, title?: string): Promise<void> {
    const input = await this.quickInput(title);
    await input.fill(text);
    await input.press('Enter');
  }

  /** The open quick input; with a title, the one showing it (not the one it replaces). */
  private async quickInput(title?: string) {
    if (title) await this.page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor();
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    return input;
  }

  /**
   * Waits for a notification whose message matches and returns it. Toasts can be hidden before
   * they are read (Escape hides them, a newer one may take the place), so after a short look
   * at the toasts this reads the notification center, which keeps every notification.
   */
  async waitForNotification(pattern: RegExp, timeoutMs = 20_000) {
    const matching = (scope: string) =>
      this.page
        .locator(`${scope} .notification-list-item`, { has: this.page.locator('.notification-list-item-message', { hasText: pattern }) })
        .first();
    const toast = matching('.notifications-toasts');
    if (
      await toast.waitFor({ timeout: 2_000 }).then(
        () => true,
        () => false,
      )
    )
      return toast;
    const center = this.page.locator('.notifications-center');
    if (!(await center.isVisible())) await this.runCommand('Notifications: Show Notifications');
    const item = matching('.notifications-center');
    await item.waitFor({ timeout: timeoutMs });
    return item;
  }

  async clearNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications');
    await this.page.locator('.notification-list-item').first().waitFor({ state: 'detached' });
    await this.page.keyboard.press('Escape');
  }

  /**
   * The compose form in the editor panel or the sidebar view. Webviews are nested iframes laid
   * over the workbench, so the form is found by the mode its page declares on <body>.
   */
  async composeForm(where: 'panel' | 'view'): Promise<Frame> {
    // Only once the page script has wired the form and shown the saved draft: typing into the
    // static markup before that is not what a person can do.
    return this.webviewFrame(`body.mode-${where}[data-ready="true"] form`);
  }

  /** Follows a participant hover's Message link; returns the compose form once it is filled in with that participant. */
  async messageFromHover(hover: Locator, participantId: string): Promise<Frame> {
    await hover
      .getByRole('link', { name: t('Message') })
      .first()
      .click();
    const form = await this.composeForm('panel');
    await waitFor(
      'the recipient from the hover',
      async () => ((await form.locator('#recipient_id').inputValue()) === participantId ? true : undefined),
      10_000,
    );
    return form;
  }

  /** The webview page that holds `selector`. */
  webviewFrame(selector: string): Promise<Frame> {
    return waitFor(
      `a webview with ${selector}`,
      async () => {
        for (const candidate of this.page.frames()) {
          if (
            !candidate.isDetached() &&
            (await candidate
              .locator(selector)
              .count()
              .catch(() => 0))
          )
            return candidate;
        }
        return undefined;
      },
      30_000,
    );
  }

  /** Opens a workspace file with Quick Open (the command center, as in runCommand). */
  async openFile(name: string): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.locator('.command-center-center').first().click();
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.fill(name);
    // The row Enter picks is the focused one: once the typed filter has applied, that is the file
    // (before, it can be a recently opened one, or none while the list redraws).
    await this.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: name }).waitFor();
    await input.press('Enter');
    await this.page.locator('.tabs-container .tab.active', { hasText: name }).waitFor();
    // A text editor, or a notebook's first cell editor.
    await this.page.locator('.editor-instance .monaco-editor .view-lines, .notebook-editor .monaco-editor .view-lines').first().waitFor();
  }

  /** Files of this VS Code's user data, extensions and storage that contain `needle`. */
  filesContaining(needle: string, dir = this.server.home.path): string[] {
    const found: string[] = [];
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const stat = statSync(path, { throwIfNoEntry: false });
      if (stat?.isDirectory()) found.push(...this.filesContaining(needle, path));
      else if (stat?.isFile() && stat.size < 20_000_000 && readFileSync(path).includes(needle)) found.push(path);
    }
    return found;
  }

  /**
   * Opens the editor's context menu with `open` (a right-click) and clicks the item labelled
   * `label`. A menu that opened without it is closed and opened once more (logged): a right-click
   * that lands just as the editor opens can meet the workbench before it knows the item applies.
   */
  async chooseFromContextMenu(open: () => Promise<void>, label: string): Promise<void> {
    const menu = this.page.locator('.context-view .monaco-menu');
    const item = this.page.locator('.context-view .action-label', { hasText: label });
    await withOneRetry('chooseFromContextMenu', `the context menu showing "${label}"`, async (attempt) => {
      if (attempt > 1) {
        await this.page.keyboard.press('Escape');
        await menu.waitFor({ state: 'detached' });
      }
      await open();
      await menu.waitFor();
      await item.waitFor({ timeout: 2_000 });
    });
    await item.hover();
    await item.click();
  }

  async screenshot(name: string): Promise<string> {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const path = join(SCREENSHOTS, `${name.replace(/[^\w.-]+/g, '_').slice(0, 120)}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    this.server.stop();
    await this.fake.close();
    this.scratch.remove();
  }
}

/**
 * The mocha hooks every UI test file needs: one workbench for the file (optionally signed in
 * with the fake's token), a fresh fake and notification list before each test, a screenshot
 * of any failure, and everything stopped at the end. `use` receives the workbench.
 * Outside English, after each passing test, what the extension shows must hold no English word
 * (see ./untranslated.ts); `userText` is what the file's tests type (bodies, names, file names).
 */
export function useWorkbench(
  files: Record<string, string>,
  options: { signIn: boolean; userText?: string[]; settings?: Record<string, unknown> },
  use: (wb: Workbench) => void,
): void {
  let wb: Workbench | undefined;
  before(async function () {
    this.timeout(180_000);
    wb = await Workbench.start(files, options.settings);
    use(wb);
    if (options.signIn) {
      await wb.runCommand(t('Prolific: Set API Token'));
      await wb.answerInputBox(wb.fake.token);
      await wb.waitForNotification(tPattern('Prolific API token saved. Signed in as {0} ({1}).'));
    }
  });
  after(async () => wb?.close());
  beforeEach(async () => {
    wb?.fake.reset();
    await wb?.clearNotifications();
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && wb) console.log(`    screenshot: ${await wb.screenshot(this.currentTest.fullTitle())}`);
    if (UI_LOCALE !== 'en' && this.currentTest?.state === 'passed' && wb)
      await assertNoEnglish(wb, options.userText ?? [], this.currentTest.fullTitle());
  });
}

/** The check behind useWorkbench's pseudo-locale runs: the notifications are read from their center. */
async function assertNoEnglish(wb: Workbench, userText: string[], title: string): Promise<void> {
  if (!(await wb.page.locator('.notifications-center').isVisible())) await wb.runCommand('Notifications: Show Notifications');
  const texts = await shownText(wb.page);
  await wb.page.keyboard.press('Escape');
  const english = englishWords(texts, userText);
  if (english.length > 0) {
    console.log(`    screenshot: ${await wb.screenshot(`english-${title}`)}`);
    throw new Error(`English left in the ${UI_LOCALE} UI after "${title}": ${english.join(', ')}\n${texts.join('\n')}`);
  }
}
