// A researcher opens the reminder audience of a two-wave study (approved in wave 1, not yet in
// wave 2), reads the count at the top of the file, previews who is in and why, and messages them
// from the CodeLens: the fake API's log shows exactly those participants, once each, and the
// Sent history keeps the audience file.
import * as assert from 'node:assert/strict';
import { SEED_IDS, createSeed } from '../fake-prolific/seed';
import { t, tPattern } from './locale';
import { fillField, studyIdIn, useWorkbench, type Workbench } from './workbench';

const seed = createSeed();
const W1 = SEED_IDS.studies.sleepWave1;
const W2 = SEED_IDS.studies.sleepWave2;
const FILE = 'wave2-reminder.audience.json';
const AUDIENCE = `${JSON.stringify(
  {
    description: 'Approved in wave 1, not yet in wave 2',
    include: [{ study: W1, statuses: ['APPROVED'], note: 'Wave 1' }],
    exclude: [{ study: W2, note: 'Wave 2' }],
  },
  null,
  2,
)}\n`;
const wave2 = new Set(seed.submissions[W2].map((s) => s.participant_id));
const EXPECTED = seed.submissions[W1].filter((s) => s.status === 'APPROVED' && !wave2.has(s.participant_id)).map((s) => s.participant_id);
const BODY = 'Wave 2 of the sleep diary is open for you now.';

describe('audience files', function () {
  let wb: Workbench;

  useWorkbench({ [FILE]: AUDIENCE }, { signIn: true, userText: [FILE, BODY, 'APPROVED'] }, (w) => (wb = w));

  it('counts, previews and messages the audience of a two-wave study from its CodeLens', async () => {
    assert.equal(EXPECTED.length, 10, 'the seed: 28 approved in wave 1, 18 of them in wave 2');
    await wb.runCommand('View: Close All Editors');
    await wb.openFile(FILE);
    const lens = (title: string) => wb.page.locator('.codelens-decoration a', { hasText: title }).first();

    // The count, from a full evaluation against Prolific.
    await lens(t('{0} participants', EXPECTED.length)).waitFor({ timeout: 30_000 });
    const studyPages = wb.fake.requests.filter((r) => r.path === `/api/v1/studies/${W1}/submissions/`).length;
    assert.equal(studyPages, 3, 'every page of wave 1 (48 submissions, 20 a page)');

    // Preview: who is in and why, beside the file.
    await lens(t('Preview')).click();
    const previewTab = wb.page.locator('.tabs-container .tab.active', { hasText: FILE });
    await previewTab.filter({ hasText: '.md' }).waitFor();
    const previewLines = wb.page.locator('.editor-instance .monaco-editor .view-lines');
    await previewLines.filter({ hasText: EXPECTED[0] }).first().waitFor();

    // Message…: the compose form, with the audience and the study filled in.
    await lens(t('Message…')).click();
    const form = await wb.composeForm('panel');
    await form.locator('#audience', { hasText: t('{0} participants', EXPECTED.length) }).waitFor();
    assert.equal(await studyIdIn(form), W1, 'the study is filled in');
    wb.fake.requests.length = 0;
    await fillField(form.locator('[name="body"]'), BODY);
    await form.getByRole('button', { name: t('Send'), exact: true }).click();
    await wb.waitForNotification(tPattern('Message sent to {0} participants.', EXPECTED.length));

    const posts = wb.fake.requests.filter((r) => r.method === 'POST');
    assert.deepEqual(
      posts.map((r) => r.path),
      ['/api/v1/messages/bulk/'],
    );
    assert.deepEqual([...(posts[0].body as { ids: string[] }).ids].sort(), [...EXPECTED].sort(), 'exactly the audience');
    assert.deepEqual(
      wb.fake
        .sent()
        .map((m) => m.recipient_id)
        .sort(),
      [...EXPECTED].sort(),
      'each once',
    );
    // The Sent history keeps the audience file as it was when sent.
    const journals = wb.filesContaining(JSON.stringify(AUDIENCE).slice(1, -1)).filter((f) => f.endsWith('.jsonl'));
    assert.equal(journals.length, 1, 'the run journal holds the audience file');
  });
});
