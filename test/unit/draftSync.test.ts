// The compose page's side of the draft protocol (src/webviews/apps/compose/draftSync.ts): the
// page reports only what the user edited, numbers its draft messages, and keeps the user's typing
// when the host's change is older than it.
import assert from 'node:assert/strict';
import { createDraftSync, REPORT_DELAY_MS } from '../../src/webviews/apps/compose/draftSync';
import type { Draft, DraftField, PageMessage } from '../../src/webviews/compose/protocol';

function page(shown: Draft = { recipient_id: '', study_id: '', body: '' }) {
  const posted: Extract<PageMessage, { type: 'draftChanged' }>[] = [];
  const sync = createDraftSync(
    (f: DraftField) => shown[f] ?? '',
    (m) => posted.push(m),
  );
  return { shown, posted, sync };
}

describe('compose page: draft sync', () => {
  it('reports only the edited fields, with increasing seq, and nothing when nothing changed', () => {
    const { shown, posted, sync } = page();
    sync.reportNow();
    assert.equal(posted.length, 0);
    shown.body = 'Hi';
    sync.markEdited('body');
    sync.reportNow();
    shown.study_id = 's';
    sync.markEdited('study_id', 'study_id');
    sync.reportNow();
    sync.reportNow();
    assert.deepEqual(posted, [
      { type: 'draftChanged', seq: 1, changes: { body: 'Hi' } },
      { type: 'draftChanged', seq: 2, changes: { study_id: 's' } },
    ]);
  });

  it('applies the host’s change only to fields the host had seen the user’s last edit of', () => {
    const { shown, sync } = page();
    const host = { recipient_id: 'r', study_id: 'h', body: 'host' };
    shown.body = 'typed';
    sync.markEdited('body');
    // Not yet reported: the user is typing in it, so the host's value is older.
    assert.deepEqual(sync.newerThanUser(host, 0), { recipient_id: 'r', study_id: 'h' });
    sync.reportNow(); // seq 1 carries the body
    assert.deepEqual(sync.newerThanUser(host, 0), { recipient_id: 'r', study_id: 'h' }, 'made before the host had applied seq 1');
    assert.deepEqual(sync.newerThanUser(host, 1), host, 'made after');
    assert.deepEqual(sync.newerThanUser({ body: 'b' }, 1), { body: 'b' }, 'only the fields the host changed');
  });

  it('counts a send as carrying every field', () => {
    const { posted, sync } = page();
    sync.markEdited('body');
    sync.reportNow(); // seq 1
    assert.equal(sync.sendSeq(), 2);
    assert.deepEqual(sync.newerThanUser({ recipient_id: 'r', study_id: 's', body: 'b' }, 1), {});
    assert.deepEqual(sync.newerThanUser({ recipient_id: 'r' }, 2), { recipient_id: 'r' });
    sync.markEdited('study_id');
    sync.reportNow();
    assert.equal(posted.at(-1)?.seq, 3, 'draftChanged and send share one counter');
  });

  it('reports a scheduled edit once, after the delay, and not again when reported earlier', async () => {
    const { shown, posted, sync } = page();
    shown.body = 'a';
    sync.markEdited('body');
    sync.scheduleReport();
    sync.scheduleReport(); // a second keystroke restarts the wait
    assert.equal(posted.length, 0);
    await new Promise((resolve) => setTimeout(resolve, REPORT_DELAY_MS + 50));
    assert.deepEqual(posted, [{ type: 'draftChanged', seq: 1, changes: { body: 'a' } }]);

    shown.body = 'ab';
    sync.markEdited('body');
    sync.scheduleReport();
    sync.reportNow(); // e.g. the page lost focus
    await new Promise((resolve) => setTimeout(resolve, REPORT_DELAY_MS + 50));
    assert.deepEqual(
      posted.map((m) => m.changes.body),
      ['a', 'ab'],
    );
  });
});
