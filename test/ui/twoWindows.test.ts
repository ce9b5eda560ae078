// Two VS Code windows of one profile, each with its own extension host, send at the same time.
// Both runs land in the one Sent history, and each window lists both.
import * as assert from 'node:assert/strict';
import type { Frame } from 'playwright-core';
import { SEED_IDS, participantId } from '../fake-prolific/seed';
import { focusViewCommand, t, tPattern } from './locale';
import { fillField, useWorkbench, type Workbench } from './workbench';

const STUDY = SEED_IDS.studies.reading;
const people = (from: number) => Array.from({ length: 12 }, (_, i) => ({ id: participantId(from + i), code: `W${from + i}` }));
const [A, B] = [people(900), people(950)];
const csv = (list: { id: string; code: string }[]) => ['participant_id,code', ...list.map((p) => `${p.id},${p.code}`)].join('\n') + '\n';
const TEXT = { a: 'Window A says: your code is {{code}}.', b: 'Window B says: your code is {{code}}.' };

describe('two windows sending at once', function () {
  let wb: Workbench;
  useWorkbench(
    { 'a.csv': csv(A), 'b.csv': csv(B) },
    { signIn: true, userText: ['a.csv', 'b.csv', 'participant_id', TEXT.a, TEXT.b] },
    (w) => (wb = w),
  );

  async function compose(window: Workbench, file: string, text: string): Promise<Frame> {
    await window.runCommand('View: Close All Editors');
    await window.openFile(file);
    await window.runCommand(t('Prolific: Message Participants in This File'));
    await window.page.locator('.quick-input-list .monaco-list-row', { hasText: 'participant_id' }).first().waitFor();
    await window.page.keyboard.press('Enter');
    const form = await window.composeForm('panel');
    await form.locator('#audience', { hasText: t('{0} participants', 12) }).waitFor();
    await fillField(form.locator('[name="study_id"]'), STUDY);
    await fillField(form.locator('[name="body"]'), text);
    return form;
  }

  it('records both runs in the one history, losing neither', async () => {
    const second = await wb.openSecondWindow();
    try {
      await second.runCommand(t('Prolific: Set API Token'));
      await second.answerInputBox(wb.fake.token);
      await second.waitForNotification(tPattern('Prolific API token saved. Signed in as {0} ({1}).'));
      const formA = await compose(wb, 'a.csv', TEXT.a);
      const formB = await compose(second, 'b.csv', TEXT.b);
      // Slow answers, so that each run is still going while the other starts.
      wb.fake.inject({ path: '/api/v1/messages/', method: 'POST', fault: { kind: 'delay', ms: 800 } });
      await formA.getByRole('button', { name: t('Send'), exact: true }).click();
      await formB.getByRole('button', { name: t('Send'), exact: true }).click();
      const done = tPattern('Personalized messages sent to {0} participants.', 12);
      await wb.waitForNotification(done, 60_000);
      await second.waitForNotification(done, 60_000);

      const posts = wb.fake.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/messages/');
      const times = (window: string) => posts.filter((r) => r.rawBody.includes(`Window ${window} says`)).map((r) => r.time);
      assert.ok(Math.min(...times('B')) < Math.max(...times('A')), 'the two runs overlapped');
      const received = wb.fake.sent().map((m) => m.recipient_id);
      assert.deepEqual([...received].sort(), [...A, ...B].map((p) => p.id).sort(), 'everyone once');

      // Each window's Sent view lists both runs: one history, written by two extension hosts.
      for (const window of [wb, second]) {
        await window.page.bringToFront(); // a person clicks into a window before working in it
        await window.runCommand(focusViewCommand('Sent'));
        const pane = window.page.locator('.pane', { has: window.page.locator('.pane-header', { hasText: new RegExp(`^${t('Sent')}`) }) });
        const rows = pane.locator('.monaco-list-row[aria-label]');
        await rows.filter({ hasText: 'Window A says' }).first().waitFor();
        await rows.filter({ hasText: 'Window B says' }).first().waitFor();
      }
    } catch (error) {
      console.log(`    second window: ${await second.screenshot('two windows - the second window')}`);
      throw error;
    } finally {
      await second.page.context().close();
      await wb.page.bringToFront(); // the first window has the focus again, as on a desktop
    }
  });
});
