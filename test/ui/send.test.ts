// A person sending messages in a real VS Code: palette, right-click, sidebar, the form, and
// the notifications, against the fake Prolific API.
import * as assert from 'node:assert/strict';
import type { Frame } from 'playwright-core';
import { SEED_IDS, createSeed, participantId } from '../fake-prolific/seed';
import { waitFor } from '../harness/processes';
import { focusViewCommand, t, tPattern } from './locale';
import { fillField, studyIdIn, useWorkbench, type Workbench } from './workbench';

const STUDY = SEED_IDS.studies.reading;
const READING_NAME = 'Reading Comprehension & Attention (Wave 2)';
const CSV_PARTICIPANT = participantId(7);
const TYPED_WHILE_HOST_CHANGES = 'Typed just before the shortcut';
const messagePosts = (wb: Workbench) => wb.fake.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/messages/');

async function fill(form: Frame, fields: { recipient_id?: string; study_id?: string; subject?: string; body?: string }): Promise<void> {
  for (const [name, value] of Object.entries(fields)) await fillField(form.locator(`[name="${name}"]`), value);
}

describe('sending a message in VS Code', function () {
  let wb: Workbench;

  useWorkbench(
    { 'participants.csv': `participant_id,status\n${CSV_PARTICIPANT},APPROVED\n${participantId(8)},RETURNED\n` },
    {
      signIn: false,
      userText: [
        'participants.csv',
        'Hello from the palette',
        'Still signed in',
        'Sent with the keyboard',
        'About your payment',
        'It is on its way.',
        'Try again',
        'Token check',
        'Only once',
        'About your submission',
        'From the sidebar',
        'Half-written, then more',
        'Half-written',
        TYPED_WHILE_HOST_CHANGES,
      ],
    },
    (w) => (wb = w),
  );

  it('asks for a token when none is set, then carries on with the same send', async () => {
    await wb.runCommand(t('Prolific: Send Message'));
    const form = await wb.composeForm('panel');
    await fill(form, { recipient_id: participantId(1), study_id: STUDY, body: 'Hello from the palette' });
    await form.getByRole('button', { name: t('Send'), exact: true }).click();
    await wb.answerInputBox(wb.fake.token);
    await wb.waitForNotification(tPattern('Prolific API token saved. Signed in as {0} ({1}).', 'Ada Byron'));
    await wb.waitForNotification(tPattern('Message sent to {0}.', participantId(1)));
    assert.deepEqual(
      wb.fake.sent().map((m) => [m.recipient_id, m.study_id, m.body]),
      [[participantId(1), STUDY, 'Hello from the palette']],
    );
    assert.equal(await form.locator('[name="body"]').inputValue(), '', 'the draft is cleared after success');
    assert.equal(await studyIdIn(form), STUDY, 'the study stays for the next message');
  });

  it('does not keep a token Prolific rejects, and says why', async () => {
    await wb.runCommand(t('Prolific: Set API Token'));
    await wb.answerInputBox('a-token-prolific-does-not-know');
    const error = await wb.waitForNotification(
      tPattern('{0}: Prolific rejected the API token (401). Set a valid API token and try again.', t('The token was not saved')),
    );
    assert.ok(await error.getByRole('button', { name: t('Show Log') }).count());
    // The good token from the previous test is still the one in use.
    await wb.runCommand(t('Prolific: Send Message'));
    const form = await wb.composeForm('panel');
    await fill(form, { recipient_id: participantId(10), study_id: STUDY, body: 'Still signed in' });
    await form.getByRole('button', { name: t('Send'), exact: true }).click();
    await wb.waitForNotification(tPattern('Message sent to {0}.', participantId(10)));
    assert.equal(wb.fake.sent().length, 1);
  });

  it('sends from the palette form with Ctrl+Enter', async () => {
    await wb.runCommand(t('Prolific: Send Message'));
    const form = await wb.composeForm('panel');
    await fill(form, { recipient_id: participantId(2), body: 'Sent with the keyboard' });
    await form.locator('[name="body"]').press('Control+Enter');
    await wb.waitForNotification(tPattern('Message sent to {0}.', participantId(2)));
    assert.equal(wb.fake.sent().length, 1);
    // "Send Message" again reveals the open form rather than opening a second one.
    await wb.runCommand(t('Prolific: Send Message'));
    await wb.composeForm('panel');
    assert.equal(await wb.page.locator('.tabs-container .tab', { hasText: t('Prolific: Send Message') }).count(), 1);
  });

  it('starts a conversation with a subject and a topic from the form', async () => {
    const form = await wb.composeForm('panel');
    // Shown once the form knows that Prolific (here the fake) has conversations.
    const subject = form.getByRole('textbox', { name: t('Subject (optional)') });
    await subject.waitFor();
    await fill(form, { recipient_id: participantId(3), subject: 'About your payment', body: 'It is on its way.' });
    await form.getByRole('button', { name: t('Send'), exact: true }).click();
    await form.locator('#topic-error', { hasText: t('Choose a topic for the conversation.') }).waitFor();
    assert.equal(wb.fake.requests.filter((r) => r.method === 'POST').length, 0, 'nothing sent without a topic');
    await form.getByRole('combobox', { name: t('Topic') }).selectOption({ label: t('Payment timing') });
    await form.getByRole('button', { name: t('Send'), exact: true }).click();
    await wb.waitForNotification(tPattern('Conversation "{0}" started with {1}.', 'About your payment', participantId(3)));
    assert.deepEqual(
      wb.fake.requests.filter((r) => r.method === 'POST').map((r) => [r.path, r.body]),
      [
        [
          '/api/v1/conversations/',
          {
            recipient_id: participantId(3),
            subject: 'About your payment',
            topic: 'payment-timing',
            study_id: STUDY,
            body: 'It is on its way.',
          },
        ],
      ],
    );
    assert.deepEqual(
      wb.fake.sent().map((m) => [m.recipient_id, m.via]),
      [[participantId(3), 'conversation']],
    );
    assert.equal(await subject.inputValue(), '', 'a subject starts one conversation: the form forgets it after sending');
  });

  it('shows an inline error for an invalid recipient and makes no request', async () => {
    const form = await wb.composeForm('panel');
    await fill(form, { recipient_id: 'not-a-participant', body: 'Hi' });
    await form.getByRole('button', { name: t('Send'), exact: true }).click();
    await form.locator('#recipient_id-error', { hasText: t('A participant ID is 24 hexadecimal characters (0-9, a-f).') }).waitFor();
    assert.equal(await form.locator('[name="recipient_id"]').getAttribute('aria-invalid'), 'true');
    assert.equal(messagePosts(wb).length, 0);
  });

  it('keeps the draft after a 500 and a second Send delivers exactly one message', async () => {
    wb.fake.inject({ path: '/api/v1/messages/', method: 'POST', fault: { kind: 'status', status: 500 }, times: 1 });
    const form = await wb.composeForm('panel');
    await fill(form, { recipient_id: participantId(3), study_id: STUDY, body: 'Try again' });
    await form.getByRole('button', { name: t('Send'), exact: true }).click();
    const error = await wb.waitForNotification(
      tPattern('{0}: {1}', t('Message not sent'), tPattern('Prolific had a server error ({0}): {1}', /500 .*?/)),
    );
    assert.ok(await error.getByRole('button', { name: t('Retry') }).count(), 'the error offers Retry');
    assert.equal(await form.locator('[name="body"]').inputValue(), 'Try again');
    assert.equal(await form.locator('[name="recipient_id"]').inputValue(), participantId(3));
    assert.equal(messagePosts(wb).length, 1, 'no automatic resend');
    await form.getByRole('button', { name: t('Send'), exact: true }).click();
    await wb.waitForNotification(tPattern('Message sent to {0}.', participantId(3)));
    assert.equal(wb.fake.sent().length, 1);
    assert.equal(messagePosts(wb).length, 2);
  });

  it('names the token when Prolific rejects it (401)', async () => {
    wb.fake.inject({
      path: '/api/v1/messages/',
      method: 'POST',
      fault: { kind: 'status', status: 401, body: { detail: 'Invalid token.' } },
      times: 1,
    });
    const form = await wb.composeForm('panel');
    await fill(form, { recipient_id: participantId(4), study_id: STUDY, body: 'Token check' });
    await form.getByRole('button', { name: t('Send'), exact: true }).click();
    const error = await wb.waitForNotification(
      tPattern('{0}: Prolific rejected the API token (401). Set a valid API token and try again.', t('Message not sent')),
    );
    assert.ok(await error.getByRole('button', { name: t('Set API Token') }).count(), 'the error offers Set API Token');
    assert.equal(wb.fake.sent().length, 0);
    assert.equal(await form.locator('[name="body"]').inputValue(), 'Token check');
  });

  it('sends once on a double click', async () => {
    wb.fake.inject({ path: '/api/v1/messages/', method: 'POST', fault: { kind: 'delay', ms: 500 }, times: 1 });
    const form = await wb.composeForm('panel');
    await fill(form, { recipient_id: participantId(5), study_id: STUDY, body: 'Only once' });
    await form.getByRole('button', { name: t('Send'), exact: true }).dblclick();
    await wb.waitForNotification(tPattern('Message sent to {0}.', participantId(5)));
    assert.equal(messagePosts(wb).length, 1);
  });

  it('composes to the participant ID under the right-click', async () => {
    await wb.runCommand('View: Close All Editors');
    await wb.openFile('participants.csv');
    const id = wb.page.locator('.view-lines span', { hasText: CSV_PARTICIPANT }).last();
    // The menu item shows in documents that hold a participant ID: the right-click places the cursor.
    await wb.chooseFromContextMenu(() => id.click({ button: 'right' }), t('Message This Participant'));
    const form = await wb.composeForm('panel');
    // The host fills the recipient in after the page is ready: wait for it, or the Send below races it.
    await waitForValue(form, 'recipient_id', CSV_PARTICIPANT);
    await fill(form, { body: 'About your submission' });
    await form.getByRole('button', { name: t('Send'), exact: true }).click();
    await wb.waitForNotification(tPattern('Message sent to {0}.', CSV_PARTICIPANT));
    assert.deepEqual(
      wb.fake.sent().map((m) => m.recipient_id),
      [CSV_PARTICIPANT],
    );
  });

  it('keeps what the user is typing when the host changes another field of the draft', async () => {
    await wb.runCommand('View: Close All Editors');
    await wb.openFile('participants.csv');
    await wb.page.locator('.view-lines span', { hasText: CSV_PARTICIPANT }).last().click();
    await wb.runCommand(focusViewCommand('Compose'));
    const view = await wb.composeForm('view');
    await fill(view, { recipient_id: '', body: '' });
    // Typed, then at once (before the page reports the typing) the shortcut: Send Message takes the
    // participant ID under the editor's cursor, so the host changes the draft's recipient.
    await view.locator('[name="body"]').click();
    await wb.page.keyboard.type(TYPED_WHILE_HOST_CHANGES);
    await wb.page.keyboard.press('Control+Alt+M');
    const panel = await wb.composeForm('panel');
    await waitForValue(panel, 'recipient_id', CSV_PARTICIPANT);
    await waitForValue(panel, 'body', TYPED_WHILE_HOST_CHANGES);
    await waitForValue(view, 'recipient_id', CSV_PARTICIPANT);
    assert.equal(
      await view.locator('[name="body"]').inputValue(),
      TYPED_WHILE_HOST_CHANGES,
      'the typing stays in the form it was typed in',
    );
  });

  it('sends from the Compose view in the Prolific sidebar', async () => {
    await wb.runCommand('View: Close All Editors');
    await wb.runCommand('View: Show Explorer'); // so the click below opens the container, not toggles it shut
    await wb.page
      .locator(`.activitybar [aria-label="${t('Prolific')}"]`)
      .first()
      .click();
    const form = await wb.composeForm('view');
    await fill(form, { recipient_id: participantId(6), study_id: STUDY, body: 'From the sidebar' });
    await form.getByRole('button', { name: t('Send'), exact: true }).click();
    await wb.waitForNotification(tPattern('Message sent to {0}.', participantId(6)));
    assert.deepEqual(
      wb.fake.sent().map((m) => m.body),
      ['From the sidebar'],
    );
  });

  it("lists the account's studies in the study picker, finds one by name and shows its name", async () => {
    await wb.runCommand(t('Prolific: Send Message'));
    const form = await wb.composeForm('panel');
    const study = form.locator('[name="study_id"]');
    const options = form.locator('#studies [role="option"]');
    await fillField(study, '');
    await study.pressSequentially('comprehension');
    await options.first().waitFor();
    assert.deepEqual(await options.locator('.study-option-id').allTextContents(), [SEED_IDS.studies.reading]);
    await study.press('ArrowDown');
    await study.press('Enter');
    // The field shows the study's name, the ID under it; the draft holds the ID.
    assert.equal(await study.inputValue(), READING_NAME);
    assert.equal(await studyIdIn(form), SEED_IDS.studies.reading);
    await form.locator('#study_id-detail', { hasText: `${SEED_IDS.studies.reading} · ACTIVE` }).waitFor();
    assert.equal(messagePosts(wb).length, 0, 'Enter took the study and did not send');
    // An empty field lists every study.
    await study.press('Control+A');
    await study.press('Backspace');
    await options.nth(1).waitFor();
    assert.equal(await options.count(), createSeed().studies.length, "every study of the fake's account");
    await study.press('Escape');
    assert.equal(await options.count(), createSeed().studies.length);
    assert.ok(await form.locator('#studies').isHidden(), 'Escape closed the list');
    // A pasted ID needs no pick: on leaving the field it shows the study's name.
    await fillField(study, SEED_IDS.studies.reading);
    assert.equal(await studyIdIn(form), SEED_IDS.studies.reading);
    await study.press('Tab');
    await waitFor(
      'the name in place of the pasted ID',
      async () => ((await study.inputValue()) === READING_NAME ? true : undefined),
      10_000,
    );
    // A name typed in full means its study; a name of no study is refused, naming the field.
    await fillField(study, 'No such study');
    await form.locator('#send').click();
    await form
      .locator('#study_id-error', {
        hasText: t('Choose one of your studies, or paste a study ID (24 hexadecimal characters, 0-9 and a-f).'),
      })
      .waitFor();
    assert.equal(messagePosts(wb).length, 0, 'nothing sent with an unknown study');
    await fillField(study, READING_NAME.toUpperCase());
    assert.equal(await studyIdIn(form), SEED_IDS.studies.reading);
  });

  it('keeps the draft when the form is closed, the view hidden and the window reloaded', async () => {
    await wb.runCommand(t('Prolific: Send Message'));
    let form = await wb.composeForm('panel');
    await fill(form, { recipient_id: participantId(9), body: 'Half-written' });
    await wb.runCommand('View: Close All Editors');
    await wb.runCommand(t('Prolific: Send Message'));
    await waitForValue(await wb.composeForm('panel'), 'body', 'Half-written');

    await wb.runCommand(focusViewCommand('Compose'));
    form = await wb.composeForm('view');
    await waitForValue(form, 'body', 'Half-written');
    await fillField(form.locator('[name="body"]'), 'Half-written, then more');
    await wb.runCommand('View: Show Explorer'); // hides the Compose view
    await wb.runCommand(focusViewCommand('Compose'));
    await waitForValue(await wb.composeForm('view'), 'body', 'Half-written, then more');

    await wb.page.reload();
    await wb.page
      .locator(`.activitybar [aria-label="${t('Prolific')}"]`)
      .first()
      .waitFor({ timeout: 60_000 });
    await wb.runCommand(t('Prolific: Send Message'));
    form = await wb.composeForm('panel');
    await waitForValue(form, 'body', 'Half-written, then more');
    await waitForValue(form, 'recipient_id', participantId(9));
    assert.equal(wb.fake.sent().length, 0);
  });

  it('leaves the token in no file, log or page', async () => {
    const token = wb.fake.token;
    const leaks = wb.filesContaining(token);
    assert.deepEqual(leaks, [], `token found in ${leaks.join(', ')}`);
    const logs = wb.filesContaining('POST /api/v1/messages/');
    assert.ok(logs.length > 0, 'the Prolific log has request lines');
    for (const frame of wb.page.frames()) {
      if (frame.isDetached()) continue;
      const html = await frame.content().catch(() => '');
      assert.ok(!html.includes(token), `token found in the DOM of ${frame.url()}`);
    }
  });
});

async function waitForValue(form: Frame, name: string, expected: string): Promise<void> {
  await waitFor(
    `${name} to read "${expected}"`,
    async () => ((await form.locator(`[name="${name}"]`).inputValue()) === expected ? true : undefined),
    10_000,
  );
}
