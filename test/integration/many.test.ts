// Sending to many participants through the real extension host against the fake Prolific API:
// bulk in chunks, personalized messages through rate limiting, groups, and "Retry Failed".
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ProlificClient } from '../../src/prolific/client';
import {
  connectToFake,
  fake,
  fakeToken,
  fakeUrl,
  type RecordedRequest,
  type SentMessage,
  type TestHandles,
} from '../support/extensionHost';

const hex = (n: number) => n.toString(16).padStart(24, '0');
const MESSAGES = '/api/v1/messages/';

describe('sending to many participants', () => {
  let handles: TestHandles;
  let studyId: string;
  const config = () => vscode.workspace.getConfiguration('prolific');

  before(async () => {
    handles = await connectToFake();
    // The confirmation dialog is modal; it is exercised in the UI tests.
    await config().update('bulkConfirmThreshold', 1_000_000, vscode.ConfigurationTarget.Global);
    studyId = (await handles.messages.listStudies()).studies[0].id;
  });

  after(async () => {
    await config().update('bulkConfirmThreshold', undefined, vscode.ConfigurationTarget.Global);
    await config().update('personalizedConcurrency', undefined, vscode.ConfigurationTarget.Global);
    handles.audiences.clear();
  });

  beforeEach(async () => {
    await fake('POST', 'reset');
    handles.audiences.clear();
  });

  it('sends 4,001 recipients as two bulk requests, in order, and records it', async () => {
    const ids = Array.from({ length: 4001 }, (_, i) => hex(i + 1));
    handles.audiences.set({ kind: 'list', source: 'test list', ids, invalid: [], duplicates: 0 });
    const result = await handles.messages.send({ recipient_id: '', study_id: studyId, body: 'Wave 3 opens tomorrow.' });
    assert.deepEqual(result, { ok: true });
    const posts = (await fake<RecordedRequest[]>('GET', 'requests')).filter((r) => r.method === 'POST');
    assert.deepEqual(
      posts.map((r) => r.path),
      ['/api/v1/messages/bulk/', '/api/v1/messages/bulk/'],
    );
    const chunks = posts.map((r) => (r.body as { ids: string[] }).ids);
    assert.deepEqual(
      chunks.map((c) => c.length),
      [4000, 1],
    );
    assert.deepEqual([...chunks[0], ...chunks[1]], ids, 'every id once, in order');
    assert.equal(handles.audiences.get().kind, 'single', 'the list is cleared after everyone got it');
    const [latest] = await handles.history.list();
    assert.equal(latest.kind, 'bulk');
    assert.deepEqual(latest.counts, { sent: 4001, failed: 0, skipped: 0, unknown: 0 });
  });

  it('personalizes each message through a storm of 429s, messaging everyone exactly once', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => hex(1000 + i));
    const rows = ids.map((id, i) => ({ participant_id: id, name: `Person ${i}` }));
    handles.audiences.set({
      kind: 'list',
      source: 'people.csv',
      ids,
      invalid: [],
      duplicates: 0,
      rows: () => rows,
      columns: ['participant_id', 'name'],
    });
    await fake('POST', 'faults', { path: MESSAGES, method: 'POST', fault: { kind: 'rateLimit', retryAfterSeconds: 1 }, times: 6 });
    const result = await handles.messages.send({ recipient_id: '', study_id: studyId, body: 'Hello {{name}}, thank you.' });
    assert.deepEqual(result, { ok: true });
    const sent = await fake<SentMessage[]>('GET', 'sent');
    assert.deepEqual(sent.map((m) => m.recipient_id).sort(), [...ids].sort(), 'each participant exactly once');
    for (const m of sent) assert.equal(m.body, `Hello ${rows[ids.indexOf(m.recipient_id)].name}, thank you.`);
    const requests = (await fake<RecordedRequest[]>('GET', 'requests')).filter((r) => r.path === MESSAGES && r.method === 'POST');
    assert.equal(requests.length, 36, '30 deliveries and 6 throttled attempts');
  });

  it('refuses a personalized send whose placeholder matches no column, before any request', async () => {
    const ids = [hex(2000), hex(2001)];
    handles.audiences.set({
      kind: 'list',
      source: 'people.csv',
      ids,
      invalid: [],
      duplicates: 0,
      rows: () => ids.map((id) => ({ participant_id: id, name: 'A' })),
      columns: ['participant_id', 'name'],
    });
    const result = await handles.messages.send({ recipient_id: '', study_id: studyId, body: 'Hello {{nmae}}' });
    assert.equal(result.ok, false);
    assert.match(!result.ok ? (result.fieldErrors.body ?? '') : '', /nmae/);
    assert.equal((await fake<unknown[]>('GET', 'requests')).length, 0);
  });

  it('retries only the failures that prove the message was not delivered', async () => {
    await config().update('personalizedConcurrency', 1, vscode.ConfigurationTarget.Global);
    const ids = Array.from({ length: 6 }, (_, i) => hex(3000 + i));
    handles.audiences.set({
      kind: 'list',
      source: 'retry.csv',
      ids,
      invalid: [],
      duplicates: 0,
      rows: () => ids.map((id) => ({ participant_id: id, code: id.slice(-4) })),
      columns: ['participant_id', 'code'],
    });
    // In order: two refused (400: not delivered), one server error (500: may have been delivered).
    await fake('POST', 'faults', {
      path: MESSAGES,
      method: 'POST',
      fault: { kind: 'status', status: 400, body: { error: { status: 400, title: 'Bad Request', detail: 'study ID is invalid' } } },
      times: 2,
    });
    await fake('POST', 'faults', { path: MESSAGES, method: 'POST', fault: { kind: 'status', status: 500 }, times: 1 });
    const result = await handles.messages.send({ recipient_id: '', study_id: studyId, body: 'Your code: {{code}}' });
    assert.equal(result.ok, false);
    const entry = await handles.history.get((await handles.history.list())[0]?.id ?? '');
    assert.ok(entry);
    assert.deepEqual(entry.counts, { sent: 3, failed: 3, skipped: 0, unknown: 0 });
    const remaining = handles.audiences.get();
    assert.ok(remaining.kind === 'list');
    assert.deepEqual(remaining.ids, ids.slice(0, 2), 'the form keeps only those safe to send to again');

    await handles.lists.retryFailed(entry);
    const sent = await fake<SentMessage[]>('GET', 'sent');
    const counts = new Map<string, number>();
    for (const m of sent) counts.set(m.recipient_id, (counts.get(m.recipient_id) ?? 0) + 1);
    assert.deepEqual([...counts.keys()].sort(), [...ids.slice(0, 2), ...ids.slice(3)].sort(), 'the 500 one is not resent');
    assert.ok(
      [...counts.values()].every((n) => n === 1),
      'nobody twice',
    );
    assert.equal(
      sent.find((m) => m.recipient_id === ids[0])?.body,
      `Your code: ${ids[0].slice(-4)}`,
      'the retry sends the personalized text',
    );
  });

  it('sends to a participant group', async () => {
    const api = new ProlificClient({ baseUrl: new URL(fakeUrl()), token: fakeToken(), timeoutMs: 5_000, userAgent: 'test' });
    const [workspace] = await api.listWorkspaces();
    const [group] = await api.listParticipantGroups(workspace.id);
    handles.audiences.set({ kind: 'group', groupId: group.id, name: group.name, count: group.participant_count ?? null });
    const result = await handles.messages.send({ recipient_id: '', study_id: studyId, body: 'To the group' });
    assert.deepEqual(result, { ok: true });
    const posts = (await fake<RecordedRequest[]>('GET', 'requests')).filter((r) => r.method === 'POST');
    assert.deepEqual(
      posts.map((r) => [r.path, (r.body as { participant_group_id: string }).participant_group_id]),
      [['/api/v1/messages/participant-group/', group.id]],
    );
    assert.ok((await fake<SentMessage[]>('GET', 'sent')).length > 0);
  });
});
