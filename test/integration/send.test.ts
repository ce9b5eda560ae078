// The message service and commands against the fake Prolific API, inside the extension host.
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { DraftStore } from '../../src/features/compose/draftStore';
import { readSettings } from '../../src/host/settings';
import { connectToFake, fake, fakeToken, fakeUrl, type SentMessage, type TestHandles } from '../support/extensionHost';

const RECIPIENT = '5f8d0c3e4b2a1c0012345678';

describe('sending a message', () => {
  let handles: TestHandles;
  let studyId: string;

  before(async () => {
    handles = await connectToFake();
    const { studies } = await handles.messages.listStudies();
    assert.ok(studies.length > 0, 'the fake lists studies');
    studyId = studies[0].id;
  });

  beforeEach(async () => {
    await fake('POST', 'reset');
    await handles.drafts.update({ recipient_id: '', study_id: '', body: '' });
  });

  it('posts once and clears the draft after success', async () => {
    const draft = { recipient_id: RECIPIENT, study_id: studyId, body: 'Thank you for taking part.' };
    await handles.drafts.update(draft);
    const result = await handles.messages.send(draft);
    assert.deepEqual(result, { ok: true });
    const sent = await fake<SentMessage[]>('GET', 'sent');
    assert.deepEqual(
      sent.map((m) => [m.recipient_id, m.study_id, m.body]),
      [[RECIPIENT, studyId, 'Thank you for taking part.']],
    );
    assert.deepEqual(handles.drafts.get(), { recipient_id: '', study_id: studyId, body: '' });
  });

  it('identifies itself and authenticates as Prolific expects', async () => {
    await handles.messages.send({ recipient_id: RECIPIENT, study_id: studyId, body: 'Headers' });
    const [request] = await fake<{ headers: Record<string, string>; body: unknown }[]>('GET', 'requests');
    assert.match(request.headers['user-agent'], /^prolific-messenger\/\d+\.\d+\.\d+ /);
    assert.equal(request.headers.authorization, `Token ${fakeToken()}`);
    assert.deepEqual(request.body, { recipient_id: RECIPIENT, body: 'Headers', study_id: studyId });
  });

  it('gives up after prolific.requestTimeoutSeconds and says so', async () => {
    const config = vscode.workspace.getConfiguration('prolific');
    await config.update('requestTimeoutSeconds', 1, vscode.ConfigurationTarget.Global);
    try {
      await fake('POST', 'faults', { path: '/api/v1/messages/', method: 'POST', fault: { kind: 'delay', ms: 2_500 }, times: 1 });
      const result = await handles.messages.send({ recipient_id: RECIPIENT, study_id: studyId, body: 'Slow' });
      assert.equal(result.ok, false);
      assert.match(!result.ok ? result.message : '', /did not answer within 1 second/);
      // The server got it and answers late: the message may well be delivered, which is why
      // it is never resent by itself. Wait for that so later tests start from a quiet server.
      await waitForSent(1);
      assert.equal((await fake<unknown[]>('GET', 'requests')).length, 1);
    } finally {
      await config.update('requestTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('starts a draft with prolific.defaultStudyId until a study is used in the workspace', async () => {
    const config = vscode.workspace.getConfiguration('prolific');
    await config.update('defaultStudyId', 'abcdefabcdefabcdefabcdef', vscode.ConfigurationTarget.Global);
    try {
      // A store over an empty workspace memento: no study used yet.
      const values = new Map<string, unknown>();
      const memento = {
        keys: () => [...values.keys()],
        get: (k: string) => values.get(k),
        update: async (k: string, v: unknown) => void values.set(k, v),
      } as vscode.Memento;
      const store = new DraftStore(memento, () => readSettings().defaultStudyId);
      assert.equal(store.get().study_id, 'abcdefabcdefabcdefabcdef');
      await store.clearSent({ recipient_id: RECIPIENT, study_id: studyId, body: 'x' });
      assert.equal(store.get().study_id, studyId, 'the study last used in the workspace wins');
      store.dispose();
    } finally {
      await config.update('defaultStudyId', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('refuses a plain-http base URL to a non-loopback host, naming the setting, with no request', async () => {
    const config = vscode.workspace.getConfiguration('prolific');
    await config.update('apiBaseUrl', 'http://api.example.com', vscode.ConfigurationTarget.Global);
    try {
      const result = await handles.messages.send({ recipient_id: RECIPIENT, study_id: studyId, body: 'Not over http' });
      assert.equal(result.ok, false);
      assert.match(!result.ok ? result.message : '', /prolific\.apiBaseUrl.*https/);
      assert.equal((await fake<unknown[]>('GET', 'requests')).length, 0);
    } finally {
      await config.update('apiBaseUrl', fakeUrl(), vscode.ConfigurationTarget.Global);
    }
  });

  it('makes no request for an invalid recipient and names the field', async () => {
    const result = await handles.messages.send({ recipient_id: 'not-an-id', study_id: studyId, body: 'Hi' });
    assert.equal(result.ok, false);
    assert.ok(!result.ok && result.fieldErrors.recipient_id);
    assert.match(!result.ok ? result.message : '', /Participant ID/);
    assert.equal((await fake<unknown[]>('GET', 'requests')).length, 0);
  });

  it('keeps the draft and does not resend when the server fails', async () => {
    const draft = { recipient_id: RECIPIENT, study_id: studyId, body: 'Second reminder' };
    await handles.drafts.update(draft);
    await fake('POST', 'faults', { path: '/api/v1/messages/', method: 'POST', fault: { kind: 'status', status: 500 }, times: 1 });
    const result = await handles.messages.send(draft);
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.message : '', /500/);
    assert.equal((await fake<unknown[]>('GET', 'requests')).length, 1, 'exactly one request: no automatic retry');
    assert.deepEqual(handles.drafts.get(), draft);
    assert.deepEqual(await handles.messages.send(draft), { ok: true });
    assert.equal((await fake<SentMessage[]>('GET', 'sent')).length, 1);
  });

  it('reports field errors from the server by field', async () => {
    const result = await handles.messages.send({ recipient_id: RECIPIENT, study_id: 'ffffffffffffffffffffffff', body: 'Hi' });
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.message : '', /study/i);
  });

  it('sends once when the same message is sent twice at once', async () => {
    const draft = { recipient_id: RECIPIENT, study_id: studyId, body: 'Double click' };
    const results = await Promise.all([handles.messages.send(draft), handles.messages.send(draft)]);
    assert.equal(results.filter((r) => r.ok).length, 1);
    assert.equal((await fake<SentMessage[]>('GET', 'sent')).length, 1);
  });

  it('tells the user the token was rejected on 401', async () => {
    await handles.tokens.set('not-the-right-token');
    try {
      const result = await handles.messages.send({ recipient_id: RECIPIENT, study_id: studyId, body: 'Hi' });
      assert.equal(result.ok, false);
      assert.match(!result.ok ? result.message : '', /API token/);
      assert.doesNotMatch(!result.ok ? result.message : '', /not-the-right-token/);
    } finally {
      await handles.tokens.set(fakeToken());
    }
  });

  it('ignores a workspace settings file that points the base URL elsewhere', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder, 'the suite runs with a workspace folder');
    mkdirSync(join(folder, '.vscode'), { recursive: true });
    writeFileSync(
      join(folder, '.vscode', 'settings.json'),
      JSON.stringify({ 'prolific.apiBaseUrl': 'http://127.0.0.1:9', 'prolific.requestTimeoutSeconds': 29 }),
    );
    // The window-scoped timeout in the same file shows when VS Code has read it.
    await waitForWorkspaceTimeout(29);
    const result = await handles.messages.send({ recipient_id: RECIPIENT, study_id: studyId, body: 'Still to the right server' });
    assert.deepEqual(result, { ok: true });
    assert.equal((await fake<SentMessage[]>('GET', 'sent')).length, 1);
  });

  it('prefills the recipient from the word under the cursor', async () => {
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const editor = await vscode.window.showTextDocument(vscode.Uri.joinPath(folder, 'participants.csv'));
    const position = new vscode.Position(1, 5);
    editor.selection = new vscode.Selection(position, position);
    await vscode.commands.executeCommand('prolific.sendMessage');
    assert.equal(handles.drafts.get().recipient_id, RECIPIENT);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});

async function waitForSent(count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await fake<SentMessage[]>('GET', 'sent')).length < count) {
    assert.ok(Date.now() < deadline, `the fake did not record ${count} sent message(s) within 10 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until VS Code has read the workspace settings file (it watches the file). */
async function waitForWorkspaceTimeout(expected: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (vscode.workspace.getConfiguration('prolific').inspect('requestTimeoutSeconds')?.workspaceValue !== expected) {
    assert.ok(Date.now() < deadline, 'VS Code did not read .vscode/settings.json within 15 s');
    await new Promise((r) => setTimeout(r, 50));
  }
}
