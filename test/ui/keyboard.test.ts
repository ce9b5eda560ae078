// A whole send without the mouse, as a keyboard-only user does it: the shortcut opens the form,
// Tab moves through participant, study, subject, topic, message and Send, the study comes from the picker with
// the arrow keys, Ctrl+Enter sends, and the failure notification's Retry is reached from the
// keyboard. Then the same for a reply: the Inbox shortcut, the arrow keys to the conversation,
// Enter, the reply, Ctrl+Enter and the notification's Retry. Key presses only: no click, no fill.
import { withOneRetry } from './retries';
import * as assert from 'node:assert/strict';
import type { Frame } from 'playwright-core';
import { SEED_IDS, participantId } from '../fake-prolific/seed';
import { waitFor } from '../harness/processes';
import { t, tPattern } from './locale';
import { studyIdIn, useWorkbench, type Workbench } from './workbench';

const P = participantId(71);
const STUDY = SEED_IDS.studies.reading;
const BODY = 'Sent without a mouse';
const REPLY = 'A reply without a mouse';
const P46 = participantId(46);

/** The id of the element that has the focus in the page, or '' when the page does not have it. */
const focused = (frame: Frame) =>
  frame.evaluate<string>(`document.hasFocus() ? (document.activeElement && document.activeElement.id) || '' : ''`);

