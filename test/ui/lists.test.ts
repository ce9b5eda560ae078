// The other ways to a list, and what surrounds sending: a study's participants by status, a
// participant group, a selection of IDs, templates, and the Sent view's export and clear.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { SEED_IDS, createSeed, participantId } from '../fake-prolific/seed';
import { waitFor } from '../harness/processes';
import { focusViewCommand, t, tPattern } from './locale';
import { fillField, studyIdIn, useWorkbench, type Workbench } from './workbench';

const seed = createSeed();
const FOLLOW_UPS = [participantId(300), participantId(301), participantId(302)];
// The Sent view's welcome text (package.nls.json), shown once the history is empty.
const SENT_WELCOME =
  'Messages you send appear here, with who got them and who did not.\n[Send Message](command:prolific.sendMessage)\nThe history is kept on this computer only. Set how many messages it keeps in [Settings](command:workbench.action.openSettings?%5B%22prolific.historyMaxEntries%22%5D).';
const send = (form: Frame) => form.getByRole('button', { name: t('Send'), exact: true }).click();

describe('lists, templates and history', function () {
  let wb: Workbench;

  useWorkbench(
    { 'follow-ups.txt': `${FOLLOW_UPS.join('\n')}\nnot-an-id\n${FOLLOW_UPS[1].toUpperCase()}\n` },
    {
      signIn: true,
      userText: [
        'follow-ups.txt',
        'not-an-id',
        'Your submission is being reviewed.',
        'Thanks again for the memory study.',
        'A new study for the group.',
        'Follow-up',
        'Thanks! Your bonus is on its way.',
        'Bonus note',
        'Bonus paid',
        'RETURNED',
        'APPROVED',
        'AWAITING REVIEW',
      ],
    },
    (w) => (wb = w),
  );

  it("messages a study's participants with the chosen submission statuses", async () => {
    const study = seed.studies.find((s) => s.id === SEED_IDS.studies.decisions)!;
    const expected = seed.submissions[study.id].filter((s) => s.status !== 'RETURNED').map((s) => s.participant_id);
    await wb.runCommand(t('Prolific: Message Study Participants…'));
    await wb.pickQuickItem(study.name, t('Message Study Participants (1/3): study'));
    // Every status starts ticked; untick RETURNED, then OK; then OK on the reviewed list.
    await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'RETURNED' }).click();
    await wb.page.locator('.quick-input-widget', { hasText: '2 Selected' }).waitFor();
    await wb.acceptQuickPick();
    await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: expected[0] }).first().waitFor();
    await wb.acceptQuickPick();
    const form = await wb.composeForm('panel');
    await form.locator('#audience', { hasText: t('{0} participants', expected.length) }).waitFor();
    assert.equal(await studyIdIn(form), study.id, 'the study is filled in');
    await fillField(form.locator('[name="body"]'), 'Your submission is being reviewed.');
    await send(form);
    await wb.waitForNotification(tPattern('Message sent to {0} participants.', expected.length));
    const [post] = wb.fake.requests.filter((r) => r.method === 'POST');
    assert.deepEqual([...(post.body as { ids: string[] }).ids].sort(), [...expected].sort());
  });

  it('offers submissions without a status under "(no status)", and sends to them like the rest', async () => {
    const study = seed.studies.find((s) => s.id === SEED_IDS.studies.memory)!;
    const everyone = seed.submissions[study.id].map((s) => s.participant_id);
    const sparse = seed.submissions[study.id].find((s) => s.status === null)!;
    await wb.runCommand(t('Prolific: Message Study Participants…'));
    await wb.pickQuickItem(study.name, t('Message Study Participants (1/3): study'));
    const noStatus = wb.page.locator('.quick-input-list .monaco-list-row', { hasText: t('(no status)') });
    await noStatus.filter({ hasText: t('1 participant') }).waitFor();
    await wb.acceptQuickPick();
    await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: sparse.participant_id }).waitFor();
    await wb.acceptQuickPick();
    const form = await wb.composeForm('panel');
    await form.locator('#audience', { hasText: t('{0} participants', everyone.length) }).waitFor();
    await fillField(form.locator('[name="body"]'), 'Thanks again for the memory study.');
    await send(form);
    await wb.waitForNotification(tPattern('Message sent to {0} participants.', everyone.length));
    const [post] = wb.fake.requests.filter((r) => r.method === 'POST');
    assert.deepEqual([...(post.body as { ids: string[] }).ids].sort(), [...everyone].sort());
  });

  it('messages a participant group', async () => {
    const group = seed.groups[0];
    await wb.runCommand(t('Prolific: Message Participant Group…'));
    await wb.pickQuickItem(group.name, t('Message Participant Group'));
    const form = await wb.composeForm('panel');
    await form.locator('#audience', { hasText: t('Participant group: {0}', group.name) }).waitFor();
    await fillField(form.locator('[name="study_id"]'), SEED_IDS.studies.reading);
    await fillField(form.locator('[name="body"]'), 'A new study for the group.');
    await send(form);
    await wb.waitForNotification(tPattern('Message sent to participant group {0}.', group.name));
    assert.deepEqual(
      wb.fake.requests.filter((r) => r.method === 'POST').map((r) => r.path),
      ['/api/v1/messages/participant-group/'],
    );
    assert.deepEqual(
      wb.fake
        .sent()
        .map((m) => m.recipient_id)
        .sort(),
      group.members.map((m) => m.participant_id).sort(),
    );
  });

  it('composes to every ID in a selection from the context menu, leaving out what is not an ID', async () => {
    await wb.runCommand('View: Close All Editors');
    await wb.openFile('follow-ups.txt');
    const text = wb.page.locator('.view-lines').first();
    await text.click();
    await wb.page.keyboard.press('Control+A');
    // A right-click inside the selection keeps it; the item names what was selected.
    await wb.chooseFromContextMenu(() => text.click({ button: 'right' }), t('Message These Participants'));
    const form = await wb.composeForm('panel');
    await form.locator('#audience', { hasText: t('{0} participants', 3) }).waitFor();
    await form.locator('#audience', { hasText: t('1 entry is not a participant ID and will be left out') }).waitFor();
    await form.locator('#audience', { hasText: t('1 duplicate removed') }).waitFor();
    await fillField(form.locator('[name="study_id"]'), SEED_IDS.studies.reading);
    await fillField(form.locator('[name="body"]'), 'Follow-up');
    await send(form);
    await wb.waitForNotification(tPattern('Message sent to {0} participants.', 3));
    assert.deepEqual(
      wb.fake.sent().map((m) => m.recipient_id),
      [participantId(300), participantId(301), participantId(302)],
    );
  });

  it('saves, inserts, renames and deletes a template', async () => {
    await wb.runCommand(t('Prolific: Send Message'));
    const form = await wb.composeForm('panel');
    await fillField(form.locator('[name="body"]'), 'Thanks! Your bonus is on its way.');
    await wb.runCommand(t('Prolific: Save Message as Template'));
    await wb.answerInputBox('Bonus note', t('Save Template'));
    await wb.waitForNotification(tPattern('Template "{0}" saved.', 'Bonus note'));

    await fillField(form.locator('[name="body"]'), '');
    await wb.runCommand(t('Prolific: Insert Template'));
    await wb.pickQuickItem('Bonus note', t('Insert Template'));
    await waitFor(
      'the template in the form',
      async () => ((await form.locator('[name="body"]').inputValue()) === 'Thanks! Your bonus is on its way.' ? true : undefined),
      10_000,
    );

    await wb.runCommand(t('Prolific: Manage Templates'));
    await wb.pickQuickItem('Bonus note', t('Manage Templates'));
    await wb.pickQuickItem(t('Rename…'), t('Template "{0}"', 'Bonus note'));
    await wb.answerInputBox('Bonus paid', t('Rename Template "{0}"', 'Bonus note'));
    await wb.waitForNotification(tPattern('Template "{0}" renamed to "{1}".', 'Bonus note', 'Bonus paid'));
    await wb.runCommand(t('Prolific: Manage Templates'));
    await wb.pickQuickItem('Bonus paid', t('Manage Templates'));
    await wb.pickQuickItem(t('Delete…'), t('Template "{0}"', 'Bonus paid'));
    await wb.answerDialog(t('Delete the template "{0}"?', 'Bonus paid'), t('Delete'));
    await wb.waitForNotification(tPattern('Template "{0}" deleted.', 'Bonus paid'));
    await wb.runCommand(t('Prolific: Insert Template'));
    await wb.waitForNotification(tPattern('You have no saved templates yet.'));
  });

  it('exports a sent message as CSV and clears the history', async () => {
    await wb.runCommand('View: Close All Editors'); // a webview taking focus back would close the pickers
    await wb.runCommand(t('Prolific: Export Sent Message…'));
    await wb.pickQuickItem('Follow-up', t('Sent History')); // the entry, from the selection test
    await wb.pickQuickItem('CSV', t('Export Sent Message'));
    // code-server's save dialog is a path box holding the suggested file in the workspace: accept it.
    const path = wb.page.locator('.quick-input-widget .quick-input-box input');
    await waitFor(
      'the save dialog with the suggested file',
      async () => (/\.csv$/.test(await path.inputValue().catch(() => '')) ? true : undefined),
      15_000,
    );
    await path.press('Enter');
    const exportedTo = tPattern('Exported {0} to {1}.', t('{0} recipients', 3), /(.+)/);
    const exported = await wb.waitForNotification(exportedTo);
    const where = new RegExp(`^${exportedTo.source}$`).exec(
      (await exported.locator('.notification-list-item-message').textContent()) ?? '',
    )?.[1];
    assert.ok(where, 'the notification names the file');
    const target = join(wb.workspace, where);
    await waitFor('the export file', () => (existsSync(target) ? true : undefined), 15_000);
    const lines = readFileSync(target, 'utf8').trim().split(/\r?\n/);
    assert.equal(lines[0], 'participant_id,status,reason');
    assert.deepEqual(
      lines.slice(1).map((l) => l.split(',').slice(0, 2).join(',')),
      [participantId(300), participantId(301), participantId(302)].map((id) => `${id},sent`),
    );

    await wb.runCommand(t('Prolific: Clear Sent History'));
    await wb.answerDialog(t('Clear the sent history? This cannot be undone.'), t('Clear'));
    await wb.runCommand(focusViewCommand('Sent'));
    await wb.page.locator('.welcome-view-content', { hasText: t(SENT_WELCOME).split('\n')[0] }).waitFor();
  });
});
