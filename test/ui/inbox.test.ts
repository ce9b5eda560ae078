// Reading and answering participants in a real VS Code: the Inbox view, the unread count in
// the status bar, a thread whose bodies hold HTML (shown as text), and a reply.
import * as assert from 'node:assert/strict';
import { SEED_IDS, participantId } from '../fake-prolific/seed';
import { focusViewCommand, t, tPattern } from './locale';
import { fillField, useWorkbench, type Workbench } from './workbench';

const P46 = participantId(46);

describe('the inbox in VS Code', function () {
  let wb: Workbench;

  useWorkbench({}, { signIn: true, userText: ['Sorry about that: please try another browser.'] }, (w) => (wb = w));

  it('lists conversations and shows the unread count in the status bar', async () => {
    await wb.runCommand(focusViewCommand('Inbox'));
    const row = wb.page.locator('.pane-body .monaco-list-row', { hasText: P46 });
    await row.waitFor();
    assert.match((await row.getAttribute('aria-label')) ?? '', tPattern('Unread. Conversation with participant {0}. {1}', P46));
    const response = await fetch(`${wb.fake.url}/api/v1/messages/unread/`, { headers: { Authorization: `Token ${wb.fake.token}` } });
    const unread = ((await response.json()) as { results: unknown[] }).results.length;
    assert.ok(unread > 0);
    await wb.page
      .locator('.statusbar-item', { hasText: String(unread) })
      .filter({ has: wb.page.locator('.codicon-mail') })
      .first()
      .waitFor();
  });

  it("opens a thread with HTML in it as plain text, and replies with the thread's study", async () => {
    let dialogs = 0;
    wb.page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    await wb.page.locator('.pane-body .monaco-list-row', { hasText: P46 }).click();
    const thread = await wb.webviewFrame(`textarea[name="body"][aria-label="${t('Reply')}"]`);
    await thread.getByText('<img src=x onerror="alert(1)">', { exact: false }).first().waitFor();
    assert.equal(await thread.locator('img').count(), 0, 'no image element was created from the body');
    assert.equal(await thread.locator('b').count(), 0);
    assert.equal(dialogs, 0, 'no script in a message ran (alert would open a dialog)');

    await fillField(thread.locator('textarea[name="body"]'), 'Sorry about that: please try another browser.');
    await thread.getByRole('button', { name: t('Send'), exact: true }).click();
    await wb.waitForNotification(tPattern('Message sent to {0}.', P46));
    assert.deepEqual(
      wb.fake.sent().map((m) => [m.recipient_id, m.study_id, m.body]),
      [[P46, SEED_IDS.studies.decisions, 'Sorry about that: please try another browser.']],
    );
    assert.equal(await thread.locator('textarea[name="body"]').inputValue(), '');
  });

  it('shows a thread read here as read: the row is no longer unread and the status bar counts it no more', async () => {
    // The thread was opened by the test before. Prolific itself still counts it unread (no mark-as-read endpoint).
    const response = await fetch(`${wb.fake.url}/api/v1/messages/unread/`, { headers: { Authorization: `Token ${wb.fake.token}` } });
    const senders = ((await response.json()) as { results: { sender?: string; sender_id?: string }[] }).results.map(
      (m) => m.sender ?? m.sender_id,
    );
    const left = senders.filter((s) => s !== P46).length;
    assert.ok(left > 0 && left < senders.length, `P46 and others have unread messages on Prolific (${senders.length})`);
    const row = wb.page.locator('.pane-body .monaco-list-row', { hasText: P46 });
    await row.and(wb.page.locator(`[aria-label^="${t('Conversation with participant {0}. {1}', P46, '')}"]`)).waitFor();
    const label = left === 1 ? t('1 unread Prolific message') : t('{0} unread Prolific messages', left);
    await wb.page.locator(`.statusbar-item [aria-label="${label}"], .statusbar-item[aria-label="${label}"]`).first().waitFor();
  });

  it('leaves the token in no page, file or log', async () => {
    for (const frame of wb.page.frames()) {
      if (!frame.isDetached()) assert.ok(!(await frame.content().catch(() => '')).includes(wb.fake.token), `token in ${frame.url()}`);
    }
    assert.deepEqual(wb.filesContaining(wb.fake.token), []);
  });
});
