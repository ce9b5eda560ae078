// Look and feel in a real VS Code, in the theme PROLIFIC_UI_THEME names (VS Code's default dark
// theme when unset): the pages take every colour from the workbench's theme, the buttons show
// their icons, and the form is ready for typing when the user opens it. Screenshots of the
// compose form, the Prolific sidebar and a notification go to test-results/screenshots/, and
// with PROLIFIC_UPDATE_SCREENSHOTS=1 also to media/screenshots/ (the README's pictures).
import * as assert from 'node:assert/strict';
import type { Frame } from 'playwright-core';
import { SEED_IDS, participantId } from '../fake-prolific/seed';
import { waitFor } from '../harness/processes';
import { t, tPattern } from './locale';
import { fillField, saveScreenshot, useWorkbench, type Workbench } from './workbench';

const STUDY = SEED_IDS.studies.reading;
const BODY = 'Hello! Thank you for taking part in the reading study.\nYour bonus is on its way.';
const DRAFT = 'A draft that outlives the reload';
const TYPED_IN_EDITOR = 'typed in the editor';

// The little of the browser's DOM the evaluated functions below use (tests type-check without
// the DOM library, which would let src/ use browser globals unnoticed).
interface BrowserElement {
  id: string;
  classList: { contains(name: string): boolean };
  style: { color: string };
  dataset: Record<string, string | undefined>;
  appendChild(child: BrowserElement): void;
  remove(): void;
}
declare const document: {
  body: BrowserElement;
  activeElement: BrowserElement | null;
  adoptedStyleSheets: unknown[];
  hasFocus(): boolean;
  querySelector(selector: string): BrowserElement | null;
  createElement(tag: string): BrowserElement;
};
declare function getComputedStyle(
  el: BrowserElement,
  pseudo?: string,
): { backgroundColor: string; color: string; borderTopColor: string; maskImage: string };
declare const CSSStyleSheet: new () => { replaceSync(text: string): void };

/**
 * The workbench's value of each theme colour, as the browser computes it (rgb()/rgba()), so it
 * compares with a webview's computed style. `fallback` is what the page's CSS falls back to.
 */
function themeColours(wb: Workbench, names: Record<string, string>): Promise<Record<string, string>> {
  return wb.page.evaluate((vars) => {
    const host = document.querySelector('.monaco-workbench') ?? document.body;
    const probe = document.createElement('div');
    host.appendChild(probe);
    const out: Record<string, string> = {};
    for (const [key, expression] of Object.entries(vars)) {
      probe.style.color = '';
      probe.style.color = expression;
      out[key] = getComputedStyle(probe).color;
    }
    probe.remove();
    return out;
  }, names);
}

interface PageColours {
  bodyBackground: string;
  bodyColour: string;
  buttonBackground: string;
  buttonColour: string;
  inputBackground: string;
  inputBorder: string;
  highContrast: boolean;
}

function pageColours(frame: Frame, input: string): Promise<PageColours> {
  return frame.evaluate((inputSelector) => {
    const style = (selector: string) => {
      const el = document.querySelector(selector);
      if (!el) throw new Error(`no ${selector}`);
      return getComputedStyle(el);
    };
    const body = style('body');
    const button = style('#send');
    const field = style(inputSelector);
    return {
      bodyBackground: body.backgroundColor,
      bodyColour: body.color,
      buttonBackground: button.backgroundColor,
      buttonColour: button.color,
      inputBackground: field.backgroundColor,
      inputBorder: field.borderTopColor,
      highContrast:
        document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light'),
    };
  }, input);
}

