// The inbox in the extension host against the fake API's seeded conversations (both field-name
// variants, HTML and script in bodies, emoji, a very long message): listing, threads, replies,
// the local cache, and the poller backing off on 429. Classic mode: the fake has no conversations
// endpoints here (404), as a workspace without them; inboxConversations.test.ts has the other mode.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { participantId } from '../fake-prolific/seed';
import {
  connectToFake,
  fake,
  fakeToken,
  storeFakeToken,
  type RecordedRequest,
  type SentMessage,
  type TestHandles,
  until,
} from '../support/extensionHost';

const UNREAD = '/api/v1/messages/unread/';

describe('inbox', () => {
  let handles: TestHandles;
  const config = () => vscode.workspace.getConfiguration('prolific');

  /** A new token (the same one again): the window asks Prolific afresh which endpoints it has. */
  async function signInAgain(): Promise<void> {
    await handles.tokens.clear();
    await storeFakeToken(handles);
  }

  before(async () => {
    handles = await connectToFake();
    await handles.inbox.clearCache(); // what other suites' conversations left in the local copy
    await fake('POST', 'conversations', { enabled: false });
    await signInAgain();
  });

  beforeEach(async () => {
    await fake('POST', 'reset');
    await fake('POST', 'conversations', { enabled: false }); // reset turns them back on
  });

  after(async () => {
    await config().update('inboxPollMinutes', undefined, vscode.ConfigurationTarget.Global);
    await fake('POST', 'conversations', { enabled: true });
    await signInAgain();
  });

  it('lists conversations by participant, newest first, with the unread count', async () => {
    const state = await handles.inbox.refresh();
    assert.equal(state.unread, 3);
    const ids = state.conversations.map((c) => c.participantId);
    assert.deepEqual(ids.slice(0, 3), [participantId(101), participantId(46), participantId(7)], 'newest first');
    for (const id of [participantId(1), participantId(3), participantId(12)]) assert.ok(ids.includes(id), `${id} listed`);
    const p46 = state.conversations.find((c) => c.participantId === participantId(46))!;
    assert.equal(p46.unreadIds.length, 1);
    assert.equal(p46.category, 'technical-issues');
    assert.match(p46.messages.at(-1)!.body, /<img src=x onerror="alert\(1\)">/, 'bodies are kept exactly as sent');
    const p1 = state.conversations.find((c) => c.participantId === participantId(1))!;
    assert.ok(!Number.isNaN(Date.parse(p1.messages[0].createdAt)), 'the documented sent_at variant is read too');
  });

  it("opens a whole thread, oldest first, including the researcher's own reply", async () => {
    const { messages, myId } = await handles.inbox.thread(participantId(3), true);
    assert.equal(messages.length, 2);
    assert.equal(messages[0].senderId, participantId(3));
    assert.equal(messages[1].senderId, myId);
    assert.ok(Date.parse(messages[0].createdAt) < Date.parse(messages[1].createdAt));
  });

  it('replies to the participant with the study taken from the thread', async () => {
    const result = await handles.messages.reply({
      recipient_id: participantId(46),
      study_id: (await handles.inbox.thread(participantId(46), false)).messages[0].studyId!,
      body: 'Sorry about the video: try another browser.',
    });
    assert.deepEqual(result, { ok: true });
    const sent = await fake<SentMessage[]>('GET', 'sent');
    assert.deepEqual(
      sent.map((m) => [m.recipient_id, m.study_id]),
      [[participantId(46), (await handles.inbox.thread(participantId(46), false)).messages[0].studyId]],
    );
  });

  it('keeps threads readable from the local cache without the API', async () => {
    await handles.inbox.thread(participantId(12), true);
    await fake('POST', 'faults', { path: '/api/v1/messages/', fault: { kind: 'status', status: 503 } });
    const { messages } = await handles.inbox.thread(participantId(12), false);
    assert.match(messages[0].body, /step by step/);
    assert.ok(messages[0].body.length > 5000, 'the long message is whole');
  });

  it('a refresh overtaken by a token change stops its requests and never shows the old inbox', async () => {
    const MESSAGES = '/api/v1/messages/';
    await fake('POST', 'faults', { path: MESSAGES, method: 'GET', fault: { kind: 'delay', ms: 1_500 }, times: 1 });
    const stale = handles.inbox.refresh();
    await until('the refresh to wait on its first page of messages', async () =>
      (await fake<RecordedRequest[]>('GET', 'requests')).some((r) => r.path === MESSAGES),
    );
    const signedOut = new Promise<void>((resolve) => {
      const subscription = handles.inbox.onDidChange((state) => state.signedOut && (subscription.dispose(), resolve()));
    });
    await handles.tokens.clear();
    try {
      await signedOut;
      // Resolves (with the state as it is), rather than failing as "cancelled" in the view.
      await stale;
      assert.equal(handles.inbox.state.error, null, 'no error is shown for the overtaken refresh');
      // The fake answers the delayed page after 1.5 s: by then the refresh gave it up.
      const [delayed] = (await fake<RecordedRequest[]>('GET', 'requests')).filter((r) => r.path === MESSAGES);
      await until('the delayed page to be answered', () => Date.now() > delayed.time + 1_700);
      assert.equal(handles.inbox.state.signedOut, true, 'still signed out');
      assert.deepEqual(
        (await fake<RecordedRequest[]>('GET', 'requests')).filter((r) => r.path === MESSAGES).map((r) => r.query['offset']),
        [undefined],
        'no further page was asked for',
      );
    } finally {
      const refreshed = new Promise<void>((resolve) => {
        const subscription = handles.inbox.onDidChange((state) => !state.signedOut && (subscription.dispose(), resolve()));
      });
      await handles.tokens.set(fakeToken());
      await refreshed;
    }
  });

  it('polls for unread messages and backs off when Prolific answers 429', async () => {
    assert.ok(vscode.window.state.focused, 'the test window has focus (the poller waits for it)');
    await fake('POST', 'faults', { path: UNREAD, fault: { kind: 'rateLimit', retryAfterSeconds: 2 }, times: 1 });
    await config().update('inboxPollMinutes', 0.005, vscode.ConfigurationTarget.Global); // every 0.3 s
    try {
      const unreadCalls = async () => (await fake<RecordedRequest[]>('GET', 'requests')).filter((r) => r.path === UNREAD);
      const deadline = Date.now() + 15_000;
      while ((await unreadCalls()).length < 3) {
        assert.ok(Date.now() < deadline, 'the poller polled three times within 15 s');
        await new Promise((r) => setTimeout(r, 100));
      }
      const [throttled, afterwards] = await unreadCalls();
      assert.ok(afterwards.time - throttled.time >= 1900, `waited ${afterwards.time - throttled.time} ms after a 429 asking for 2 s`);
      assert.equal(handles.inbox.state.unread, 3);
    } finally {
      await config().update('inboxPollMinutes', 0, vscode.ConfigurationTarget.Global);
    }
  });
});
