// VS Code dies mid-send: a personalized run of 30 goes out slowly, the extension host is killed
// with SIGKILL after about 10 deliveries, the window is reloaded, the "interrupted" notification
// comes, and Resume sends to those the run never reached. The fake's log: nobody twice, and at
// most prolific.personalizedConcurrency (4) left without the message, each named in the report
// as "may have received it".
import * as assert from 'node:assert/strict';
import { SEED_IDS, participantId } from '../fake-prolific/seed';
import { descendantsOf, waitFor } from '../harness/processes';
import { t, tPattern } from './locale';
import { fillField, useWorkbench, type Workbench } from './workbench';

const STUDY = SEED_IDS.studies.reading;
const CONCURRENCY = 4; // prolific.personalizedConcurrency's default
const PEOPLE = Array.from({ length: 30 }, (_, i) => ({ id: participantId(700 + i), code: `K${i}` }));
const csv = (people: typeof PEOPLE) => ['participant_id,code', ...people.map((p) => `${p.id},${p.code}`)].join('\n') + '\n';
// The next wave: the same 30 and two newcomers.
const NEWCOMERS = [0, 1].map((i) => ({ id: participantId(800 + i), code: `N${i}` }));
const TEMPLATE = 'Your completion code is {{code}}.';

describe('a send interrupted when VS Code dies', function () {
  let wb: Workbench;
  useWorkbench(
    { 'wave.csv': csv(PEOPLE), 'wave-2.csv': csv([...PEOPLE, ...NEWCOMERS]) },
    { signIn: true, userText: ['wave.csv', 'wave-2.csv', 'participant_id', TEMPLATE] },
    (w) => (wb = w),
  );

  const posts = () => wb.fake.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/messages/').length;

  async function composeToFile(file = 'wave.csv', count = 30) {
    await wb.runCommand('View: Close All Editors');
    await wb.openFile(file);
    await wb.runCommand(t('Prolific: Message Participants in This File'));
    await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'participant_id' }).first().waitFor();
    await wb.page.keyboard.press('Enter');
    const form = await wb.composeForm('panel');
    await form.locator('#audience', { hasText: t('{0} participants', count) }).waitFor();
    await fillField(form.locator('[name="study_id"]'), STUDY);
    await fillField(form.locator('[name="body"]'), TEMPLATE);
    return form;
  }

  it('is resumed after a reload: nobody messaged twice, only those in flight left out, and named', async () => {
    const form = await composeToFile();

    // Slow answers: the run is still going when about 10 have been delivered.
    wb.fake.inject({ path: '/api/v1/messages/', method: 'POST', fault: { kind: 'delay', ms: 500 } });
    await form.getByRole('button', { name: t('Send'), exact: true }).click();
    await wb.answerDialog(t('Send this message to {0} participants?', 30), t('Send to {0}', 30));
    await waitFor('about 10 deliveries', () => (wb.fake.sent().length >= 10 ? true : undefined), 60_000);

    const hosts = descendantsOf(wb.server.pid).filter((p) => p.command.includes('--type=extensionHost'));
    assert.equal(hosts.length, 1, `one extension host under the server: ${JSON.stringify(hosts)}`);
    process.kill(hosts[0].pid, 'SIGKILL');
    await waitFor(
      'the extension host to be gone',
      () => (descendantsOf(wb.server.pid).some((p) => p.pid === hosts[0].pid) ? undefined : true),
      20_000,
    );
    // Requests already on their way still arrive; the fake answers each after its delay.
    await waitFor('the fake to finish what reached it', () => (wb.fake.sent().length === posts() ? true : undefined), 20_000);
    const beforeResume = new Set(wb.fake.sent().map((m) => m.recipient_id));
    assert.ok(beforeResume.size >= 10 && beforeResume.size < 30, `killed part way (${beforeResume.size} delivered)`);
    wb.fake.clearFaults();

    await wb.page.reload();
    await wb.page
      .locator(`.activitybar [aria-label="${t('Prolific')}"]`)
      .first()
      .waitFor({ timeout: 60_000 });
    const pattern = tPattern(
      'A send to {0} participants was interrupted when VS Code stopped: {1} sent, {2} may have received it, {3} not sent.',
      30,
      /(\d+)/,
      /(\d+)/,
      /(\d+)/,
    );
    const notice = await wb.waitForNotification(pattern, 60_000);
    const [, sent, unknown, notSent] = ((await notice.locator('.notification-list-item-message').textContent()) ?? '').match(pattern) ?? [];
    assert.ok(Number(unknown) <= CONCURRENCY, `${unknown} may have received it`);
    assert.equal(Number(sent) + Number(unknown) + Number(notSent), 30, 'everyone is counted once');

    await notice.getByRole('button', { name: t('Resume') }).click();
    if (Number(notSent) >= 20)
      await wb.answerDialog(t('Send this message to {0} participants?', Number(notSent)), t('Send to {0}', Number(notSent)));
    await wb.waitForNotification(tPattern('Personalized messages sent to {0} participants.', Number(notSent)), 60_000);

    const received = wb.fake.sent().map((m) => m.recipient_id);
    assert.equal(new Set(received).size, received.length, 'nobody was messaged twice');
    const left = PEOPLE.filter((p) => !received.includes(p.id)).map((p) => p.id);
    assert.ok(left.length <= CONCURRENCY, `${left.length} left without the message: at most the requests in flight at the kill`);
    for (const m of wb.fake.sent()) assert.equal(m.body, `Your completion code is ${PEOPLE.find((p) => p.id === m.recipient_id)?.code}.`);

    // The report of the run names whoever may have received it (and so was not sent to again).
    await wb.runCommand(t('Prolific: Open Sent Message'));
    await wb.pickQuickItem('Your completion code', t('Sent History'));
    const report = wb.page.locator('.editor-instance .view-lines');
    await report.filter({ hasText: t('may have received it') }).waitFor();
    const text = (await report.textContent()) ?? '';
    for (const id of left) assert.ok(text.includes(id), `the report names ${id}`);
  });

  it('asks before sending the same text to the same people again, and leaves them out', async () => {
    // The run above is in this computer's history: all 30 got this text, or may have.
    const form = await composeToFile('wave-2.csv', 32);
    await form.getByRole('button', { name: t('Send'), exact: true }).click();
    await wb.answerDialog(
      t('{0} of {1} participants already got this message in this study. Leave them out?', 30, 32),
      t('Leave Them Out'),
    );
    await wb.waitForNotification(tPattern('Personalized messages sent to {0} participants.', 2));
    assert.deepEqual(
      wb.fake
        .sent()
        .map((m) => m.recipient_id)
        .sort(),
      NEWCOMERS.map((p) => p.id).sort(),
      'only the newcomers',
    );
  });
});