/** Relative luminance of an rgb()/rgba() colour, 0 (black) to 1 (white). */
function luminance(colour: string): number {
  const [r, g, b] = (colour.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

async function assertThemeColours(wb: Workbench, frame: Frame, background: string, input: string): Promise<void> {
  const page = await pageColours(frame, input);
  const theme = await themeColours(wb, {
    background,
    foreground: 'var(--vscode-foreground)',
    buttonBackground: 'var(--vscode-button-background)',
    buttonForeground: 'var(--vscode-button-foreground)',
    inputBackground: 'var(--vscode-input-background)',
    inputBorder: page.highContrast ? 'var(--vscode-contrastBorder)' : 'var(--vscode-input-border, transparent)',
  });
  assert.equal(page.bodyBackground, theme.background, 'page background');
  assert.equal(page.bodyColour, theme.foreground, 'text colour');
  assert.equal(page.buttonBackground, theme.buttonBackground, 'button background');
  assert.equal(page.buttonColour, theme.buttonForeground, 'button text');
  assert.equal(page.inputBackground, theme.inputBackground, 'input background');
  assert.equal(page.inputBorder, theme.inputBorder, 'input border');
  // And the theme is the one asked for: a dark page in a dark theme, a light one in a light theme.
  const dark = luminance(page.bodyBackground) < 0.2;
  assert.equal(
    dark,
    wb.themeSlug === 'dark' || wb.themeSlug === 'hc',
    `the page background ${page.bodyBackground} suits the ${wb.themeSlug} theme`,
  );
  assert.equal(page.highContrast, wb.themeSlug.startsWith('hc'), 'VS Code marks the page high contrast exactly in a high-contrast theme');
}

/** The button's icon is drawn: hiding just the icon changes how the button looks. */
async function assertIconDrawn(frame: Frame, selector: string): Promise<void> {
  const button = frame.locator(selector);
  const mask = await button.evaluate((el) => getComputedStyle(el, '::before').maskImage);
  assert.match(mask, /codicons\/[\w-]+\.svg/, `${selector} has a codicon`);
  const withIcon = await button.screenshot();
  // A constructed style sheet from the test (not the page, whose CSP allows only its own sheet).
  await frame.evaluate(() => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync('.has-icon::before { visibility: hidden; }');
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  });
  const withoutIcon = await button.screenshot();
  await frame.evaluate(() => (document.adoptedStyleSheets = document.adoptedStyleSheets.slice(0, -1)));
  assert.ok(!withIcon.equals(withoutIcon), `${selector}'s icon paints pixels`);
}

const inboxRows = (wb: Workbench) =>
  wb.page.locator('.pane', { has: wb.page.locator('.pane-header', { hasText: t('Inbox') }) }).locator('.monaco-list-row');

const focusedField = (frame: Frame) => frame.evaluate(() => (document.hasFocus() ? (document.activeElement?.id ?? '') : ''));

describe('look and feel in the current theme', function () {
  let wb: Workbench;

  useWorkbench(
    { 'notes.md': `Participants to thank:\n${participantId(21)}\n` },
    { signIn: true, userText: [...BODY.split('\n'), DRAFT, TYPED_IN_EDITOR] },
    (w) => (wb = w),
  );

  it('the form opened from the palette is ready for typing in the participant ID', async () => {
    await wb.runCommand(t('Prolific: Send Message'));
    const form = await wb.composeForm('panel');
    await waitFor(
      'the participant ID field to have focus',
      async () => ((await focusedField(form)) === 'recipient_id' ? true : undefined),
      10_000,
    );
    await wb.page.keyboard.type('5f8d');
    assert.equal(await form.locator('[name="recipient_id"]').inputValue(), '5f8d', 'what the user types lands in the field');
    await fillField(form.locator('[name="recipient_id"]'), '');
  });

  it('Ctrl+Alt+M opens the form from the editor, at the first empty field', async () => {
    await wb.runCommand('View: Close All Editors');
    await wb.openFile('notes.md');
    // The caret on the ID fills it in; the study is the last one used or empty: focus is on the next empty field.
    await wb.page.keyboard.press('Control+End');
    await wb.page.keyboard.press('ArrowUp');
    await wb.page.keyboard.press('Control+Alt+M');
    const form = await wb.composeForm('panel');
    await waitFor(
      'the recipient to be filled in',
      async () => ((await form.locator('[name="recipient_id"]').inputValue()) === participantId(21) ? true : undefined),
      10_000,
    );
    const expected = (await form.locator('[name="study_id"]').inputValue()) === '' ? 'study_id' : 'body';
    await waitFor(`${expected} to have focus`, async () => ((await focusedField(form)) === expected ? true : undefined), 10_000);
  });

  it('the compose form takes every colour from the theme and shows its icons', async () => {
    await wb.runCommand(t('Prolific: Send Message'));
    const form = await wb.composeForm('panel');
    await fillField(form.locator('[name="recipient_id"]'), participantId(22));
    await fillField(form.locator('[name="study_id"]'), STUDY);
    await fillField(form.locator('[name="body"]'), BODY);
    await assertThemeColours(wb, form, 'var(--vscode-editor-background)', '#recipient_id');
    await assertIconDrawn(form, '#send');
    await form.locator('[name="body"]').focus();
    await saveScreenshot(wb, 'compose', null);
  });

  it('a notification after sending', async () => {
    const form = await wb.composeForm('panel');
    await form.getByRole('button', { name: t('Send'), exact: true }).click();
    const toast = await wb.waitForNotification(tPattern('Message sent to {0}.', participantId(22)));
    await saveScreenshot(wb, 'notification', toast);
  });

  it('the Prolific sidebar: compose, inbox and sent views in theme colours', async () => {
    await wb.runCommand('View: Close All Editors');
    await wb.page
      .locator(`.activitybar [aria-label="${t('Prolific')}"]`)
      .first()
      .click();
    const view = await wb.composeForm('view');
    await wb.page
      .locator('.pane-header', { hasText: t('Inbox') })
      .first()
      .waitFor();
    await inboxRows(wb).first().waitFor();
    await wb.page
      .locator('.pane-header', { hasText: t('Sent') })
      .first()
      .waitFor();
    await assertThemeColours(wb, view, 'var(--vscode-sideBar-background, var(--vscode-editor-background))', '#recipient_id');
    // At 1400×900 with the three views open the Compose view is short: Send is in sight unscrolled.
    const send = await view.locator('#send').boundingBox();
    const pane = await (await view.frameElement()).boundingBox();
    assert.ok(
      send && pane && send.y >= pane.y && send.y + send.height <= pane.y + pane.height,
      `Send in view: ${JSON.stringify({ send, pane })}`,
    );
    await saveScreenshot(wb, 'sidebar', wb.page.locator('.part.sidebar'));
  });

  it('the conversation page takes its colours from the theme and shows its icons', async () => {
    await inboxRows(wb).first().click();
    const thread = await wb.webviewFrame(`textarea[name="body"][aria-label="${t('Reply')}"]`);
    await thread.locator('.message').first().waitFor();
    await assertThemeColours(wb, thread, 'var(--vscode-editor-background)', '#reply');
    for (const button of ['#send', '#refresh', '#open']) await assertIconDrawn(thread, button);
    await saveScreenshot(wb, 'conversation', null);
  });

  it('a form that loads while the user works elsewhere leaves the focus where it is', async () => {
    const before = await wb.composeForm('view');
    await fillField(before.locator('[name="recipient_id"]'), '');
    await fillField(before.locator('[name="body"]'), DRAFT);
    await before.evaluate(() => (document.body.dataset.old = 'yes'));
    await wb.runCommand('View: Close All Editors');
    await wb.runCommand('File: New Untitled Text File');
    await wb.page.locator('.editor-instance .monaco-editor.focused').first().waitFor();
    await wb.runCommand('Developer: Reload Webviews');
    const after = await wb.webviewFrame('body.mode-view[data-ready="true"]:not([data-old]) form');
    await waitFor(
      'the reloaded form to show the draft',
      async () => ((await after.locator('[name="body"]').inputValue()) === DRAFT ? true : undefined),
      10_000,
    );
    await wb.page.keyboard.type(TYPED_IN_EDITOR);
    await wb.page.locator('.editor-instance .view-lines', { hasText: TYPED_IN_EDITOR }).first().waitFor();
    assert.equal(await after.locator('[name="recipient_id"]').inputValue(), '', 'nothing typed reached the form');
    assert.equal(await focusedField(after), '', 'the form did not take the focus');
  });
});
