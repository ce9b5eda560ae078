// The client's message reads against the fake Prolific API over loopback. The fake answers in
// both field-name variants of the real API (sender_id / sender, datetime_created / sent_at), and
// its seeded bodies carry markup and emoji, which must come back byte for byte.
import assert from 'node:assert/strict';
import { baseUrlOf } from '../support/fakeBaseUrl';
import { ProlificClient } from '../../src/prolific/client';
import type { RequestLogEntry } from '../../src/prolific/http';
import { ProlificApiError } from '../../src/prolific/errors';
import { PollSchedule } from '../../src/features/inbox/pollSchedule';
import type { InboxMessage } from '../../src/prolific/messageTypes';
import { startFakeProlific, type FakeProlific } from '../fake-prolific/server';
import { SEED_IDS, hexId, participantId } from '../fake-prolific/seed';

const TOKEN = 'tok_INBOX_0a1b2c3d4e5f60718293a4b5';
const MESSAGES = '/api/v1/messages/';
const UNREAD = '/api/v1/messages/unread/';
const ME = SEED_IDS.researcher;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('ProlificClient message reads against the fake', function () {
  this.timeout(10_000);

  let fake: FakeProlific;
  let base: URL;
  let log: RequestLogEntry[];

  function client(): ProlificClient {
    return new ProlificClient({ baseUrl: base, token: TOKEN, timeoutMs: 5_000, userAgent: 'test', log: (e) => log.push(e) });
  }

  /** A 200 answer to the next request on `path` with this body instead of the fake's own. */
  function answer(path: string, body: unknown): void {
    fake.inject({ path, times: 1, fault: { kind: 'status', status: 200, body } });
  }

  before(async () => {
    fake = await startFakeProlific({ token: TOKEN });
    base = baseUrlOf(fake);
  });

  beforeEach(() => {
    fake.reset();
    log = [];
  });

  after(async () => {
    await fake?.close();
  });

  describe('getMessages', () => {
    it("reads a thread in the observed variant (sender_id, datetime_created), the researcher's reply included", async () => {
      const messages = await client().getMessages({ userId: participantId(3) });
      assert.deepEqual(
        fake.requests.map((r) => ({ method: r.method, path: r.path, query: r.query })),
        [{ method: 'GET', path: MESSAGES, query: { user_id: participantId(3) } }],
      );
      assert.equal(fake.requests[0].headers['authorization'], `Token ${TOKEN}`);
      assert.deepEqual(
        messages.map(({ id, senderId, body, studyId, category }) => ({ id, senderId, body, studyId, category })),
        [
          {
            id: hexId('message:p3-question'),
            senderId: participantId(3),
            body: 'Hi, the timer on page 4 froze. Should I restart the study?',
            studyId: SEED_IDS.studies.reading,
            category: 'technical-issues',
          },
          {
            id: hexId('message:reply-p3'),
            senderId: ME,
            body: 'Thanks for letting us know. Please carry on; the timer is only a guide.',
            studyId: SEED_IDS.studies.reading,
            category: null,
          },
        ],
      );
      for (const m of messages) {
        assert.match(m.createdAt, ISO);
        assert.match(m.channelId ?? '', /^[0-9a-f]{64}$/);
      }
      assert.equal(messages[0].channelId, messages[1].channelId, 'one thread, one channel');
      assert.deepEqual(
        log.map((e) => ({ method: e.method, path: e.path, status: e.status, warning: e.warning })),
        [{ method: 'GET', path: MESSAGES, status: 200, warning: undefined }],
      );
    });

    it('reads the documented variant (sent_at)', async () => {
      const [message, ...rest] = await client().getMessages({ userId: participantId(1) });
      assert.equal(rest.length, 0);
      assert.equal(message.id, hexId('message:p1-payment'));
      assert.equal(message.body, 'When will I be paid for the reading study?');
      assert.equal(message.category, 'payment-timing');
      assert.match(message.createdAt, ISO);
      const ageHours = (Date.now() - Date.parse(message.createdAt)) / 3_600_000;
      assert.ok(ageHours > 47 && ageHours < 49, `seeded two days ago, got ${ageHours} hours`);
    });

    it('sends created_after as YYYY-MM-DDTHH:MM:SSZ, milliseconds cut', async () => {
      await client().getMessages({ createdAfter: new Date('2026-01-02T03:04:05.678Z') });
      await client().getMessages({ userId: participantId(3), createdAfter: new Date(Date.UTC(2025, 11, 31, 23, 59, 59)) });
      // Later pages (offset=...) are the fake's links, not the client's query.
      assert.deepEqual(
        fake.requests.filter((r) => r.query['offset'] === undefined).map((r) => r.query),
        [{ created_after: '2026-01-02T03:04:05Z' }, { user_id: participantId(3), created_after: '2025-12-31T23:59:59Z' }],
      );
    });

    it('created_after filters on the server: the last four hours hold two participant messages', async () => {
      const messages = await client().getMessages({ createdAfter: new Date(Date.now() - 4 * 3_600_000) });
      assert.deepEqual(
        messages.map((m) => m.senderId),
        [participantId(46), participantId(101)],
      );
    });

    it('reads every page: the last 30 days hold seven messages, five on the first page', async () => {
      const since = new Date(Date.now() - 29 * 24 * 3_600_000);
      const messages = await client().getMessages({ createdAfter: since });
      assert.equal(messages.length, 7);
      assert.equal(new Set(messages.map((m) => m.id)).size, 7);
      const times = messages.map((m) => Date.parse(m.createdAt));
      assert.deepEqual(
        times,
        [...times].sort((a, b) => a - b),
        "in the server's order, oldest first, across pages",
      );
      assert.deepEqual(
        fake.requests.map((r) => [r.path, r.query['offset']]),
        [
          [MESSAGES, undefined],
          [MESSAGES, '5'],
        ],
      );
      assert.ok(
        fake.requests.every((r) => r.query['created_after'] === fake.requests[0].query['created_after']),
        'the next link keeps created_after',
      );
      assert.deepEqual(
        log.map((e) => e.status),
        [200, 200],
      );
    });

    it('refuses a missing query, a bad user ID or a bad date before any request', async () => {
      const c = client();
      await assert.rejects(c.getMessages({}), { name: 'TypeError', message: 'getMessages needs a userId or a createdAfter.' });
      for (const userId of ['', '..', 'a/b', 'x&created_after=1', 'p 3']) {
        await assert.rejects(c.getMessages({ userId }), TypeError, userId);
      }
      for (const createdAfter of [new Date(Number.NaN), new Date('+012345-01-01T00:00:00Z'), '2026-01-01' as unknown as Date]) {
        await assert.rejects(c.getMessages({ createdAfter }), TypeError, String(createdAfter));
      }
      assert.equal(fake.requests.length, 0);
      assert.equal(log.length, 0);
    });
  });

  describe('getUnreadMessages', () => {
    it('reads the `sender` variant and returns markup and emoji bodies exactly', async () => {
      const messages = await client().getUnreadMessages();
      assert.deepEqual(
        fake.requests.map((r) => ({ path: r.path, query: r.query })),
        [{ path: UNREAD, query: {} }],
      );
      assert.deepEqual(
        messages.map(({ senderId, body, category }) => ({ senderId, body, category })),
        [
          { senderId: participantId(7), body: "<script>alert('xss')</script>Is the bonus coming? 🙏", category: 'payment-issues' },
          {
            senderId: participantId(46),
            body: '<b>Bold</b> question: the video didn\'t load 😕 <img src=x onerror="alert(1)">\nSecond line & more.',
            category: 'technical-issues',
          },
          { senderId: participantId(101), body: 'Merci beaucoup — loved it! 👍🏽🧠', category: 'feedback' },
        ],
      );
      assert.ok(messages.every((m) => m.senderId !== ME));
    });

    it('null results is an empty inbox', async () => {
      answer(UNREAD, { results: null });
      assert.deepEqual(await client().getUnreadMessages(), []);
    });

    it('missing results is an invalid response', async () => {
      answer(UNREAD, { messages: [] });
      const error = await rejection(client().getUnreadMessages());
      assert.equal(error.kind, 'invalidResponse');
      assert.match(error.message, /results: expected array/);
    });

    it('a 429 carries Retry-After, which the poll schedule honours', async () => {
      fake.inject({ path: UNREAD, times: 1, fault: { kind: 'rateLimit', retryAfterSeconds: 900 } });
      const error = await rejection(client().getUnreadMessages());
      assert.equal(error.status, 429);
      assert.equal(error.retryAfterSeconds, 900);
      const schedule = new PollSchedule({ intervalMs: 60_000 });
      schedule.onFailure(error);
      assert.equal(schedule.nextDelay(), 900_000);
    });
  });

  describe('tolerance', () => {
    const good = {
      id: 'm-good',
      sender_id: participantId(5),
      body: 'Fine',
      datetime_created: '2026-03-01T10:00:00.123456Z',
      type: 'message',
      channel_id: 'c1',
      data: { study_id: SEED_IDS.studies.reading, category: 'other' },
    };
    const mixed = { id: 'm-mixed', sender: participantId(6), body: 'Also fine', sent_at: '2026-03-01T11:00:00+01:00' };

    it('drops a malformed message, keeps the rest and logs how many were dropped', async () => {
      const bad = [
        { id: 'no-sender', body: 'x', datetime_created: '2026-03-01T10:00:00Z' },
        { id: 'empty-sender', sender_id: '', sender: null, body: 'x', datetime_created: '2026-03-01T10:00:00Z' },
        { id: 'no-time', sender_id: 'p', body: 'x' },
        { id: 'bad-time', sender_id: 'p', body: 'x', datetime_created: 'yesterday' },
        { id: 'no-body', sender_id: 'p', datetime_created: '2026-03-01T10:00:00Z' },
        { sender_id: 'p', body: 'no id', datetime_created: '2026-03-01T10:00:00Z' },
        { ...good, id: 'bad-data', data: 'study' },
        'not an object',
        null,
      ];
      answer(MESSAGES, { results: [bad[0], good, ...bad.slice(1, 5), mixed, ...bad.slice(5)] });
      const messages = await client().getMessages({ userId: participantId(5) });
      assert.deepEqual(messages, [
        {
          id: 'm-good',
          senderId: participantId(5),
          body: 'Fine',
          createdAt: '2026-03-01T10:00:00.123Z',
          channelId: 'c1',
          studyId: SEED_IDS.studies.reading,
          category: 'other',
        },
        {
          id: 'm-mixed',
          senderId: participantId(6),
          body: 'Also fine',
          createdAt: '2026-03-01T10:00:00.000Z',
          channelId: null,
          studyId: null,
          category: null,
        },
      ] satisfies InboxMessage[]);
      assert.equal(log.length, 1);
      assert.equal(log[0].warning, '9 messages could not be read and were left out.');
      assert.equal(log[0].error, undefined);
    });

    it('allows unknown keys and null optional fields; sender_id wins over sender', async () => {
      answer(UNREAD, {
        results: [{ ...good, sender: 'other', type: null, channel_id: null, data: null, attachments: [], extra: { x: 1 } }],
        _links: {},
        meta: { count: 1 },
      });
      const [message] = await client().getUnreadMessages();
      assert.deepEqual(message, { ...message, senderId: participantId(5), channelId: null, studyId: null, category: null });
    });

    it('a zone-less time is read as UTC', async () => {
      answer(UNREAD, { results: [{ ...good, datetime_created: '2026-03-01T10:00:00' }] });
      assert.equal((await client().getUnreadMessages())[0].createdAt, '2026-03-01T10:00:00.000Z');
    });

    it('if no message can be read the format has changed: an invalid response, not an empty inbox', async () => {
      answer(UNREAD, { results: [{ id: 'a', from: 'p', body: 'x', created: '2026-03-01T10:00:00Z' }, { id: 'b' }] });
      const error = await rejection(client().getUnreadMessages());
      assert.equal(error.kind, 'invalidResponse');
      assert.equal(
        error.message,
        `Prolific's answer to GET ${UNREAD} is not in the expected format (results.0.sender_id: no sender (sender_id or sender); results.0.datetime_created: no time (datetime_created or sent_at)).`,
      );
      assert.ok(log[0].error, 'logged as a failure');
    });
  });
});

async function rejection(promise: Promise<unknown>): Promise<ProlificApiError> {
  const error = await promise.then(
    () => assert.fail('expected a rejection'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ProlificApiError, String(error));
  return error;
}
