// The hover over a participant ID, as a person uses it: rest the pointer on an ID in a file, read
// what this computer knows of the participant, follow its Message link to a filled-in form.
import * as assert from 'node:assert/strict';
import { SEED_IDS, participantId } from '../fake-prolific/seed';
import { t, tPattern } from './locale';
import { fillField, saveScreenshot, useWorkbench, type Workbench } from './workbench';

const P = participantId(72);
const BODY = 'Hovered, then messaged';
/** An export of 300 participants, the ID in the third column, with two repeats and a blank. */
const WAVE1 = [
  'submission_id,started,Participant id,status',
  ...Array.from({ length: 300 }, (_, i) => `s${i},2026-11-0${(i % 9) + 1},${participantId(1000 + i)},APPROVED`),
  `s300,2026-11-09,${participantId(1000)},APPROVED`,
  `s301,2026-11-09,${participantId(1001)},RETURNED`,
  's302,2026-11-09,,RETURNED',
].join('\n');

describe('the hover over a participant ID', function () {
  let wb: Workbench;

  useWorkbench(
    { 'notes.md': `Follow up:\n${P} asked about the bonus.\n`, 'wave1.csv': WAVE1 },
    { signIn: true, userText: [BODY] },
    (w) => (wb = w),
  );

  /** Rests the pointer on the ID in the editor and returns the hover that shows. */
  async function hoverOverId() {
    await wb.page.mouse.move(0, 0);
    const line = wb.page.locator('.editor-instance .view-line', { hasText: P }).first();
    const box = await line.boundingBox();
    assert.ok(box, 'the ID is on screen');
    // The line starts with the ID: a few characters in is on it.
    await wb.page.mouse.move(box.x + 40, box.y + box.height / 2);
    const hover = wb.page.locator('.monaco-hover:visible', { hasText: t('Prolific participant') });
    await hover.waitFor();
    return hover;
  }

  it('says what is known of the participant and its Message link opens the form for them', async () => {
    await wb.openFile('notes.md');
    const requestsBefore = wb.fake.requests.length;
    const hover = await hoverOverId();
    assert.match(await hover.innerText(), new RegExp(P));
    await hover.getByText(t('No messages with this participant on this computer yet.')).waitFor();
    const form = await wb.messageFromHover(hover, P);

    await fillField(form.locator('[name="study_id"]'), SEED_IDS.studies.reading);
    await fillField(form.locator('[name="body"]'), BODY);
    await form.locator('[name="body"]').press('Control+Enter');
    await wb.waitForNotification(tPattern('Message sent to {0}.', P));
    assert.deepEqual(
      wb.fake.requests.slice(requestsBefore).filter((r) => Object.values(r.query).includes(P)),
      [],
      'the hover asked Prolific nothing about the participant',
    );

    // The hover now shows the message just sent, from the local history.
    await wb.openFile('notes.md');
    const after = await hoverOverId();
    await after.getByText(`${t('Last sent to them')}: “${BODY}”`, { exact: false }).waitFor();
    await saveScreenshot(wb, 'hover', wb.page.locator('.editor-instance'));
  });

  it("counts a table's participants in the CodeLens over its header, and sends to that column", async () => {
    await wb.openFile('wave1.csv');
    const lens = wb.page.locator('.editor-instance .codelens-decoration a', {
      hasText: t('Message {0} participants (column "{1}")', 300, 'Participant id'),
    });
    await lens.waitFor();
    await saveScreenshot(wb, 'lens', wb.page.locator('.editor-instance'));
    await lens.click();
    const form = await wb.composeForm('panel');
    // No question about the column: the lens named it. The form lists the 300.
    await form.getByText(tPattern('{0} participants', 300)).first().waitFor();
    assert.equal(await wb.page.locator('.quick-input-widget:visible').count(), 0, 'no column picker');
  });
});
