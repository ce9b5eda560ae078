// Proof that no string was missed, for the pseudo-locale run: every letter of a pseudo-localized
// string is an accented look-alike, so a plain ASCII word left in what the extension shows is
// English that did not go through l10n.t or package.nls.json. What is read: the notifications,
// the Prolific views (headers, rows, welcome text), our status bar item, our editor tabs and
// every page of ours (visible text, labels, placeholders and titles). User data is taken out
// first: IDs, the fake API's sample data and the text the test itself typed.
import { STATUS_CODES } from 'node:http';
import type { Page } from 'playwright-core';
import { defaultDetail } from '../fake-prolific/faults';
import { createSeed } from '../fake-prolific/seed';
import { t } from './locale';

/**
 * Every string of the fake API's data: the sample names, message bodies, statuses and e-mails,
 * its error details and the HTTP reason phrases ("Internal Server Error") it answers with.
 */
function seedStrings(): string[] {
  const found: string[] = [];
  const visit = (value: unknown): void => {
    if (typeof value === 'string') found.push(value);
    else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') Object.values(value).forEach(visit);
  };
  visit(createSeed());
  for (const [status, phrase] of Object.entries(STATUS_CODES)) found.push(defaultDetail(Number(status)), phrase ?? '');
  return found;
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * Words that are not ours to translate: dates and times come from Intl in the display language,
 * which has no data for the pseudo-locale and falls back to English month and day names; and
 * VS Code writes "Activating Extensions..." into a view while extensions start.
 */
const NOT_OURS = new Set(
  [
    ...Array.from({ length: 12 }, (_, m) =>
      ['long', 'short'].map((month) => new Date(Date.UTC(2024, m, 15)).toLocaleString('en-US', { month: month as 'long' })),
    ).flat(),
    ...Array.from({ length: 7 }, (_, d) =>
      ['long', 'short'].map((weekday) => new Date(Date.UTC(2024, 0, 7 + d)).toLocaleString('en-US', { weekday: weekday as 'long' })),
    ).flat(),
    'AM',
    'PM',
    'UTC',
    'at',
    'Activating',
    'Extensions',
    'Cancel', // the button VS Code adds to a cancellable progress notification
  ].map((w) => w.replace(/\W/g, '')),
);

/**
 * The English words left in `texts` once user data is removed. A shortened copy of user text
 * ("Thanks for taking part in…") counts as user data too.
 */
export function englishWords(texts: readonly string[], userText: readonly string[]): string[] {
  const data = [...userText, ...seedStrings()]
    .map(oneLine)
    .filter((s) => /[A-Za-z]{2}/.test(s))
    .sort((a, b) => b.length - a.length);
  const words = new Set<string>();
  for (const raw of texts) {
    let text = oneLine(raw);
    for (const d of data) text = text.split(d).join(' ');
    // Shortened previews end in "…": drop a run that starts a user string.
    text = text.replace(/[^·]*…/g, (run) => (data.some((d) => d.startsWith(run.slice(0, -1).trim())) && run.trim().length > 1 ? ' ' : run));
    text = text
      .replace(/(?<![0-9a-f])(?=[a-f]*\d)[0-9a-f]{6,}(?![0-9a-f])/gi, ' ') // IDs, whole or shortened
      .replace(/https?:\/\/\S+/g, ' ')
      .replace(/[\w./-]+\.(?:csv|tsv|json|txt|md)\b/g, ' ') // file names the user chose
      .replace(/\{\{\w+\}\}/g, ' '); // the placeholder syntax the user types
    for (const word of text.match(/[A-Za-z]{2,}/g) ?? []) if (!NOT_OURS.has(word)) words.add(word);
  }
  return [...words];
}

/** Run in a webview page (no DOM types here): its title, visible text and labels, or null for another page. */
const PAGE_TEXT = `(() => {
  if (!document.querySelector('#compose, #reply-form')) return null;
  const visible = (e) => e.offsetParent !== null;
  const attributes = [...document.querySelectorAll('[aria-label], [placeholder], [title]')]
    .filter(visible)
    .flatMap((e) => ['aria-label', 'placeholder', 'title'].map((a) => e.getAttribute(a) || ''));
  return [document.title, document.body.innerText, ...attributes];
})()`;

/** The text the extension shows right now, in the places listed at the top of this file. */
export async function shownText(page: Page): Promise<string[]> {
  const texts: string[] = [];
  texts.push(
    ...(await page
      .locator(
        '.notifications-center .notification-list-item-message, .notifications-center .notification-list-item-buttons-container .monaco-button',
      )
      .allInnerTexts()),
  );
  for (const view of ['Compose', 'Inbox', 'Sent']) {
    const pane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: t(view) }) });
    texts.push(...(await pane.locator('.pane-header .title, .monaco-list-row, .welcome-view-content').allInnerTexts()));
    texts.push(
      ...(await pane.locator('.monaco-list-row[aria-label]').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''))),
    );
  }
  texts.push(
    ...(await page
      .locator('.statusbar-item[id$="prolific.unread"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''))),
  );
  const ourTabs = [t('Prolific: Send Message'), t('Participant {0}…', '').replace('…', '')];
  const tabs = await page.locator('.tabs-container .tab').allInnerTexts();
  texts.push(...tabs.filter((tab) => ourTabs.some((prefix) => tab.trim().startsWith(prefix))));
  for (const frame of page.frames()) {
    if (frame.isDetached()) continue;
    const pageText = (await frame.evaluate(PAGE_TEXT).catch(() => null)) as string[] | null;
    if (pageText) texts.push(...pageText);
  }
  return texts.filter((s) => s.trim() !== '');
}
