// Conversations and broadcasts in a real VS Code, where Prolific (the fake) has them: a list of 30
// with a subject goes out as one broadcast, through a timeout and a 502, and each participant is
// messaged once; the Sent view shows its recipient and reply counts; the Inbox lists the broadcast's
// conversations by subject, and one opens as its own thread, answered into that conversation.
import * as assert from 'node:assert/strict';
import { SEED_IDS, participantId } from '../fake-prolific/seed';
import { waitFor } from '../harness/processes';
import { focusViewCommand, t, tPattern } from './locale';
import { fillField, useWorkbench, type Workbench } from './workbench';

const STUDY = SEED_IDS.studies.reading;
// Participants 0-49 have a submission in the reading study: a broadcast may go to them.
const PEOPLE = Array.from({ length: 30 }, (_, i) => participantId(i));
const SUBJECT = 'Reading study: one more question';
const BODY = 'Could you tell us which passage you found hardest?';
const REPLY = 'Thanks, passage 3 was the hardest.';
const ANSWER = 'Thank you, that helps a lot.';
const BROADCASTS = '/api/v1/broadcasts/';
const HELLO = 'Hello, is the study still open?';

describe('conversations and broadcasts in VS Code', function () {
  let wb: Workbench;

  useWorkbench(
    { 'wave.csv': ['participant_id', ...PEOPLE].join('\n') + '\n' },
    // One second, so that the fake's slow answer is a timeout without a long wait.
    {
      signIn: true,
      settings: { 'prolific.requestTimeoutSeconds': 1 },
      userText: ['wave.csv', 'participant_id', SUBJECT, BODY, REPLY, ANSWER, HELLO],
    },
    (w) => (wb = w),
  );

  it('broadcasts to a list of 30 through a timeout and a 502, and each participant is messaged once', async () => {
    await wb.runCommand('View: Close All Editors');
    await wb.openFile('wave.csv');
    await wb.runCommand(t('Prolific: Message Participants in This File'));
    await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'participant_id' }).first().waitFor();
    await wb.page.keyboard.press('Enter');
    const form = await wb.composeForm('panel');
    await form.locator('#audience', { hasText: t('{0} participants', 30) }).waitFor();
    // The subject is offered for a list where Prolific has broadcasts, with the rule that comes with them.
    const subject = form.getByRole('textbox', { name: t('Subject (optional)') });
    await subject.waitFor();
    await form
      .locator('#broadcast-hint', {
        hasText: t('Prolific accepts it only if every participant on the list has a submission in this study.').slice(0, 20),
      })
      .waitFor();
    await fillField(form.locator('[name="study_id"]'), STUDY);
    await fillField(subject, SUBJECT);
    await form.getByRole('combobox', { name: t('Topic') }).selectOption({ label: t('Other') });
    await fillField(form.locator('[name="body"]'), BODY);

    // The first attempt is answered too late (after the 1 s timeout); the second meets a 502.
    wb.fake.inject({ path: BROADCASTS, method: 'POST', fault: { kind: 'delay', ms: 2_500 }, times: 1 });
    wb.fake.inject({ path: BROADCASTS, method: 'POST', fault: { kind: 'html', status: 502 }, times: 1 });
    await form.getByRole('button', { name: t('Send'), exact: true }).click();
    await wb.answerDialog(t('Send this message to {0} participants?', 30), t('Send to {0}', 30));
    // Answered on the third attempt, a few seconds on (1 s and 2 s of backoff): the notification follows.
    await waitFor(
      'the third attempt to be answered',
      () => (wb.fake.requests.some((r) => r.path === BROADCASTS && r.handledStatus === 200) ? true : undefined),
      30_000,
    );
    // The form hears the result just after the notification is shown: then it forgets the subject.
    await form.locator('#status', { hasText: t('Message sent.') }).waitFor();
    await wb.waitForNotification(
      tPattern('Broadcast "{0}" sent to {1} participants, each in a conversation of their own.', SUBJECT, 30),
      40_000,
    );

    const posts = wb.fake.requests.filter((r) => r.method === 'POST' && r.path === BROADCASTS);
    assert.deepEqual(
      posts.map((r) => r.appliedFault?.kind ?? 'none'),
      ['delay', 'html', 'none'],
      'a timeout, a 502, then an answer',
    );
    assert.equal(new Set(posts.map((r) => (r.body as { id: string }).id)).size, 1, 'every attempt carried the same broadcast ID');
    const sent = wb.fake.sent();
    assert.deepEqual(sent.map((m) => m.recipient_id).sort(), [...PEOPLE].sort(), 'each participant exactly once');
    assert.ok(sent.every((m) => m.via === 'broadcast'));
    assert.equal(await subject.inputValue(), '', 'the form forgets the subject after sending');

    // The Sent view: the broadcast with its counts; a reply shows after Refresh.
    await wb.runCommand(focusViewCommand('Sent'));
    const row = wb.page.locator('.pane-body .monaco-list-row', { hasText: BODY });
    await row.filter({ hasText: t('{0} recipients', 30) }).waitFor();
    await row.filter({ hasText: t('{0} replied', 0) }).waitFor();
    const conversation = sent.find((m) => m.recipient_id === PEOPLE[7])?.conversation_id;
    wb.fake.receive(PEOPLE[7], REPLY, conversation);
    await wb.runCommand(t('Prolific: Refresh Sent History'));
    await row.filter({ hasText: t('{0} replied', 1) }).waitFor();
  });

  it("lists a broadcast's conversations by subject, opens one as its own thread, and answers into it", async () => {
    // A broadcast made straight through the API, and participant 7's reply in their conversation of it.
    const made = await fetch(`${wb.fake.url}${BROADCASTS}`, {
      method: 'POST',
      headers: { Authorization: `Token ${wb.fake.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        id: 'ui-thread',
        study_id: STUDY,
        subject: SUBJECT,
        topic: 'other',
        body: BODY,
        recipient_ids: PEOPLE.slice(0, 10),
      }),
    });
    assert.equal(made.status, 201);
    const conversation = wb.fake.sent().find((m) => m.recipient_id === PEOPLE[7])?.conversation_id;
    assert.ok(conversation);
    wb.fake.receive(PEOPLE[7], REPLY, conversation);

    await wb.runCommand('View: Close All Editors');
    await wb.runCommand(t('Prolific: Refresh Inbox'));
    await wb.runCommand(focusViewCommand('Inbox'));
    const row = wb.page.locator('.pane-body .monaco-list-row', { hasText: PEOPLE[7] }).filter({ hasText: SUBJECT });
    await row.waitFor();
    await row.click();
    const thread = await wb.webviewFrame(`textarea[name="body"][aria-label="${t('Reply')}"]`);
    await thread.locator('#study', { hasText: SUBJECT }).waitFor();
    await thread.locator('.message .body', { hasText: REPLY }).waitFor();
    assert.deepEqual(await thread.locator('.message .body').allTextContents(), [BODY, REPLY], 'that conversation only, oldest first');
    assert.ok(
      wb.fake.requests.some((r) => r.method === 'GET' && r.path === `/api/v1/conversations/${conversation}/messages/`),
      'the thread was read from its conversation',
    );

    await fillField(thread.locator('textarea[name="body"]'), ANSWER);
    await thread.getByRole('button', { name: t('Send'), exact: true }).click();
    await wb.waitForNotification(tPattern('Message sent to {0}.', PEOPLE[7]));
    assert.deepEqual(
      wb.fake
        .sent()
        .filter((m) => m.body === ANSWER)
        .map((m) => [m.recipient_id, m.via, m.conversation_id]),
      [[PEOPLE[7], 'conversation', conversation]],
      'the answer went into that conversation',
    );
    await thread.locator('.message .body', { hasText: ANSWER }).waitFor();
  });

  it('works as before where the workspace has no conversations: no subject, a row per participant, plain replies', async () => {
    // Another token makes the window ask Prolific again; this time the endpoints answer 404.
    wb.fake.setConversations(false);
    const other = `${wb.fake.token}-classic`;
    wb.fake.acceptToken(other);
    await wb.runCommand(t('Prolific: Set API Token'));
    await wb.answerInputBox(other);
    await wb.waitForNotification(tPattern('Prolific API token saved. Signed in as {0} ({1}).'));
    try {
      // One conversation tab at a time: the page is found by its reply box.
      await wb.runCommand('View: Close All Editors');
      // Participant 46 (whose thread names a study) writes again: the newest row, so it is in view.
      wb.fake.receive(participantId(46), HELLO);
      await wb.runCommand(t('Prolific: Refresh Inbox'));
      await wb.runCommand(focusViewCommand('Inbox'));
      const row = wb.page.locator('.pane-body .monaco-list-row', { hasText: participantId(46) });
      await row.waitFor();
      await row.click();
      const thread = await wb.webviewFrame(`textarea[name="body"][aria-label="${t('Reply')}"]`);
      await thread.locator('.message .body', { hasText: HELLO }).waitFor();
      await fillField(thread.locator('textarea[name="body"]'), ANSWER);
      await thread.getByRole('button', { name: t('Send'), exact: true }).click();
      await wb.waitForNotification(tPattern('Message sent to {0}.', participantId(46)));
      const posts = wb.fake.requests.filter((r) => r.method === 'POST');
      assert.deepEqual(
        posts.map((r) => [r.path, Object.keys(r.body as object).sort()]),
        [['/api/v1/messages/', ['body', 'recipient_id', 'study_id']]],
        'a plain message, as before',
      );
      assert.ok(
        !wb.fake.requests.some((r) => r.path.startsWith('/api/v1/conversations/') && r.query['limit'] !== '1'),
        'no conversation was listed or read',
      );

      await wb.runCommand(t('Prolific: Send Message'));
      const form = await wb.composeForm('panel');
      await form.locator('[name="body"]').waitFor();
      assert.equal(await form.locator('#conversation-fields').isHidden(), true, 'no subject offered');
    } finally {
      await wb.runCommand(t('Prolific: Set API Token'));
      await wb.answerInputBox(wb.fake.token);
      await wb.waitForNotification(tPattern('Prolific API token saved. Signed in as {0} ({1}).'));
    }
  });
});
