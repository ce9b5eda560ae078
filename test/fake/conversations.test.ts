// Conversations and broadcasts (docs/prolific-api/messages.md § 6) through the client against the
// fake over loopback, in both modes: with the endpoints (cursor pages, threads, replies, broadcasts
// that may be retried with their ID) and without them (404, where a workspace does not have them).
import assert from 'node:assert/strict';
import { baseUrlOf } from '../support/fakeBaseUrl';
import { MessagingFeaturesProbe } from '../../src/features/account/messagingFeatures';
import { ProlificClient } from '../../src/prolific/client';
import { ProlificApiError } from '../../src/prolific/errors';
import { newBroadcastId, sendBroadcastSafely } from '../../src/prolific/safeBroadcast';
import { startFakeProlific, type FakeProlific } from '../fake-prolific/server';
import { SEED_IDS, createSeed, hexId, participantId } from '../fake-prolific/seed';

const TOKEN = 'tok_CONVERSATIONS_0a1b2c3d4e5f6071';
const ME = SEED_IDS.researcher;
const STUDY = SEED_IDS.studies.reading;
const BROADCASTS = '/api/v1/broadcasts/';
/** Participants with a submission in the reading study (a broadcast's rule). */
const SUBMITTED = createSeed().submissions[STUDY].map((s) => s.participant_id);

