// A researcher with a submissions CSV sends one bulk and one personalized message, watches the
// progress, cancels, sends to the rest, and finds both in the Sent view; the fake API's log
// shows each participant messaged exactly once.
import * as assert from 'node:assert/strict';
import type { Frame } from 'playwright-core';
import { SEED_IDS, participantId } from '../fake-prolific/seed';
import { waitFor } from '../harness/processes';
import { focusViewCommand, t, tPattern } from './locale';
import { fillField, useWorkbench, type Workbench } from './workbench';

const STUDY = SEED_IDS.studies.reading;
const PEOPLE = Array.from({ length: 25 }, (_, i) => ({
  id: participantId(200 + i),
  name: i === 0 ? 'Ann "Annie" Lee, PhD' : `Person ${i}`,
  code: `C${100 + i}`,
}));
// A real export's quirks: a byte-order mark, CRLF line ends, quoted fields with commas and quotes.
const CSV =
  '\uFEFF' +
  ['"Participant id",name,code', ...PEOPLE.map((p) => `${p.id},"${p.name.replace(/"/g, '""')}",${p.code}`)].join('\r\n') +
  '\r\n';

describe('sending to the participants of a CSV file', function () {
  let wb: Workbench;

  useWorkbench(
    { 'submissions.csv': CSV },
    {
      signIn: true,
      userText: [
        'submissions.csv',
        'Participant id',
        'Thank you for taking part in wave 2.',
        ...PEOPLE.map((p) => `Hello ${p.name}, your code is ${p.code}.`),
        'Hello {{name}}, your code is {{code}}.',
      ],
    },
    (w) => (wb = w),
  );

  async function composeFromFile(): Promise<Frame> {
    await wb.runCommand('View: Close All Editors');
    await wb.openFile('submissions.csv');
    await wb.runCommand(t('Prolific: Message Participants in This File'));
    // The detected column comes first; Enter accepts it.
    await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Participant id' }).first().waitFor();
    await wb.page.keyboard.press('Enter');
    const form = await wb.composeForm('panel');
    await form.locator('#audience', { hasText: t('{0} participants', 25) }).waitFor();
    return form;
  }

  const confirmModal = (count: number) => wb.answerDialog(t('Send this message to {0} participants?', count), t('Send to {0}', count));

  it('sends one bulk message to everyone in the file after confirming the count', async () => {
    const form = await composeFromFile();
    assert.equal(await form.locator('[name="recipient_id"]').isVisible(), false, 'the single-recipient field gives way to the list');
    await fillField(form.locator('[name="study_id"]'), STUDY);
    await fillField(form.locator('[name="body"]'), 'Thank you for taking part in wave 2.');
    await form.getByRole('button', { name: t('Send'), exact: true }).click();
    await confirmModal(25);
    await wb.waitForNotification(tPattern('Message sent to {0} participants.', 25));
    const posts = wb.fake.requests.filter((r) => r.method === 'POST');
    assert.deepEqual(
      posts.map((r) => r.path),
      ['/api/v1/messages/bulk/'],
    );
    assert.deepEqual(
      (posts[0].body as { ids: string[] }).ids,
      PEOPLE.map((p) => p.id),
    );
  });

  it('sends personalized messages, cancels mid-run, then sends to the rest: everyone exactly once', async () => {
    const form = await composeFromFile();
    await fillField(form.locator('[name="study_id"]'), STUDY);
    await fillField(form.locator('[name="body"]'), 'Hello {{name}}, your code is {{code}}.');
    await form.locator('#preview', { hasText: 'Hello Ann "Annie" Lee, PhD, your code is C100.' }).waitFor();

    // Slow answers keep the run going long enough to cancel it part way.
    wb.fake.inject({ path: '/api/v1/messages/', method: 'POST', fault: { kind: 'delay', ms: 600 } });
    await form.getByRole('button', { name: t('Send'), exact: true }).click();
    await confirmModal(25);
    const progress = await wb.waitForNotification(tPattern('Sending personalized messages'));
    await waitFor('a few messages to arrive', () => (wb.fake.sent().length >= 4 ? true : undefined), 30_000);
    await progress.getByRole('button', { name: 'Cancel' }).click();
    const cancelled = await wb.waitForNotification(tPattern('Cancelled: sent to {0} of {1} participants; {2} not sent.', /\d+/, 25));
    const firstRun = wb.fake.sent().length;
    assert.ok(firstRun > 0 && firstRun < 25, `cancelled part way (${firstRun} sent)`);

    wb.fake.clearFaults();
    await cancelled.getByRole('button', { name: t('Retry Failed') }).click();
    if (25 - firstRun >= 20) await confirmModal(25 - firstRun); // prolific.bulkConfirmThreshold: 20
    await wb.waitForNotification(tPattern('Personalized messages sent to {0} participants.', 25 - firstRun));

    const sent = wb.fake.sent();
    assert.deepEqual(sent.map((m) => m.recipient_id).sort(), PEOPLE.map((p) => p.id).sort(), 'everyone, each exactly once');
    for (const p of PEOPLE) assert.equal(sent.find((m) => m.recipient_id === p.id)?.body, `Hello ${p.name}, your code is ${p.code}.`);
  });

  it('lists both sends in the Sent view', async () => {
    await wb.runCommand(focusViewCommand('Sent'));
    const sentPane = wb.page.locator('.pane', { has: wb.page.locator('.pane-header', { hasText: new RegExp(`^${t('Sent')}`) }) });
    const rows = sentPane.locator('.monaco-list-row[aria-label]');
    await rows.first().waitFor();
    const labels = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    assert.ok(
      labels.some((l) => /Thank you for taking part in wave 2/.test(l)),
      `bulk entry in ${JSON.stringify(labels)}`,
    );
    assert.ok(labels.filter((l) => /Hello \{\{name\}\}/.test(l)).length >= 2, 'the cancelled run and the retry');
    // Each row's label names its study (known from the form's study list).
    assert.ok(
      labels.every((l) => l.includes(`Reading Comprehension & Attention (Wave 2) (${STUDY})`)),
      `study named in ${JSON.stringify(labels)}`,
    );
  });

  it("opens a send's report, which names its study", async () => {
    // The study's name is known from the form's study list (fetched when the field was used).
    const sentPane = wb.page.locator('.pane', { has: wb.page.locator('.pane-header', { hasText: new RegExp(`^${t('Sent')}`) }) });
    await sentPane.locator('.monaco-list-row', { hasText: 'Thank you for taking part in wave 2' }).first().click();
    await wb.page
      .locator('.editor-instance .view-line', { hasText: new RegExp(`Reading\\sComprehension.*\\(${STUDY}\\)`) })
      .first()
      .waitFor();
  });

  it('keeps the token out of the history, the logs and every other file', () => {
    assert.deepEqual(wb.filesContaining(wb.fake.token), []);
    assert.ok(
      wb.filesContaining('Hello {{name}}').some((f) => f.endsWith('.jsonl')),
      'the history is on disk',
    );
  });
});
