// The Prolific account in a real VS Code, as a new user meets it: the walkthrough, the status bar
// entry and the Accounts menu in the activity bar. Signing in and out there uses the same token
// as "Set API Token", and the walkthrough's steps tick as the user does each thing.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { SEED_IDS, participantId } from '../fake-prolific/seed';
import { waitFor } from '../harness/processes';
import { ROOT } from '../harness/vscodeServer';
import { UI_LOCALE, t, tPattern } from './locale';
import { withOneRetry } from './retries';
import { fillField, useWorkbench, type Workbench } from './workbench';

const STUDY = { id: SEED_IDS.studies.memory, name: 'Memory Recall Pilot' };
const WALKTHROUGH = 'prolific-messenger.prolific-messenger#gettingStarted';
// VS Code's words around our provider's label and our extension's name.
const SIGN_IN = `Sign in with ${t('Prolific')} to use ${t('Prolific Messenger')} (1)`;
const USER = 'Ada Byron';
/** The account's entry in the Accounts menu: VS Code's "<account> (<provider label>)". */
const ACCOUNT = `${USER} (${t('Prolific')})`;

/**
 * A link of a walkthrough step's description, as the page shows it: package.nls.json translates
 * each description whole, links included, so the link is found by its place in the English one.
 */
function stepLink(id: string, english: string): string {
  const nls = JSON.parse(readFileSync(join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
  const description = nls[`walkthrough.gettingStarted.${id}.description`] ?? '';
  const links = (text: string) => [...text.matchAll(/\[([^\]]+)\]\(command:/g)].map((m) => m[1]!);
  const index = links(description).indexOf(english);
  assert.ok(index >= 0, `the ${id} step's description links "${english}"`);
  return links(t(description))[index]!;
}

/** The heading of a walkthrough page (media/walkthrough/<page>.md) as VS Code shows it: <page>.nls.<locale>.md when there is one. */
function pageHeading(page: string): string {
  const localized = join(ROOT, 'media', 'walkthrough', `${page}.nls.${UI_LOCALE}.md`);
  const text = readFileSync(existsSync(localized) ? localized : join(ROOT, 'media', 'walkthrough', `${page}.md`), 'utf8');
  return /^# (.+)$/m.exec(text)![1]!.trim();
}

describe('the Prolific account and the walkthrough in VS Code', function () {
  let wb: Workbench;

  useWorkbench({}, { signIn: false, userText: ['Thank you for taking part.'] }, (w) => (wb = w));

  const statusItem = () => wb.page.locator('[id="prolific-messenger.prolific-messenger.prolific.account"]');
  /** The walkthrough's tick box of a step; the page is opened (or brought forward) first. */
  const step = async (id: string): Promise<Locator> => {
    await wb.runCommand(t('Prolific: Get Started'));
    const box = wb.page.locator(`[role="checkbox"][data-done-step-id="${WALKTHROUGH}#${id}"]`);
    await box.waitFor();
    return box;
  };
  const waitForTick = async (id: string) => (await step(id)).and(wb.page.locator('[aria-checked="true"]')).waitFor();
  /**
   * Opens a step, waits for its page (`heading`, from media/walkthrough/) as a reader would, then
   * clicks its button (a link of the step's description). The page is a webview: while it loads it can take the focus, which would
   * close a quick pick the button opened meanwhile.
   */
  const runStep = async (id: string, page: string, button: string) => {
    const title = wb.page.locator(`.getting-started-step[data-step-id="${WALKTHROUGH}#${id}"]`);
    // Clicking the step that is open already would close it.
    if ((await title.getAttribute('aria-expanded')) !== 'true') await title.click();
    await wb.webviewFrame(`h1:text-is("${pageHeading(page)}")`);
    await title
      .and(wb.page.locator('[aria-expanded="true"]'))
      .getByRole('button', { name: stepLink(id, button), exact: true })
      .click();
  };
  const openAccounts = async (): Promise<Locator> => {
    // Escape closes one level of menu at a time; the Accounts button takes no click under one.
    for (let level = 0; level < 3 && (await wb.page.locator('.monaco-menu').count()); level++) await wb.page.keyboard.press('Escape');
    await wb.page.keyboard.press('Escape');
    // A webview that is still loading (the walkthrough's page) takes the focus when it is done,
    // which closes a menu: open it once every webview is ready.
    await waitFor(
      'every webview to be ready',
      async () => ((await wb.page.locator('iframe.webview:not(.ready)').count()) === 0 ? true : undefined),
      30_000,
    );
    await wb.page.locator('.activitybar [aria-label^="Accounts"]').first().click();
    const menu = wb.page.locator('.monaco-menu').first();
    await menu.waitFor();
    return menu;
  };

  /**
   * Chooses an entry of the Accounts menu, through its submenus, with the keyboard as a person
   * can: arrows to the entry, Right into a submenu, Enter on the last. Then `outcome` shows.
   */
  const pickFromAccounts = async (path: string[], outcome: Locator, what: string) => {
    await withOneRetry('pickFromAccounts', what, async () => {
      let menu = await openAccounts();
      for (const [index, label] of path.entries()) {
        await focusMenuItem(menu, label);
        if (index === path.length - 1) break;
        await wb.page.keyboard.press('ArrowRight');
        menu = wb.page.locator('.monaco-menu').nth(index + 1);
        await menu.waitFor();
      }
      await wb.page.keyboard.press('Enter');
      await outcome.waitFor({ timeout: 5_000 });
    });
  };

  /** Moves the menu's keyboard focus down to the entry `label` (it wraps around at the end). */
  const focusMenuItem = async (menu: Locator, label: string) => {
    const focused = menu.locator('.action-item.focused').getByRole('menuitem', { name: label, exact: true });
    for (let presses = 0; !(await focused.count()); presses++) {
      assert.ok(presses < 20, `"${label}" is not in the menu`);
      await wb.page.keyboard.press('ArrowDown');
    }
  };

  it('opens the walkthrough with no step done, and the status bar says no token is set', async () => {
    for (const id of ['setToken', 'defaultStudy', 'sendMessage', 'openInbox']) {
      assert.equal(await (await step(id)).getAttribute('aria-checked'), 'false', `${id} starts undone`);
    }
    await statusItem().locator('.codicon-warning').waitFor();
    assert.equal(await statusItem().getAttribute('aria-label'), t('No Prolific API token is set. Click to set one.'));
  });

  it('signs in from the Accounts menu with the token prompt; the menu, status bar and walkthrough follow', async () => {
    const prompt = wb.page.locator('.quick-input-widget .quick-input-title', { hasText: t('Prolific: Set API Token') });
    await pickFromAccounts([SIGN_IN], prompt, 'Sign in from the Accounts menu opens the token prompt');
    await wb.answerInputBox(wb.fake.token, t('Prolific: Set API Token'));
    await wb.waitForNotification(tPattern('Prolific API token saved. Signed in as {0} ({1}).', USER));
    await statusItem().locator('.codicon-key').waitFor();
    assert.equal(await statusItem().getAttribute('aria-label'), t('Prolific API token set for {0}', USER));
    const signedIn = await openAccounts();
    await signedIn.getByRole('menuitem', { name: ACCOUNT }).waitFor();
    assert.equal(await signedIn.getByRole('menuitem', { name: SIGN_IN }).count(), 0, 'the sign-in request is gone');
    await wb.page.keyboard.press('Escape');
    await waitForTick('setToken');
    // With a token, the status bar entry offers what can be done with the account.
    await statusItem().click();
    await wb.page.locator('.quick-input-widget .quick-input-title', { hasText: t('Prolific: signed in as {0}', USER) }).waitFor();
    await wb.page
      .locator('.quick-input-list .monaco-list-row', { hasText: t('$(sign-out) Sign Out (Clear API Token)').replace('$(sign-out) ', '') })
      .waitFor();
    await wb.page.keyboard.press('Escape');
  });

  it('ticks "Choose a default study" once one of the account\'s studies is picked', async () => {
    await step('defaultStudy');
    await runStep('defaultStudy', 'study', 'Choose Default Study');
    await wb.pickQuickItem(STUDY.name, t('Prolific: Choose Default Study'));
    await wb.waitForNotification(tPattern('Default study set to "{0}".', STUDY.name));
    await waitForTick('defaultStudy');
  });

  it('ticks "Send your first message" once a message reaches a participant', async () => {
    await step('sendMessage');
    await runStep('sendMessage', 'send', 'Send Message');
    const form = await wb.composeForm('panel');
    await fillField(form.locator('[name="recipient_id"]'), participantId(5));
    await fillField(form.locator('[name="body"]'), 'Thank you for taking part.');
    await form.getByRole('button', { name: t('Send'), exact: true }).click();
    await wb.waitForNotification(tPattern('Message sent to {0}.', participantId(5)));
    assert.deepEqual(
      wb.fake.sent().map((m) => [m.recipient_id, m.study_id]),
      [[participantId(5), STUDY.id]],
    );
    await waitForTick('sendMessage');
  });

  it('ticks "Read participants\' messages" when the Inbox opens', async () => {
    await step('openInbox');
    await runStep('openInbox', 'inbox', 'Open Inbox');
    await wb.page.locator('.pane-body .monaco-list-row').first().waitFor();
    await waitForTick('openInbox');
  });

  it('leaves the token in no file, page or log', async () => {
    for (const frame of wb.page.frames()) {
      if (!frame.isDetached()) assert.ok(!(await frame.content().catch(() => '')).includes(wb.fake.token), `token in ${frame.url()}`);
    }
    assert.deepEqual(wb.filesContaining(wb.fake.token), []);
  });

  it('signs out from the Accounts menu: the token is cleared and the status bar says so', async () => {
    const confirmation = wb.page.locator('.monaco-dialog-box', { hasText: USER });
    await pickFromAccounts([ACCOUNT, 'Sign Out'], confirmation, "Sign Out in the account's submenu opens a confirmation");
    await wb.answerDialog(USER, 'Sign Out');
    await wb.waitForNotification(tPattern('Prolific API token cleared.'));
    await statusItem().locator('.codicon-warning').waitFor();
    const signedOut = await openAccounts();
    await signedOut.getByRole('menuitem', { name: SIGN_IN }).waitFor();
    assert.equal(await signedOut.getByRole('menuitem', { name: ACCOUNT }).count(), 0);
    await wb.page.keyboard.press('Escape');
    // Without a token, the status bar entry asks for one; the token is really gone, so the
    // inbox has nothing to show.
    await statusItem().click();
    await wb.page.locator('.quick-input-widget .quick-input-title', { hasText: t('Prolific: Set API Token') }).waitFor();
    await wb.page.keyboard.press('Escape');
    await wb.runCommand(t('Prolific: Refresh Inbox'));
    await wb.page
      .locator('.pane-body', {
        hasText: t("Set your Prolific API token to see participants' messages here.\n[Set API Token](command:prolific.setApiToken)").split(
          '\n',
        )[0]!,
      })
      .waitFor();
  });
});