describe('a whole send with the keyboard only', function () {
  let wb: Workbench;

  useWorkbench(
    { 'notes.md': `${P}\nFollow up with this participant.\n` },
    { signIn: true, userText: [BODY, 'Reading', REPLY] },
    (w) => (wb = w),
  );

  const press = (key: string) => wb.page.keyboard.press(key);
  /** What a keyboard user does to run a command: F1, its name, Enter. */
  const runByKeyboard = async (title: string) => {
    // As a person does: type once the palette shows and has the focus, or the first keys go elsewhere.
    // Once (the pseudo-locale variant, in a clean clone) F1 at the start of the reply test, right
    // after a toast was closed by its Retry, opened no palette within 30 s. Not reproduced and its
    // cause not found; the palette is the workbench's, so F1 is pressed again, once, and logged.
    await withOneRetry('runByKeyboard', `F1 for "${title}"`, async () => {
      await press('F1');
      await wb.page.locator('.quick-input-widget .quick-input-box input:focus').waitFor({ timeout: 10_000 });
    });
    await wb.page.keyboard.type(`>${title}`);
    await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
    await press('Enter');
  };
  /** The failure notification's Retry, reached from the keyboard: focus the toast, Tab to Retry, Enter. */
  const retryFromNotification = async (failure: RegExp) => {
    const toast = await wb.waitForNotification(failure);
    await runByKeyboard('Notifications: Focus Notification Toast');
    const retry = toast.getByRole('button', { name: t('Retry') });
    const focused = () => retry.evaluate((el) => el === el.ownerDocument.activeElement);
    for (let i = 0; i < 6 && !(await focused()); i++) await press('Tab');
    assert.ok(await focused(), 'Retry has the focus');
    await press('Enter');
  };
  const expectFocus = (frame: Frame, id: string) =>
    waitFor(`${id} to have the focus`, async () => ((await focused(frame)) === id ? true : undefined), 10_000);

  it('shortcut, Tab order, the study picker, Ctrl+Enter and the notification’s Retry', async () => {
    await wb.runCommand('View: Close All Editors');
    await wb.openFile('notes.md');
    await press('Control+Home'); // the caret on the participant ID
    await press('Control+Alt+M');
    const form = await wb.composeForm('panel');
    await waitFor(
      'the recipient from the caret',
      async () => ((await form.locator('#recipient_id').inputValue()) === P ? true : undefined),
      10_000,
    );
    // The first empty field has the focus: the study (none used yet in this window).
    await expectFocus(form, 'study_id');
    await press('Shift+Tab');
    await expectFocus(form, 'recipient_id');
    await press('Tab');
    await expectFocus(form, 'study_id');
    // The picker: type part of the study's name, take the suggestion with the arrow keys.
    await wb.page.keyboard.type('Reading');
    await form.locator('#studies [role="option"]', { hasText: STUDY }).waitFor();
    await press('ArrowDown');
    await press('Enter');
    await waitFor('the study from the picker', async () => ((await studyIdIn(form)) === STUDY ? true : undefined), 10_000);
    // The fake has conversations: subject and topic show (once the form knows), between study and message.
    await form.locator('#subject').waitFor();
    await press('Tab');
    await expectFocus(form, 'subject');
    await press('Tab');
    await expectFocus(form, 'topic');
    await press('Tab');
    await expectFocus(form, 'body');
    await wb.page.keyboard.type(BODY);
    await press('Tab');
    await expectFocus(form, 'send');

    // A server error first: the notification offers Retry, reached from the keyboard.
    wb.fake.inject({ path: '/api/v1/messages/', method: 'POST', fault: { kind: 'status', status: 500 }, times: 1 });
    await press('Shift+Tab');
    await press('Control+Enter');
    await retryFromNotification(tPattern('Message not sent'));
    await wb.waitForNotification(tPattern('Message sent to {0}.', P));
    // Sent by the notification's Retry: the form forgets the message, as after Send.
    await waitFor('the form to be cleared', async () => ((await form.locator('#body').inputValue()) === '' ? true : undefined), 10_000);
    assert.equal(await form.locator('#status').textContent(), '', 'the earlier failure is no longer shown');
    assert.deepEqual(
      wb.fake.sent().map((m) => [m.recipient_id, m.study_id, m.body]),
      [[P, STUDY, BODY]],
    );
  });

  it('a reply: the Inbox shortcut, the arrow keys, Enter, Ctrl+Enter and the notification’s Retry', async () => {
    await runByKeyboard('View: Close All Editors');
    // The first time in this window: the Prolific sidebar is built as the shortcut runs.
    await press('Control+Shift+Alt+M');
    // The keys go to the Inbox's list: the first ArrowDown focuses its first row.
    await wb.page.locator('.pane-body .monaco-list:focus-within .monaco-list-row', { hasText: P46 }).waitFor();
    const focusedRow = wb.page.locator('.monaco-list:focus-within .monaco-list-row.focused');
    const onP46 = async () => (await focusedRow.count()) > 0 && ((await focusedRow.textContent()) ?? '').includes(P46);
    for (let i = 0; i < 10 && !(await onP46()); i++) await press('ArrowDown');
    assert.match((await focusedRow.getAttribute('aria-label')) ?? '', tPattern('Unread. Conversation with participant {0}. {1}', P46));
    await press('Enter');
    // The conversation opens with the caret in its reply box.
    const thread = await wb.webviewFrame(`textarea[aria-label="${t('Reply')}"]`);
    await expectFocus(thread, 'reply');
    await press('Shift+Tab');
    await expectFocus(thread, 'thread');
    await press('Tab');
    await expectFocus(thread, 'reply');
    await wb.page.keyboard.type(REPLY);
    await press('Tab');
    await expectFocus(thread, 'send');
    await press('Shift+Tab');

    wb.fake.inject({ path: '/api/v1/messages/', method: 'POST', fault: { kind: 'status', status: 500 }, times: 1 });
    await press('Control+Enter');
    await retryFromNotification(tPattern('Reply not sent'));
    await wb.waitForNotification(tPattern('Message sent to {0}.', P46));
    // Delivered by the notification's Retry: the reply box forgets it and the thread shows it.
    await waitFor(
      'the reply box to be cleared',
      async () => ((await thread.locator('#reply').inputValue()) === '' ? true : undefined),
      10_000,
    );
    await thread.locator('#thread li', { hasText: REPLY }).waitFor();
    assert.deepEqual(
      wb.fake
        .sent()
        .filter((m) => m.recipient_id === P46)
        .map((m) => [m.study_id, m.body]),
      [[SEED_IDS.studies.decisions, REPLY]],
    );
  });
});