describe('conversations and broadcasts against the fake', function () {
  this.timeout(20_000);

  let fake: FakeProlific;
  let base: URL;

  function client(timeoutMs = 5_000): ProlificClient {
    return new ProlificClient({ baseUrl: base, token: TOKEN, timeoutMs, userAgent: 'test' });
  }

  async function rejection(promise: Promise<unknown>): Promise<ProlificApiError> {
    try {
      await promise;
    } catch (error) {
      assert.ok(error instanceof ProlificApiError, String(error));
      return error;
    }
    assert.fail('expected a ProlificApiError');
  }

  before(async () => {
    fake = await startFakeProlific({ token: TOKEN });
    base = baseUrlOf(fake);
  });

  beforeEach(() => fake.reset());
  after(async () => fake?.close());

  describe('the probe', () => {
    it('finds both where the workspace has them, with one one-item request each', async () => {
      assert.deepEqual(await client().conversations.probe(), { conversations: true, broadcasts: true });
      assert.deepEqual(
        fake.requests.map((r) => `${r.method} ${r.path} ${r.query['limit']} ${r.fault ?? 'answered'}`),
        ['GET /api/v1/conversations/ 1 answered', 'GET /api/v1/broadcasts/ 1 answered'],
      );
    });

    it('finds neither where they answer 404, and the classic endpoints go on working', async () => {
      fake.setConversations(false);
      assert.deepEqual(await client().conversations.probe(), { conversations: false, broadcasts: false });
      assert.equal(fake.requests.length, 1, 'no broadcast request once conversations are missing');
      await client().sendMessage({ recipient_id: participantId(1), body: 'Classic', study_id: STUDY });
      assert.deepEqual(
        fake.sent().map((m) => [m.recipient_id, m.via, m.conversation_id]),
        [[participantId(1), 'single', undefined]],
      );
    });

    it('is asked once per window and account, logs the mode, and a failed probe counts as classic until asked again', async () => {
      const lines: string[] = [];
      const probe = new MessagingFeaturesProbe({ info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`) });
      const api = client();
      const answers = await Promise.all([probe.features(ME, api), probe.features(ME, api), probe.features(ME, api)]);
      assert.deepEqual(answers, Array(3).fill({ conversations: true, broadcasts: true }));
      assert.equal(fake.requests.length, 2, 'one probe (two requests) for three askers');
      assert.deepEqual(await probe.features(ME, api), { conversations: true, broadcasts: true });
      assert.equal(fake.requests.length, 2, 'kept');
      assert.deepEqual(lines, ['info Messaging: conversations and broadcasts are available; subjects can be used.']);

      // Another account is asked for itself: here a workspace without them.
      fake.setConversations(false);
      assert.deepEqual(await probe.features(SEED_IDS.collaborator, api), { conversations: false, broadcasts: false });
      assert.equal(lines.at(-1), 'info Messaging: classic messages only (this workspace has no conversations yet).');

      // A failure is no answer: classic meanwhile, without an error for the user, and asked again.
      probe.clear();
      fake.setConversations(true);
      fake.inject({ path: '/api/v1/conversations/', times: 1, fault: { kind: 'status', status: 503 } });
      assert.deepEqual(await probe.features(ME, api), { conversations: false, broadcasts: false });
      assert.match(
        lines.at(-1) ?? '',
        /^warn Messaging: could not find out whether conversations are available \(Prolific had a server error \(503/,
      );
      assert.ok(!lines.join('\n').includes(TOKEN), 'the token is in no log line');
      assert.deepEqual(await probe.features(ME, api), { conversations: true, broadcasts: true });
    });

    it('throws any other failure rather than taking it for "not here"', async () => {
      fake.inject({ path: '/api/v1/conversations/', times: 1, fault: { kind: 'status', status: 503 } });
      assert.equal((await rejection(client().conversations.probe())).status, 503);
    });
  });

  describe('conversations', () => {
    it('reads every cursor page, following `next` as given, most recently updated first', async () => {
      const api = client().conversations;
      for (let i = 0; i < 130; i++)
        await api.start({ recipient_id: participantId(1000 + i), subject: `Follow-up ${i}`, topic: 'feedback', study_id: STUDY }, ME);
      const before = fake.requests.length;
      const list = await api.list(ME);
      const pages = fake.requests.slice(before);
      assert.ok(pages.length >= 2, `${pages.length} pages`);
      assert.equal(pages[0].query['cursor'], undefined);
      for (const page of pages.slice(1)) assert.ok(page.query['cursor'], 'later pages are asked for by the cursor in `next`');
      const started = list.filter((c) => c.subject?.startsWith('Follow-up '));
      assert.equal(started.length, 130);
      assert.equal(new Set(list.map((c) => c.id)).size, list.length, 'no conversation twice');
      assert.deepEqual(
        started.slice(0, 2).map((c) => [c.subject, c.topic, c.studyId, c.participantId]),
        [
          ['Follow-up 129', 'feedback', STUDY, participantId(1129)],
          ['Follow-up 128', 'feedback', STUDY, participantId(1128)],
        ],
      );
      // The pairs' own threads (older than subjects) are conversations too, without subject or topic.
      const own = list.find((c) => c.participantId === participantId(3) && c.subject === null);
      assert.ok(own, 'the seeded thread with participant 3');
      assert.equal(own.topic, null);
    });

    it('starts a conversation with its first message, reads its thread oldest first, and replies into it', async () => {
      const api = client().conversations;
      const started = await api.start(
        { recipient_id: participantId(7), subject: 'Your payment', topic: 'payment-timing', study_id: STUDY, body: 'It is on its way.' },
        ME,
      );
      assert.deepEqual([started.subject, started.topic, started.participantId], ['Your payment', 'payment-timing', participantId(7)]);
      fake.receive(participantId(7), 'Thank you!', started.id);
      await api.reply({ conversation_id: started.id, body: 'You are welcome.' });
      const thread = await api.messages(started.id);
      assert.deepEqual(
        thread.map((m) => [m.senderId, m.body, m.channelId]),
        [
          [ME, 'It is on its way.', started.id],
          [participantId(7), 'Thank you!', started.id],
          [ME, 'You are welcome.', started.id],
        ],
      );
      assert.deepEqual(
        fake.sent().map((m) => [m.recipient_id, m.via, m.conversation_id]),
        [
          [participantId(7), 'conversation', started.id],
          [participantId(7), 'conversation', started.id],
        ],
      );
    });

    it("answers 404 for somebody else's conversation or one that does not exist", async () => {
      for (const id of [hexId('conversation:somebody-else'), 'a'.repeat(24)]) {
        const error = await rejection(client().conversations.messages(id));
        assert.equal(error.status, 404);
      }
      // The seeded conversation between two other people: listed nowhere, readable by nobody else.
      const list = await client().conversations.list(ME);
      assert.ok(!list.some((c) => c.subject === 'Not yours'));
    });

    it('refuses a subject over 500 characters or an unknown topic, naming the field', async () => {
      const api = client().conversations;
      const long = await rejection(api.start({ recipient_id: participantId(1), subject: 'x'.repeat(501), topic: 'other' }, ME));
      assert.equal(long.status, 400);
      assert.match(long.fieldErrors['subject']?.[0] ?? '', /no more than 500 characters/);
      const topic = await rejection(api.start({ recipient_id: participantId(1), subject: 'Hello', topic: 'gossip' }, ME));
      assert.match(topic.fieldErrors['topic']?.[0] ?? '', /"gossip" is not a valid choice/);
      assert.equal(fake.sent().length, 0);
    });
  });

  describe('broadcasts', () => {
    const thirty = SUBMITTED.slice(0, 30);
    const request = (id = newBroadcastId(), recipients = thirty) => ({
      id,
      study_id: STUDY,
      subject: 'Wave 2 is open',
      topic: 'other',
      body: 'Thank you for taking part: wave 2 is open to you.',
      recipient_ids: recipients,
    });

    it('retries a timeout, a reset after processing and a 502 with the same ID, and each participant gets it once', async () => {
      // The first attempt is processed late (after the client gave up), the second is processed and
      // its answer lost, the third meets a gateway's 502; the fourth is answered.
      fake.inject({ path: BROADCASTS, method: 'POST', times: 1, fault: { kind: 'delay', ms: 600 } });
      fake.inject({ path: BROADCASTS, method: 'POST', times: 1, fault: { kind: 'resetAfterProcessing' } });
      fake.inject({ path: BROADCASTS, method: 'POST', times: 1, fault: { kind: 'html', status: 502 } });
      const retries: string[] = [];
      const sent = request();
      const broadcast = await sendBroadcastSafely(client(300).conversations, sent, {
        backoffMs: 20,
        onRetry: ({ attempt, error }) => retries.push(`${attempt}: ${error.kind}${error.status ? ` ${error.status}` : ''}`),
      });
      assert.deepEqual(retries, ['1: timeout', '2: network', '3: http 502']);
      assert.equal(broadcast.id, sent.id);
      assert.equal(broadcast.recipient_count, 30);
      // The first attempt is handled late, after the client gave up: it finds the broadcast (200, not 201) and sends nothing.
      const posts = fake.requests.filter((r) => r.method === 'POST' && r.path === BROADCASTS);
      assert.equal(posts.length, 4);
      assert.ok(
        posts.every((r) => (r.body as { id: string }).id === sent.id),
        'every attempt carried the same ID',
      );
      await until(() => posts[0].handledStatus !== undefined);
      assert.deepEqual(
        posts.map((r) => r.handledStatus),
        [200, 201, undefined, 200],
      );
      const perRecipient = new Map<string, number>();
      for (const m of fake.sent()) perRecipient.set(m.recipient_id, (perRecipient.get(m.recipient_id) ?? 0) + 1);
      assert.equal(perRecipient.size, 30);
      assert.ok(
        [...perRecipient.values()].every((n) => n === 1),
        'each participant messaged once',
      );
      assert.ok(fake.sent().every((m) => m.via === 'broadcast' && m.conversation_id));
    });

    it('does not retry a refusal: over the cap it says the cap, and it names the participants without a submission', async () => {
      const api = client().conversations;
      const many = Array.from({ length: 4001 }, (_, i) => participantId(5000 + i));
      const cap = await rejection(sendBroadcastSafely(api, request(newBroadcastId(), many), { backoffMs: 1 }));
      assert.equal(cap.status, 400);
      assert.match(cap.message, /at most 4000 recipients/);
      const strangers = [participantId(9001), participantId(9002)];
      const rule = await rejection(
        sendBroadcastSafely(api, request(newBroadcastId(), [...thirty.slice(0, 3), ...strangers]), { backoffMs: 1 }),
      );
      assert.equal(rule.status, 400);
      for (const id of strangers) assert.ok(rule.message.includes(id), `names ${id}`);
      assert.ok(!rule.message.includes(thirty[0]), 'and only them');
      assert.equal(fake.requests.filter((r) => r.path === BROADCASTS).length, 2, 'one attempt each');
      assert.equal(fake.sent().length, 0);
    });

    it('answers 404 where broadcasts are off, once, with nothing sent', async () => {
      fake.setConversations(false);
      const error = await rejection(sendBroadcastSafely(client().conversations, request(), { backoffMs: 1 }));
      assert.equal(error.status, 404);
      assert.equal(fake.requests.length, 1);
      assert.equal(fake.sent().length, 0);
    });

    it('counts replies, lists its conversations, and lists broadcasts by cursor page, newest first', async () => {
      const api = client().conversations;
      const first = await sendBroadcastSafely(api, request());
      const conversations = await api.list(ME, { broadcastId: first.id });
      assert.equal(conversations.length, 30);
      assert.deepEqual((await api.getBroadcast(first.id)).replied_count, 0);
      fake.receive(conversations[0].participantId!, 'Count me in', conversations[0].id);
      fake.receive(conversations[0].participantId!, 'Again', conversations[0].id);
      fake.receive(conversations[1].participantId!, 'Me too', conversations[1].id);
      const counted = await api.getBroadcast(first.id);
      assert.deepEqual([counted.recipient_count, counted.replied_count], [30, 2]);
      for (let i = 0; i < 55; i++) await api.broadcast(request(newBroadcastId(), [SUBMITTED[i % SUBMITTED.length]]));
      const before = fake.requests.length;
      const all = await api.listBroadcasts({ studyId: STUDY });
      assert.equal(fake.requests.length - before, 2, 'two pages of at most 50');
      assert.equal(all.length, 56);
      assert.equal(all.at(-1)?.id, first.id, 'oldest last');
    });
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 5_000) assert.fail('condition not met within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
