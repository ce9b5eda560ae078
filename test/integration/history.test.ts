// The Sent history on the real file system of the extension host: the size cap, a damaged
// file, opening an entry, and no token anywhere in it.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { HistoryStore } from '../../src/features/history/historyStore';
import { activate, type TestHandles } from '../support/extensionHost';

const entry = (n: number) => ({
  kind: 'single' as const,
  studyId: 'abcdefabcdefabcdefabcdef',
  body: `Message number ${n}\nsecond line`,
  recipientCount: 1,
  outcomes: [{ id: n.toString(16).padStart(24, '0'), status: 'sent' as const }],
  counts: { sent: 1, failed: 0, skipped: 0 },
  cancelled: false,
});

describe('sent history', () => {
  let dir: string;
  let handles: TestHandles;

  before(async () => (handles = await activate()));
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'prolific-history-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the newest entries up to the cap, newest first', async () => {
    const store = new HistoryStore(vscode.Uri.file(dir), () => 3);
    for (let n = 1; n <= 5; n++) await store.add(entry(n));
    assert.deepEqual(
      (await store.list()).map((e) => e.body.split('\n')[0]),
      ['Message number 5', 'Message number 4', 'Message number 3'],
    );
    const reread = new HistoryStore(vscode.Uri.file(dir), () => 3);
    assert.equal((await reread.list()).length, 3, 'kept on disk');
    store.dispose();
    reread.dispose();
  });

  it('sets a damaged file aside, says so, and starts afresh', async () => {
    writeFileSync(join(dir, 'history.json'), '{"entries": [ this is not json');
    const told: string[] = [];
    const store = new HistoryStore(
      vscode.Uri.file(dir),
      () => 10,
      (m) => told.push(m),
    );
    assert.deepEqual(await store.list(), []);
    await store.add(entry(1));
    assert.equal(told.length, 1);
    assert.match(told[0], /history\.corrupt-/);
    assert.ok(
      readdirSync(dir).some((f) => f.startsWith('history.corrupt-')),
      'the damaged file is kept for the user',
    );
    store.dispose();
  });

  it('opens an entry whole, read-only', async () => {
    const saved = await handles.history.add(entry(42));
    await vscode.commands.executeCommand('prolific.history.open', saved.id);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    assert.equal(editor.document.uri.scheme, 'prolific-sent');
    assert.match(editor.document.getText(), /Message number 42\nsecond line/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
