// Accessibility, measured: axe-core checks each webview page in each of its modes (the compose
// form for one participant, with an error shown, for a list, for a personalized list with its
// preview; the conversation page) in the theme of the run. test/run.mjs runs this file in every
// theme variant: contrast comes from the theme's variables, so a contrast finding means our CSS
// overrides one. A serious or critical finding fails; the counts of all are printed.
import { SEED_IDS, participantId } from '../fake-prolific/seed';
import { assertNoSerious, axeFindings, printAxeSummary } from './axe';
import { focusViewCommand, t } from './locale';
import { fillField, useWorkbench, type Workbench } from './workbench';

const PEOPLE = [310, 311, 312].map((n, i) => ({ id: participantId(n), name: `Person ${i}` }));
const CSV = ['participant_id,name', ...PEOPLE.map((p) => `${p.id},${p.name}`)].join('\n') + '\n';
const P46 = participantId(46);

describe('accessibility of the pages (axe-core)', function () {
  let wb: Workbench;

  useWorkbench(
    { 'people.csv': CSV },
    {
      signIn: true,
      userText: ['people.csv', 'participant_id', 'name', 'Hello {{name}}', 'Hi', 'a', ...PEOPLE.map((p) => `Hello ${p.name}`)],
    },
    (w) => (wb = w),
  );
  after(printAxeSummary);

  const check = async (frame: Awaited<ReturnType<Workbench['composeForm']>>, page: string) =>
    assertNoSerious(await axeFindings(frame, page), page);

  const paletteForm = async () => {
    await wb.runCommand('View: Close All Editors');
    await wb.runCommand(t('Prolific: Send Message'));
    return wb.composeForm('panel');
  };

  it('the compose form for one participant', async () => {
    const form = await paletteForm();
    await fillField(form.locator('[name="recipient_id"]'), PEOPLE[0].id);
    await check(form, 'compose: one participant');
    await fillField(form.locator('[name="study_id"]'), '');
    await form.locator('[name="study_id"]').pressSequentially('a');
    await form.locator('#studies [role="option"]').first().waitFor();
    await form.locator('[name="study_id"]').press('ArrowDown');
    await check(form, 'compose: the study picker open');
    await form.locator('[name="study_id"]').press('Escape');
  });

  it('the compose form with an error shown', async () => {
    const form = await paletteForm();
    await fillField(form.locator('[name="recipient_id"]'), 'not-an-id');
    await fillField(form.locator('[name="body"]'), 'Hi');
    await form.getByRole('button', { name: t('Send'), exact: true }).click();
    await form.locator('#recipient_id-error', { hasText: t('A participant ID is 24 hexadecimal characters (0-9, a-f).') }).waitFor();
    await check(form, 'compose: an error shown');
    await fillField(form.locator('[name="recipient_id"]'), '');
  });

  it('the compose form for a list, and a personalized list with its preview', async () => {
    await wb.runCommand('View: Close All Editors');
    await wb.openFile('people.csv');
    await wb.runCommand(t('Prolific: Message Participants in This File'));
    await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'participant_id' }).first().waitFor();
    await wb.page.keyboard.press('Enter');
    const form = await wb.composeForm('panel');
    await form.locator('#audience', { hasText: t('{0} participants', PEOPLE.length) }).waitFor();
    await fillField(form.locator('[name="study_id"]'), SEED_IDS.studies.reading);
    await check(form, 'compose: a list');
    await fillField(form.locator('[name="body"]'), 'Hello {{name}}');
    await form.locator('#preview', { hasText: `Hello ${PEOPLE[0].name}` }).waitFor();
    await check(form, 'compose: personalized, with preview');
    await fillField(form.locator('[name="body"]'), '');
  });

  it('the conversation page', async () => {
    await wb.runCommand('View: Close All Editors');
    await wb.runCommand(focusViewCommand('Inbox'));
    await wb.page.locator('.pane-body .monaco-list-row', { hasText: P46 }).click();
    const thread = await wb.webviewFrame(`textarea[name="body"][aria-label="${t('Reply')}"]`);
    await thread.getByText('<img src=x onerror="alert(1)">', { exact: false }).first().waitFor();
    await check(thread, 'conversation');
  });
});
