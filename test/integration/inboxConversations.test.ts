// The inbox where Prolific has conversations (docs/prolific-api/messages.md § 6), against the
// fake: the rows are Prolific's conversations, read through every cursor page, with their
// subjects; a conversation's thread comes from /conversations/{id}/messages/ and a reply goes into
// it; and the local cache keeps what either mode fetched when the window is in the other.
import * as assert from 'node:assert/strict';
import { ProlificClient } from '../../src/prolific/client';
import { SEED_IDS } from '../fake-prolific/seed';
import {
  connectToFake,
  fake,
  fakeToken,
  fakeUrl,
  storeFakeToken,
  type RecordedRequest,
  type SentMessage,
  type TestHandles,
} from '../support/extensionHost';

const LIST = '/api/v1/conversations/';

describe('inbox by conversation', function () {
  this.timeout(60_000);
  let handles: TestHandles;
  let api: ProlificClient;

  async function signInAgain(): Promise<void> {
    await handles.tokens.clear();
    await storeFakeToken(handles);
  }

  /** A broadcast to every participant with a submission in the study, made straight through the API. */
  async function broadcastTo(studyId: string, subject: string): Promise<string[]> {
    const ids = [...new Set((await api.listSubmissions(studyId)).map((s) => s.participant_id).filter((id): id is string => !!id))];
    await api.conversations.broadcast({
      id: `inbox-${studyId}`,
      study_id: studyId,
      subject,
      topic: 'other',
      body: `${subject}: details inside.`,
      recipient_ids: ids,
    });
    return ids;
  }

  before(async () => {
    handles = await connectToFake();
    api = new ProlificClient({ baseUrl: new URL(fakeUrl()), token: fakeToken(), timeoutMs: 5_000, userAgent: 'inbox-conversations' });
  });

  beforeEach(() => fake('POST', 'reset'));

  after(async () => {
    await fake('POST', 'conversations', { enabled: true });
    await signInAgain();
  });

  it('lists every conversation through every cursor page, with its subject, and opens and answers one', async () => {
    const reading = await broadcastTo(SEED_IDS.studies.reading, 'Reading study: a follow-up');
    await broadcastTo(SEED_IDS.studies.sleepWave1, 'Sleep study: wave 2');
    const everyone: unknown[] = [];
    // Pages of 50 here, so the extension's own (100) are told apart in the fake's log.
    for (let url: string | null = `${fakeUrl()}${LIST}?limit=50`; url;) {
      const page = (await (await fetch(url, { headers: { Authorization: `Token ${fakeToken()}` } })).json()) as {
        next: string | null;
        results: unknown[];
      };
      everyone.push(...page.results);
      url = page.next;
    }
    assert.ok(everyone.length > 100, `more than one page of 100 (${everyone.length})`);

    const state = await handles.inbox.refresh();
    assert.equal(state.conversations.length, everyone.length, 'a row for every conversation');
    const pages = (await fake<RecordedRequest[]>('GET', 'requests')).filter((r) => r.path === LIST && r.query['limit'] === '100');
    assert.ok(
      pages.some((r) => r.query['cursor']),
      'the second page was asked for by its cursor',
    );
    const row = state.conversations.find((c) => c.participantId === reading[3] && c.subject === 'Reading study: a follow-up');
    assert.ok(row?.conversationId, 'the broadcast made a conversation with a subject');
    assert.equal(row.studyId, SEED_IDS.studies.reading);

    await fake('POST', 'replies', { from: reading[3], body: 'Got it, thanks.', conversation_id: row.conversationId });
    const thread = await handles.inbox.thread(reading[3], true, row.conversationId);
    assert.deepEqual(
      thread.messages.map((m) => m.body),
      ['Reading study: a follow-up: details inside.', 'Got it, thanks.'],
      'the thread, oldest first',
    );
    const read = (await fake<RecordedRequest[]>('GET', 'requests')).filter((r) => r.path === `${LIST}${row.conversationId}/messages/`);
    assert.equal(read.length, 1, 'read from the conversation');

    const result = await handles.messages.reply(
      { recipient_id: reading[3], study_id: SEED_IDS.studies.reading, body: 'You are welcome.' },
      row.conversationId,
    );
    assert.deepEqual(result, { ok: true });
    const sent = await fake<SentMessage[]>('GET', 'sent');
    assert.deepEqual(
      sent.filter((m) => m.body === 'You are welcome.').map((m) => [m.recipient_id, m.via, m.conversation_id]),
      [[reading[3], 'conversation', row.conversationId]],
      'into that conversation',
    );
  });

  it('keeps what one mode fetched readable in the other (the same local cache)', async () => {
    const [first] = await broadcastTo(SEED_IDS.studies.decisions, 'Decisions: one more question');
    await handles.inbox.refresh();
    const row = handles.inbox.state.conversations.find((c) => c.participantId === first && c.subject === 'Decisions: one more question');
    assert.ok(row?.conversationId);
    await fake('POST', 'replies', { from: first, body: 'Answered in the form.', conversation_id: row.conversationId });
    await handles.inbox.thread(first, true, row.conversationId);

    // Now as a workspace without conversations: the participant's row, from the same cache.
    await fake('POST', 'conversations', { enabled: false });
    await signInAgain();
    const classic = handles.inbox.state.conversations.find((c) => c.participantId === first);
    assert.ok(classic, 'the participant is listed in classic mode');
    assert.equal(classic.conversationId, undefined, 'rows are by participant again');
    const { messages } = await handles.inbox.thread(first, false);
    assert.ok(
      messages.some((m) => m.body === 'Answered in the form.'),
      'the reply read in conversation mode is in the cached thread',
    );
  });
});
