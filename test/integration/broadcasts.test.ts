// A list with a subject goes out as one broadcast (docs/prolific-api/messages.md § 6), through the
// message service against the fake: its ID is chosen and journaled before the first attempt, an
// attempt that may have reached Prolific is sent again with that ID (never another), and
// Prolific's refusals become sentences that name the participants or the cap.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { HistoryStore } from '../../src/features/history/historyStore';
import { ListSender } from '../../src/features/send/listSender';
import { ProlificClient } from '../../src/prolific/client';
import type { Draft } from '../../src/shared/draft';
import {
  connectToFake,
  fake,
  fakeToken,
  fakeUrl,
  type RecordedRequest,
  type SentMessage,
  type TestHandles,
} from '../support/extensionHost';

const BROADCASTS = '/api/v1/broadcasts/';
const outsider = (n: number) => (0xbad000 + n).toString(16).padStart(24, '0');

describe('broadcasts from the message service', function () {
  this.timeout(60_000);
  let handles: TestHandles;
  let api: ProlificClient;
  let studyId: string;
  let submitters: string[];
  const config = () => vscode.workspace.getConfiguration('prolific');

  const draftFor = (body: string): Draft => ({ recipient_id: '', study_id: studyId, subject: 'Wave 2 is open', topic: 'other', body });
  const toList = (ids: string[]) => handles.audiences.set({ kind: 'list', source: 'broadcast test', ids, invalid: [], duplicates: 0 });
  const posts = async () => (await fake<RecordedRequest[]>('GET', 'requests')).filter((r) => r.method === 'POST' && r.path === BROADCASTS);
  const timesEach = (sent: SentMessage[]) =>
    new Set([...sent.reduce((m, s) => m.set(s.recipient_id, (m.get(s.recipient_id) ?? 0) + 1), new Map<string, number>()).values()]);

  before(async () => {
    handles = await connectToFake();
    await config().update('bulkConfirmThreshold', 1_000_000, vscode.ConfigurationTarget.Global);
    studyId = (await handles.messages.listStudies()).studies[0].id;
    api = new ProlificClient({ baseUrl: new URL(fakeUrl()), token: fakeToken(), timeoutMs: 5_000, userAgent: 'broadcast-test' });
    submitters = [...new Set((await api.listSubmissions(studyId)).map((s) => s.participant_id).filter((id): id is string => !!id))].slice(
      0,
      30,
    );
    assert.equal(submitters.length, 30, 'the first study has 30 participants with a submission');
    assert.deepEqual(await handles.messages.features(), { subjects: true, broadcasts: true });
  });

  beforeEach(async () => {
    await fake('POST', 'reset');
    handles.audiences.clear();
  });

  after(async () => {
    await config().update('bulkConfirmThreshold', undefined, vscode.ConfigurationTarget.Global);
    handles.audiences.clear();
    await handles.drafts.update({ recipient_id: '', study_id: '', subject: '', topic: '', body: '' });
  });

  it('sends one broadcast, journaled with its ID, and reads its recipient and reply counts', async () => {
    const draft = draftFor('Broadcast: the second wave is open.');
    await handles.drafts.update(draft);
    toList(submitters);
    assert.deepEqual(await handles.messages.send(draft), { ok: true });
    const [post, ...more] = await posts();
    assert.equal(more.length, 0, 'one request');
    const body = post.body as { id: string; recipient_ids: string[]; subject: string; topic: string };
    assert.deepEqual([body.subject, body.topic, body.recipient_ids], ['Wave 2 is open', 'other', submitters]);
    const sent = await fake<SentMessage[]>('GET', 'sent');
    assert.equal(sent.length, 30);
    assert.ok(sent.every((m) => m.via === 'broadcast' && m.conversation_id));
    const [run] = await handles.history.list();
    assert.deepEqual([run.kind, run.broadcast], ['broadcast', { id: body.id, subject: 'Wave 2 is open' }], 'the history keeps its ID');
    assert.equal((await handles.history.get(run.id))?.broadcastRecipients, 30, "the report keeps Prolific's recipient count");
    assert.deepEqual(handles.drafts.get(), { recipient_id: '', study_id: studyId, body: '' }, 'subject and topic gone with the message');

    const conversation = sent.find((m) => m.recipient_id === submitters[4])?.conversation_id;
    await fake('POST', 'replies', { from: submitters[4], body: 'Thanks!', conversation_id: conversation });
    assert.deepEqual(await handles.messages.broadcastCounts(body.id), { recipients: 30, replied: 1 });
  });

  it('sends the same ID again when no answer said whether it was made, and Retry ends with everyone messaged once', async () => {
    const draft = draftFor('Broadcast: answers lost on the way.');
    await handles.drafts.update(draft);
    toList(submitters);
    // Prolific makes it, but no answer ever arrives: every attempt is cut after it was processed.
    await fake('POST', 'faults', { path: BROADCASTS, method: 'POST', fault: { kind: 'resetAfterProcessing' }, times: 4 });
    const result = await handles.messages.send(draft);
    assert.equal(result.ok, false);
    assert.match(
      !result.ok ? result.message : '',
      /^Unknown whether the broadcast was sent: .* Retry sends it with the same broadcast ID, so nobody gets it twice\.$/,
    );
    assert.equal(new Set((await posts()).map((r) => (r.body as { id: string }).id)).size, 1, 'four attempts, one ID');
    assert.equal((await posts()).length, 4);
    assert.deepEqual(timesEach(await fake<SentMessage[]>('GET', 'sent')), new Set([1]), 'made once');
    assert.deepEqual(handles.drafts.get(), draft, 'the draft is kept');

    const [run] = await handles.history.list();
    const entry = await handles.history.get(run.id);
    assert.ok(entry);
    assert.equal(entry.retryable, 30, 'Retry Failed offers everyone: the same ID cannot deliver twice');
    await handles.lists.retryFailed(entry);
    const ids = new Set((await posts()).map((r) => (r.body as { id: string }).id));
    assert.equal(ids.size, 1, 'the retry sent the same ID');
    const sent = await fake<SentMessage[]>('GET', 'sent');
    assert.equal(sent.length, 30);
    assert.deepEqual(timesEach(sent), new Set([1]), 'nobody twice');
    const [retry] = await handles.history.list();
    assert.deepEqual([retry.counts.sent, retry.broadcast?.id], [30, [...ids][0]]);
  });

  it('names the participants without a submission, and sends nothing', async () => {
    const draft = draftFor('Broadcast: two outsiders.');
    await handles.drafts.update(draft);
    toList([...submitters.slice(0, 3), outsider(1), outsider(2)]);
    const result = await handles.messages.send(draft);
    assert.equal(result.ok, false);
    assert.equal(
      !result.ok && result.message,
      `Broadcast not sent. Prolific broadcasts only to participants with a submission in this study, and 2 on the list have none: ${outsider(1)}, ${outsider(2)}. Remove them from the list, or clear the subject to send a plain bulk message.`,
    );
    assert.deepEqual(await fake<SentMessage[]>('GET', 'sent'), []);
    const audience = handles.audiences.get();
    assert.equal(audience.kind === 'list' && audience.ids.length, 5, 'the form keeps the list: nothing was sent');
  });

  it('says the cap when the list is over it', async () => {
    const draft = draftFor('Broadcast: too many.');
    await handles.drafts.update(draft);
    toList(Array.from({ length: 4001 }, (_, n) => outsider(n)));
    const result = await handles.messages.send(draft);
    assert.equal(
      !result.ok && result.message,
      'Broadcast not sent. Prolific sends a broadcast to at most 4000 participants, and this list has 4001. Split the list, or clear the subject to send a plain bulk message.',
    );
    assert.deepEqual(await fake<SentMessage[]>('GET', 'sent'), []);
  });

  it('refuses a subject for a group, and placeholders in a broadcast, by field', async () => {
    handles.audiences.set({ kind: 'group', groupId: outsider(9), name: 'Pilot', count: 3 });
    const toGroup = await handles.messages.send(draftFor('Hello group'));
    assert.match(!toGroup.ok ? (toGroup.fieldErrors.subject ?? '') : '', /participant group gets a plain message/);
    toList(submitters.slice(0, 2));
    const templated = await handles.messages.send(draftFor('Hello {{name}}'));
    assert.match(!templated.ok ? (templated.fieldErrors.body ?? '') : '', /cannot be filled in for a broadcast/);
    assert.equal((await posts()).length, 0);
  });

  it('resumes a broadcast VS Code died sending with its journaled ID: Prolific had made it, nobody gets it twice', async () => {
    // The broadcast reached Prolific; the window that sent it died before the answer was written.
    const ids = submitters.slice(0, 12);
    const broadcast = { id: 'died-mid-send', subject: 'Wave 2 is open', topic: 'other' };
    const body = 'Broadcast: sent as VS Code died.';
    await api.conversations.broadcast({ ...broadcast, study_id: studyId, body, recipient_ids: ids });
    const dir = mkdtempSync(join(tmpdir(), 'prolific-broadcast-resume-'));
    const log = vscode.window.createOutputChannel('Prolific broadcast test', { log: true });
    try {
      mkdirSync(join(dir, 'history', 'runs'), { recursive: true });
      const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
      const owner = { pid: Number(dead.stdout), host: hostname() };
      const header = {
        t: 'run',
        id: 'r-b',
        time: new Date().toISOString(),
        kind: 'broadcast',
        studyId,
        body,
        recipientCount: ids.length,
        broadcast,
        owner,
      };
      const lines = [header, { t: 'plan', ids }, { t: 'try', ids }];
      writeFileSync(join(dir, 'history', 'runs', 'r-b.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
      writeFileSync(join(dir, 'history', 'index.json'), '{ rebuilt from the run files'); // as the dead window left it
      const store = new HistoryStore(dir, () => 10);
      const [run] = await store.list();
      assert.equal(run?.interrupted, true, 'the run is interrupted');
      assert.equal((await store.interruptedPlan('r-b'))?.items.length, ids.length, 'a broadcast may be resumed to all who may have it');

      await new ListSender(handles.audiences, store, async () => api, log).resume('r-b');
      const resent = await posts();
      assert.equal(resent.length, 2, 'the first attempt and the Resume');
      assert.deepEqual(
        resent.map((r) => (r.body as { id: string }).id),
        ['died-mid-send', 'died-mid-send'],
        'the Resume sent the journaled ID',
      );
      const sent = await fake<SentMessage[]>('GET', 'sent');
      assert.equal(sent.length, ids.length);
      assert.deepEqual(timesEach(sent), new Set([1]), 'nobody twice');
      const entry = await store.get('r-b');
      assert.deepEqual([entry?.counts.sent, entry?.interrupted ?? false], [ids.length, false], 'the run now says everyone has it');
      store.dispose();
    } finally {
      log.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
