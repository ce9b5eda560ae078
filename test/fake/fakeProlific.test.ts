// Proves the fake Prolific API behaves as documented in docs/prolific-api/, so tests built on
// it test the extension rather than the fake.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DEFAULT_FAULT_SEED, RateLimiter, mulberry32 } from '../fake-prolific/faults';
import { MAX_BULK_RECIPIENTS, MESSAGES_PAGE_SIZE, STUDIES_PAGE_SIZE } from '../fake-prolific/routes';
import { SEED_IDS, participantId } from '../fake-prolific/seed';
import {
  DEFAULT_TOKEN,
  startFakeProlific,
  type FakeProlific,
  type FaultRule,
  type RateLimit,
  type RecordedRequest,
  type SentMessage,
} from '../fake-prolific/server';

interface NestedError {
  error: {
    status: number;
    error_code: number;
    title: string;
    detail: string | string[] | Record<string, string[]>;
    additional_information: null;
    traceback: null;
    interactive: null;
  };
}
interface MessageData {
  study_id: string | null;
  category: string | null;
}
interface ListedMessage {
  id: string;
  sender_id?: string;
  sender?: string;
  body: string;
  datetime_created?: string;
  sent_at?: string;
  type: string;
  channel_id: string;
  data: MessageData;
}
interface Link {
  href: string | null;
}
interface Paged<T> {
  results: T[];
  _links: { self: Link; next: Link; previous: Link; last: Link };
  meta: { count: number };
}
interface StudyShort {
  id: string;
  name: string;
  internal_name: string | null;
  status: string;
  total_available_places: number;
  places_taken: number;
  number_of_submissions: number;
  reward: number;
  date_created: string;
}
interface SubmissionShort {
  id: string;
  participant_id: string;
  status: string;
  started_at: string;
  completed_at: string | null;
  has_siblings: boolean;
  study_code: string | null;
}
interface Group {
  id: string;
  name: string;
  workspace_id: string;
  project_id: string | null;
  description: string;
  participant_count: number;
  is_deleted: boolean;
}

const HEX24 = /^[0-9a-f]{24}$/;
const HEX64 = /^[0-9a-f]{64}$/;
const STUDY = SEED_IDS.studies.reading;
const PARTICIPANT = participantId(0);

let fake: FakeProlific;

interface CallOptions {
  method?: string;
  /** Serialised as JSON. */
  json?: unknown;
  /** Sent verbatim, for malformed bodies. */
  raw?: string;
  /** null sends no Authorization header; a string replaces the whole header value. */
  authorization?: string | null;
}

function call(path: string, options: CallOptions = {}, server: FakeProlific = fake): Promise<Response> {
  const headers: Record<string, string> = {};
  if (options.authorization !== null) headers['Authorization'] = options.authorization ?? `Token ${server.token}`;
  let body: string | undefined;
  if (options.json !== undefined || options.raw !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = options.raw ?? JSON.stringify(options.json);
  }
  return fetch(server.url + path, {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    ...(body !== undefined ? { body } : {}),
  });
}

async function readJson<T>(res: Response, status = 200): Promise<T> {
  assert.equal(res.status, status);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  return (await res.json()) as T;
}

/** Asserts the documented nested error form and returns its `detail`. */
async function nestedDetail(res: Response, status: number): Promise<NestedError['error']['detail']> {
  const { error } = await readJson<NestedError>(res, status);
  assert.equal(error.status, status);
  assert.equal(typeof error.error_code, 'number');
  assert.equal(typeof error.title, 'string');
  assert.deepEqual([error.additional_information, error.traceback, error.interactive], [null, null, null]);
  return error.detail;
}

async function flatDetail(res: Response, status: number): Promise<string> {
  const body = await readJson<Record<string, unknown>>(res, status);
  assert.deepEqual(Object.keys(body), ['detail']);
  assert.equal(typeof body['detail'], 'string');
  return body['detail'] as string;
}

/** Polls a condition; used instead of sleeping when something happens asynchronously. */
async function until(condition: () => boolean, what: string, timeoutMs = 1500): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const send = (json: unknown): Promise<Response> => call('/api/v1/messages/', { json });
const validSend = { recipient_id: PARTICIPANT, body: 'Thanks for taking part!', study_id: STUDY };

/** Every item of a paged list, following `_links.next` (always on the fake's own origin); and the pages' sizes. */
async function allPages<T>(path: string): Promise<{ items: T[]; sizes: number[]; count: number }> {
  const items: T[] = [];
  const sizes: number[] = [];
  let href: string | null = `${fake.url}${path}`;
  let count = -1;
  while (href) {
    assert.ok(href.startsWith(fake.url), href);
    const page: Paged<T> = await readJson<Paged<T>>(await call(href.slice(fake.url.length)));
    items.push(...page.results);
    sizes.push(page.results.length);
    count = page.meta.count;
    href = page._links.next.href;
    assert.ok(sizes.length < 100, 'the pages end');
  }
  return { items, sizes, count };
}

async function thread(userId: string): Promise<ListedMessage[]> {
  return (await allPages<ListedMessage>(`/api/v1/messages/?user_id=${userId}`)).items;
}

describe('fake Prolific API', () => {
  before(async () => {
    fake = await startFakeProlific();
  });
  after(() => fake.close());
  beforeEach(() => fake.reset());

  describe('startup', () => {
    it('listens on a free loopback port with the default token', () => {
      assert.match(fake.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.notEqual(fake.url.split(':')[2], '0');
      assert.equal(fake.token, DEFAULT_TOKEN);
      assert.equal(DEFAULT_TOKEN, 'fake-token-0123456789abcdef');
    });

    it('acceptToken() adds a token of the same researcher until reset()', async () => {
      const second = 'second-token-0f1e2d3c4b5a6978';
      assert.equal((await call('/api/v1/users/me/', { authorization: `Token ${second}` })).status, 401);
      fake.acceptToken(second);
      const me = await readJson<{ id: string }>(await call('/api/v1/users/me/', { authorization: `Token ${second}` }));
      assert.equal(me.id, SEED_IDS.researcher);
      assert.equal((await call('/api/v1/users/me/')).status, 200, 'the first token still works');
      fake.reset();
      assert.equal((await call('/api/v1/users/me/', { authorization: `Token ${second}` })).status, 401);
      assert.throws(() => fake.acceptToken(''), TypeError);
    });

    it('accepts only the token it was given', async () => {
      const other = await startFakeProlific({ token: 'custom-token' });
      try {
        assert.equal((await call('/api/v1/users/me/', { authorization: 'Token custom-token' }, other)).status, 200);
        assert.equal((await call('/api/v1/users/me/', { authorization: `Token ${DEFAULT_TOKEN}` }, other)).status, 401);
      } finally {
        await other.close();
      }
    });
  });

  describe('authentication and routing', () => {
    it('answers 401 "not provided" without an Authorization header, and records the request', async () => {
      const res = await call('/api/v1/users/me/', { authorization: null });
      assert.equal(await flatDetail(res, 401), 'Authentication credentials were not provided.');
      assert.equal(res.headers.get('www-authenticate'), 'Token');
      assert.equal(fake.requests.length, 1);
      assert.equal(fake.requests[0].headers['authorization'], undefined);
    });

    it('answers 401 "Invalid token." for a wrong token or a scheme other than "Token"', async () => {
      const variants = ['Token wrong', `Bearer ${DEFAULT_TOKEN}`, `token ${DEFAULT_TOKEN}`, DEFAULT_TOKEN, `Token  ${DEFAULT_TOKEN}`];
      for (const authorization of variants) {
        const res = await call('/api/v1/messages/', { authorization, json: validSend });
        assert.equal(await flatDetail(res, 401), 'Invalid token.', authorization);
      }
      assert.equal(fake.sent().length, 0);
      assert.equal(fake.requests.length, variants.length);
    });

    it('answers 404 in the flat form for unknown paths, with or without a token', async () => {
      assert.equal(await flatDetail(await call('/api/v1/nothing-here/'), 404), 'Not found.');
      assert.equal(await flatDetail(await call('/api/v1/messages', { json: validSend }), 404), 'Not found.');
      assert.equal(await flatDetail(await call('/api/v1/nothing-here/', { authorization: null }), 404), 'Not found.');
      assert.equal(fake.sent().length, 0);
    });

    it('answers 405 in the flat form for a wrong method, naming the allowed ones', async () => {
      const res = await call('/api/v1/messages/bulk/', { method: 'GET' });
      assert.equal(await flatDetail(res, 405), 'Method "GET" not allowed.');
      assert.equal(res.headers.get('allow'), 'POST');
    });
  });

  describe('POST /api/v1/messages/', () => {
    it('answers 204 with an empty body and records the request and the message', async () => {
      const before = Date.now();
      const res = await send(validSend);
      assert.equal(res.status, 204);
      assert.equal(res.headers.get('content-type'), null);
      assert.equal(await res.text(), '');

      assert.equal(fake.requests.length, 1);
      const recorded: RecordedRequest = fake.requests[0];
      assert.equal(recorded.method, 'POST');
      assert.equal(recorded.path, '/api/v1/messages/');
      assert.deepEqual(recorded.query, {});
      assert.deepEqual(recorded.body, validSend);
      assert.equal(recorded.rawBody, JSON.stringify(validSend));
      assert.equal(recorded.headers['authorization'], `Token ${DEFAULT_TOKEN}`);
      assert.equal(recorded.headers['content-type'], 'application/json');
      assert.ok(recorded.time >= before && recorded.time <= Date.now());

      const sent = fake.sent();
      assert.equal(sent.length, 1);
      assert.deepEqual(
        { ...sent[0], time: 0 },
        { recipient_id: PARTICIPANT, body: validSend.body, study_id: STUDY, via: 'single', time: 0 },
      );
    });

    it('lists a sent message in GET /messages/?user_id= as sent by the researcher', async () => {
      const recipient = 'aaaaaaaaaaaaaaaaaaaaaaaa';
      assert.equal((await send({ ...validSend, recipient_id: recipient })).status, 204);
      const messages = await thread(recipient);
      assert.equal(messages.length, 1);
      const [m] = messages;
      assert.equal(m.sender_id, SEED_IDS.researcher);
      assert.equal(m.body, validSend.body);
      assert.ok(m.datetime_created && !Number.isNaN(Date.parse(m.datetime_created)));
      assert.equal(m.type, 'message');
      assert.match(m.channel_id, HEX64);
      assert.match(m.id, HEX24);
      assert.deepEqual(m.data, { study_id: STUDY, category: null });
    });

    it('answers 400 nested with per-field detail for invalid IDs', async () => {
      const detail = await nestedDetail(await send({ recipient_id: 'not-an-id', body: 'Hi', study_id: STUDY.toUpperCase() }), 400);
      assert.deepEqual(Object.keys(detail).sort(), ['recipient_id', 'study_id']);
      const fields = detail as Record<string, string[]>;
      assert.match(fields['recipient_id'][0], /not-an-id/);
      assert.equal(fields['study_id'].length, 1);
      assert.equal(fake.sent().length, 0);
    });

    it('answers 400 nested for missing, non-string and blank fields', async () => {
      assert.deepEqual(await nestedDetail(await send({}), 400), {
        recipient_id: ['This field is required.'],
        body: ['This field is required.'],
        study_id: ['This field is required.'],
      });
      assert.deepEqual(await nestedDetail(await send({ ...validSend, body: ' \n\t ' }), 400), { body: ['This field may not be blank.'] });
      assert.deepEqual(await nestedDetail(await send({ ...validSend, recipient_id: 12, study_id: null }), 400), {
        recipient_id: ['Not a valid string.'],
        study_id: ['This field may not be null.'],
      });
      assert.equal(fake.sent().length, 0);
    });

    it('answers 400 with the string detail "study ID is invalid" for an unknown study', async () => {
      assert.equal(await nestedDetail(await send({ ...validSend, study_id: 'ffffffffffffffffffffffff' }), 400), 'study ID is invalid');
      assert.equal(fake.sent().length, 0);
    });

    it('answers 400 nested with a string detail for malformed JSON, and records the raw body', async () => {
      const detail = await nestedDetail(await call('/api/v1/messages/', { raw: '{"recipient_id": ' }), 400);
      assert.equal(typeof detail, 'string');
      assert.match(detail as string, /^JSON parse error/);
      assert.equal(fake.requests[0].rawBody, '{"recipient_id": ');
      assert.equal(fake.requests[0].body, undefined);
      const nonObject = await nestedDetail(await call('/api/v1/messages/', { json: [validSend] }), 400);
      assert.deepEqual(nonObject, { non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] });
    });
  });

  describe('POST /api/v1/messages/bulk/', () => {
    const ids = [participantId(1), participantId(2), participantId(3)];

    it('answers 204 and records one sent message per ID in the request, a repeated ID twice', async () => {
      // Prolific does not say whether it sends a repeated ID twice; the fake does not hide it, so
      // a client that posts duplicates shows up in sent().
      const res = await call('/api/v1/messages/bulk/', { json: { ids: [...ids, ids[0]], body: 'Reminder', study_id: STUDY } });
      assert.equal(res.status, 204);
      assert.equal(await res.text(), '');
      assert.deepEqual(
        fake.sent().map((m: SentMessage) => [m.recipient_id, m.body, m.study_id, m.via]),
        [...ids, ids[0]].map((id) => [id, 'Reminder', STUDY, 'bulk']),
      );
      assert.equal((await thread(ids[2])).filter((m) => m.body === 'Reminder').length, 1);
      assert.equal((await thread(ids[0])).filter((m) => m.body === 'Reminder').length, 2, 'the repeated ID got it twice');
    });

    it('answers 400 nested naming each invalid ID and sends nothing', async () => {
      const detail = await nestedDetail(
        await call('/api/v1/messages/bulk/', { json: { ids: [ids[0], 'BAD', 7], body: 'x', study_id: STUDY } }),
        400,
      );
      const fields = detail as Record<string, string[]>;
      assert.deepEqual(Object.keys(fields), ['ids']);
      assert.equal(fields['ids'].length, 2);
      assert.match(fields['ids'][0], /Item 1.*BAD/);
      assert.match(fields['ids'][1], /Item 2/);
      assert.deepEqual(await nestedDetail(await call('/api/v1/messages/bulk/', { json: { ids: [], body: 'x' } }), 400), {
        ids: ['This list may not be empty.'],
        study_id: ['This field is required.'],
      });
      assert.equal(fake.sent().length, 0);
    });

    it(`accepts ${MAX_BULK_RECIPIENTS} IDs and refuses one more with a detail stating the limit`, async () => {
      const many = Array.from({ length: MAX_BULK_RECIPIENTS + 1 }, (_, i) => i.toString(16).padStart(24, '0'));
      const tooMany = await nestedDetail(await call('/api/v1/messages/bulk/', { json: { ids: many, body: 'x', study_id: STUDY } }), 400);
      assert.equal(typeof tooMany, 'string');
      assert.match(tooMany as string, /4000/);
      assert.equal(fake.sent().length, 0);

      const res = await call('/api/v1/messages/bulk/', { json: { ids: many.slice(1), body: 'x', study_id: STUDY } });
      assert.equal(res.status, 204);
      assert.equal(fake.sent().length, 4000);
    });

    it('answers 400 "study ID is invalid" for an unknown study', async () => {
      assert.equal(
        await nestedDetail(await call('/api/v1/messages/bulk/', { json: { ids, body: 'x', study_id: 'f'.repeat(24) } }), 400),
        'study ID is invalid',
      );
    });
  });

  describe('POST /api/v1/messages/participant-group/', () => {
    it('answers 204 and expands to the group members, with the study optional', async () => {
      const members = (
        await readJson<{ results: { participant_id: string; datetime_created: string }[] }>(
          await call(`/api/v1/participant-groups/${SEED_IDS.groups.pilot}/participants/`),
        )
      ).results.map((m) => m.participant_id);
      assert.ok(members.length >= 2);

      const res = await call('/api/v1/messages/participant-group/', {
        json: { participant_group_id: SEED_IDS.groups.pilot, body: 'Pilot news' },
      });
      assert.equal(res.status, 204);
      assert.equal(await res.text(), '');
      assert.deepEqual(
        fake.sent().map((m) => [m.recipient_id, m.study_id, m.via]),
        members.map((id) => [id, null, 'group']),
      );

      fake.reset();
      const withStudy = await call('/api/v1/messages/participant-group/', {
        json: { participant_group_id: SEED_IDS.groups.followUp, body: 'Follow-up', study_id: SEED_IDS.studies.memory },
      });
      assert.equal(withStudy.status, 204);
      assert.ok(fake.sent().length > 0);
      assert.ok(fake.sent().every((m) => m.study_id === SEED_IDS.studies.memory && m.via === 'group'));
    });

    it('answers 404 flat for an unknown group and 400 nested for a malformed one', async () => {
      const unknown = await call('/api/v1/messages/participant-group/', { json: { participant_group_id: 'e'.repeat(24), body: 'x' } });
      assert.equal(await flatDetail(unknown, 404), 'Not found.');
      const malformed = await call('/api/v1/messages/participant-group/', { json: { participant_group_id: 'group-1', body: '' } });
      const detail = (await nestedDetail(malformed, 400)) as Record<string, string[]>;
      assert.deepEqual(Object.keys(detail).sort(), ['body', 'participant_group_id']);
      assert.equal(fake.sent().length, 0);
    });
  });

  describe('GET /api/v1/messages/ and /unread/', () => {
    it('requires user_id or created_after', async () => {
      assert.equal(typeof (await nestedDetail(await call('/api/v1/messages/'), 400)), 'string');
      const detail = await nestedDetail(await call('/api/v1/messages/?created_after=yesterday'), 400);
      assert.deepEqual(Object.keys(detail), ['created_after']);
    });

    it('uses the real names sender_id and datetime_created, plus at least one documented sent_at', async () => {
      const since = new Date(Date.now() - 30 * 24 * 3600 * 1000).toISOString();
      const { items: results } = await allPages<ListedMessage>(`/api/v1/messages/?created_after=${encodeURIComponent(since)}`);
      assert.ok(results.length >= 4);
      for (const m of results) {
        assert.match(m.sender_id ?? '', HEX24);
        assert.equal(m.sender, undefined);
        // Exactly one of the two timestamp names, so clients must accept both.
        assert.equal([m.datetime_created, m.sent_at].filter((t) => t !== undefined).length, 1);
        assert.match(m.channel_id, HEX64);
        assert.equal(m.type, 'message');
      }
      assert.ok(results.some((m) => m.sent_at !== undefined));
      assert.ok(results.some((m) => m.datetime_created !== undefined));
    });

    it('filters by user_id (both directions of the thread) and by created_after', async () => {
      const messages = await thread(participantId(3));
      assert.equal(messages.length, 2);
      assert.deepEqual(
        messages.map((m) => m.sender_id),
        [participantId(3), SEED_IDS.researcher],
      );
      assert.equal(messages[0].channel_id, messages[1].channel_id);

      const future = new Date(Date.now() + 60_000).toISOString();
      assert.deepEqual((await readJson<{ results: unknown[] }>(await call(`/api/v1/messages/?created_after=${future}`))).results, []);
    });

    it(`pages both lists by ${MESSAGES_PAGE_SIZE} through full next links that keep the query`, async () => {
      const since = new Date(Date.now() - 30 * 24 * 3600 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const first = await readJson<Paged<ListedMessage>>(await call(`/api/v1/messages/?created_after=${since}`));
      assert.equal(first.results.length, MESSAGES_PAGE_SIZE);
      const next = new URL(first._links.next.href ?? '');
      assert.equal(next.origin, fake.url);
      assert.deepEqual(Object.fromEntries(next.searchParams), {
        created_after: since,
        limit: String(MESSAGES_PAGE_SIZE),
        offset: String(MESSAGES_PAGE_SIZE),
      });
      const { items, sizes, count } = await allPages<ListedMessage>(`/api/v1/messages/?created_after=${since}`);
      assert.equal(count, 7, 'the seed has seven messages in the last 30 days');
      assert.deepEqual(sizes, [5, 2]);
      assert.equal(new Set(items.map((m) => m.id)).size, 7, 'no message on two pages');
      const times = items.map((m) => Date.parse(m.datetime_created ?? m.sent_at ?? ''));
      assert.deepEqual(
        times,
        [...times].sort((a, b) => a - b),
        'oldest first, across pages',
      );
      // The seed's three unread messages fit one page; a smaller limit pages them too.
      assert.deepEqual((await allPages<ListedMessage>('/api/v1/messages/unread/')).sizes, [3]);
      assert.deepEqual((await allPages<ListedMessage>('/api/v1/messages/unread/?limit=2')).sizes, [2, 1]);
    });

    it('lists unread messages with `sender` (not sender_id), including markup and emoji', async () => {
      const { results } = await readJson<{ results: ListedMessage[] }>(await call('/api/v1/messages/unread/'));
      assert.ok(results.length >= 3);
      for (const m of results) {
        assert.match(m.sender ?? '', HEX24);
        assert.equal(m.sender_id, undefined);
        assert.ok(m.datetime_created && !Number.isNaN(Date.parse(m.datetime_created)));
        assert.notEqual(m.sender, SEED_IDS.researcher);
      }
      assert.ok(results.some((m) => m.body.includes('<script>')));
      assert.ok(results.some((m) => /\p{Extended_Pictographic}/u.test(m.body)));
    });

    it('forgets sent messages on reset() but keeps the seeded ones', async () => {
      const recipient = 'bbbbbbbbbbbbbbbbbbbbbbbb';
      await send({ ...validSend, recipient_id: recipient });
      assert.equal((await thread(recipient)).length, 1);
      fake.reset();
      assert.equal((await thread(recipient)).length, 0);
      assert.equal((await thread(participantId(3))).length, 2);
    });
  });

  describe('account, studies, submissions, groups, workspaces', () => {
    it('GET /users/me/ returns the researcher', async () => {
      const me = await readJson<Record<string, unknown>>(await call('/api/v1/users/me/'));
      assert.equal(me['id'], SEED_IDS.researcher);
      assert.equal(me['user_type'], 'researcher');
      for (const key of ['email', 'first_name', 'last_name', 'name', 'username', 'currency_code'])
        assert.equal(typeof me[key], 'string', key);
      assert.equal(typeof me['balance'], 'number');
      assert.equal(typeof me['available_balance'], 'number');
    });

    it(`GET /studies/ lists studies with statuses, ${STUDIES_PAGE_SIZE} a page, and filters by state`, async () => {
      const first = await readJson<Paged<StudyShort>>(await call('/api/v1/studies/'));
      assert.equal(first.results.length, STUDIES_PAGE_SIZE);
      assert.match(first._links.next.href ?? '', /[?&]offset=3(&|$)/);
      const all = { results: (await allPages<StudyShort>('/api/v1/studies/')).items };
      assert.equal(first.meta.count, all.results.length);
      assert.equal(all.results.length, 6);
      for (const s of all.results) {
        assert.match(s.id, HEX24);
        assert.equal(typeof s.name, 'string');
        assert.ok(s.places_taken <= s.total_available_places);
        assert.ok(!Number.isNaN(Date.parse(s.date_created)));
      }
      assert.deepEqual(new Set(all.results.map((s) => s.status)), new Set(['ACTIVE', 'AWAITING REVIEW', 'COMPLETED', 'UNPUBLISHED']));

      const active = await readJson<Paged<StudyShort>>(await call('/api/v1/studies/?state=ACTIVE'));
      assert.deepEqual(
        active.results.map((s) => s.id),
        [STUDY, SEED_IDS.studies.sleepWave2],
      );
      const awaiting = await readJson<Paged<StudyShort>>(await call('/api/v1/studies/?state=awaiting_review'));
      assert.deepEqual(
        awaiting.results.map((s) => s.status),
        ['AWAITING REVIEW', 'AWAITING REVIEW'],
      );
    });

    it('GET /studies/{id}/ returns the study, or 404 flat', async () => {
      const study = await readJson<StudyShort>(await call(`/api/v1/studies/${STUDY}/`));
      assert.equal(study.id, STUDY);
      assert.equal(study.number_of_submissions, 50);
      assert.equal(await flatDetail(await call(`/api/v1/studies/${'0'.repeat(24)}/`), 404), 'Not found.');
    });

    it('GET /studies/{id}/submissions/ pages by 20 through full next links', async () => {
      const seen: SubmissionShort[] = [];
      let href: string | null = `${fake.url}/api/v1/studies/${STUDY}/submissions/`;
      let pages = 0;
      while (href) {
        assert.ok(href.startsWith(fake.url));
        const page: Paged<SubmissionShort> = await readJson<Paged<SubmissionShort>>(await call(href.slice(fake.url.length)));
        assert.equal(page.meta.count, 50);
        assert.ok(page.results.length <= 20);
        seen.push(...page.results);
        href = page._links.next.href;
        pages += 1;
      }
      assert.equal(pages, 3);
      assert.equal(seen.length, 50);
      assert.equal(new Set(seen.map((s) => s.participant_id)).size, 50);
      for (const s of seen) {
        assert.match(s.participant_id, HEX24);
        assert.equal(typeof s.has_siblings, 'boolean');
        assert.ok(!Number.isNaN(Date.parse(s.started_at)));
      }
      const statuses = new Set(seen.map((s) => s.status));
      for (const status of ['APPROVED', 'AWAITING REVIEW', 'RETURNED', 'TIMED-OUT', 'REJECTED']) assert.ok(statuses.has(status), status);

      const window = await readJson<Paged<SubmissionShort>>(await call(`/api/v1/studies/${STUDY}/submissions/?limit=5&offset=45`));
      assert.deepEqual(
        window.results.map((s) => s.id),
        seen.slice(45).map((s) => s.id),
      );
      assert.equal(window._links.next.href, null);
      assert.match(window._links.previous.href ?? '', /offset=40/);
      assert.equal(await flatDetail(await call(`/api/v1/studies/${'0'.repeat(24)}/submissions/`), 404), 'Not found.');
    });

    it('GET /participant-groups/ requires workspace_id and lists the groups with their members', async () => {
      assert.deepEqual(Object.keys(await nestedDetail(await call('/api/v1/participant-groups/'), 400)), ['workspace_id']);
      const { results } = await readJson<Paged<Group>>(await call(`/api/v1/participant-groups/?workspace_id=${SEED_IDS.workspace}`));
      assert.equal(results.length, 3);
      for (const group of results) {
        assert.match(group.id, HEX24);
        assert.equal(group.workspace_id, SEED_IDS.workspace);
        // Only the retired group is deleted; the API still lists it, and its members.
        assert.equal(group.is_deleted === true, group.id === SEED_IDS.groups.retired);
        const members = await readJson<{ results: { participant_id: string; datetime_created: string }[] }>(
          await call(`/api/v1/participant-groups/${group.id}/participants/`),
        );
        assert.equal(members.results.length, group.participant_count);
        assert.ok(members.results.every((m) => HEX24.test(m.participant_id)));
      }
      assert.equal(await flatDetail(await call(`/api/v1/participant-groups/${'0'.repeat(24)}/participants/`), 404), 'Not found.');
    });

    it('serves nulls wherever the SPEC allows them: a sparse submission, a group, an unpublished study', async () => {
      const memory = (await allPages<Record<string, unknown>>(`/api/v1/studies/${SEED_IDS.studies.memory}/submissions/`)).items;
      const sparse = memory.filter((s) => s['status'] === null);
      assert.equal(sparse.length, 1);
      assert.deepEqual(sparse[0], {
        id: null,
        participant_id: participantId(106),
        status: null,
        started_at: sparse[0]['started_at'],
        completed_at: null,
        has_siblings: false,
        study_code: null,
        return_requested: null,
      });
      assert.ok(typeof sparse[0]['started_at'] === 'string', 'the required fields stay set');
      const { results: groups } = await readJson<Paged<Record<string, unknown>>>(
        await call(`/api/v1/participant-groups/?workspace_id=${SEED_IDS.workspace}`),
      );
      const followUp = groups.find((g) => g['id'] === SEED_IDS.groups.followUp);
      assert.deepEqual(followUp && [followUp['description'], followUp['is_deleted'], followUp['project_id']], [null, null, null]);
      assert.equal(
        (await readJson<Paged<Group>>(await call(`/api/v1/participant-groups/?workspace_id=${SEED_IDS.workspace}&active=true`))).results
          .length,
        2,
        'a null is_deleted counts as not deleted',
      );
      const draft = await readJson<Record<string, unknown>>(await call(`/api/v1/studies/${SEED_IDS.studies.draft}/`));
      assert.deepEqual([draft['internal_name'], draft['published_at'], draft['credential_pool_id']], [null, null, null]);
    });

    it('GET /workspaces/ lists the workspace with its users', async () => {
      const { results, meta } = await readJson<Paged<{ id: string; title: string; owner: string; users: { id: string }[] }>>(
        await call('/api/v1/workspaces/'),
      );
      assert.equal(meta.count, 1);
      assert.equal(results[0].id, SEED_IDS.workspace);
      assert.equal(results[0].owner, SEED_IDS.researcher);
      assert.ok(results[0].users.some((u) => u.id === SEED_IDS.researcher));
    });
  });

  describe('faults', () => {
    const path = '/api/v1/messages/';

    it('status: answers with the nested form by default, before auth and routing, and still records', async () => {
      fake.inject({ path, fault: { kind: 'status', status: 503 } });
      assert.equal(typeof (await nestedDetail(await call(path, { authorization: null, json: validSend }), 503)), 'string');
      assert.equal(fake.requests.length, 1);
      assert.equal(fake.sent().length, 0);

      fake.inject({
        path: '/api/v1/not-routed/',
        fault: { kind: 'status', status: 403, body: { detail: 'Forbidden' }, headers: { 'X-Custom': 'yes' } },
      });
      const custom = await call('/api/v1/not-routed/');
      assert.deepEqual(await readJson(custom, 403), { detail: 'Forbidden' });
      assert.equal(custom.headers.get('x-custom'), 'yes');
    });

    it('status with detail: the documented nested form around that detail, e.g. field errors', async () => {
      const detail = { study_id: ['"abc" is not a valid ID.'], body: ['This field may not be blank.'] };
      fake.inject({ path, fault: { kind: 'status', status: 400, detail }, times: 1 });
      assert.deepEqual(await nestedDetail(await send(validSend), 400), detail);
      assert.equal(fake.sent().length, 0);
      assert.throws(() => fake.inject({ path, fault: { kind: 'status', status: 400, detail, body: {} } }), /not both/);
      assert.throws(
        () => fake.inject({ path, fault: { kind: 'status', status: 400, detail: { study_id: 'not a list' } } } as unknown as FaultRule),
        TypeError,
      );
    });

    it('records the fault it applied on the request, exactly as injected; a normal answer records none', async () => {
      const unauthorized = { kind: 'status', status: 401, body: { detail: 'Invalid token.' } } as const;
      fake.inject({ path, method: 'POST', fault: unauthorized, times: 1 });
      fake.inject({ path: '/api/v1/users/me/', fault: { kind: 'delay', ms: 1 }, times: 1 });
      assert.equal((await send(validSend)).status, 401);
      assert.equal((await send(validSend)).status, 204);
      assert.equal((await call('/api/v1/users/me/')).status, 200);
      assert.deepEqual(
        fake.requests.map((r) => [r.path, r.fault, r.appliedFault]),
        [
          [path, 'status', unauthorized],
          [path, undefined, undefined],
          ['/api/v1/users/me/', 'delay', { kind: 'delay', ms: 1 }],
        ],
      );
      fake.setRateLimit({ requestsPerSecond: 0.5, burst: 1 });
      await call('/api/v1/users/me/');
      assert.equal((await call('/api/v1/users/me/')).status, 429);
      assert.deepEqual(
        [fake.requests[4].fault, fake.requests[4].appliedFault],
        ['limit', undefined],
        'the rate limit is not an injected fault',
      );
    });

    it('applies `times` times, only to the given method', async () => {
      fake.inject({ path, method: 'post', fault: { kind: 'status', status: 500 }, times: 2 });
      assert.equal((await call(`${path}?user_id=${PARTICIPANT}`)).status, 200);
      assert.equal((await send(validSend)).status, 500);
      assert.equal((await send(validSend)).status, 500);
      assert.equal((await send(validSend)).status, 204);
      assert.equal(fake.sent().length, 1);
      assert.equal(fake.requests.length, 4);
    });

    it('rateLimit: 429, with Retry-After only when given', async () => {
      fake.inject({ path, fault: { kind: 'rateLimit', retryAfterSeconds: 7 }, times: 1 });
      fake.inject({ path, fault: { kind: 'rateLimit' }, times: 1 });
      const first = await send(validSend);
      await nestedDetail(first, 429);
      assert.equal(first.headers.get('retry-after'), '7');
      const second = await send(validSend);
      await nestedDetail(second, 429);
      assert.equal(second.headers.get('retry-after'), null);
      assert.equal(fake.sent().length, 0);
    });

    it('delay: waits, then answers and sends normally', async () => {
      fake.inject({ path, fault: { kind: 'delay', ms: 80 } });
      const started = Date.now();
      const res = await send(validSend);
      assert.ok(Date.now() - started >= 75, 'answered too early');
      assert.equal(res.status, 204);
      assert.equal(fake.sent().length, 1);
      assert.equal(fake.requests.length, 1);
    });

    it('reset: drops the connection without answering, records the request, sends nothing', async () => {
      fake.inject({ path, fault: { kind: 'reset' }, times: 1 });
      await assert.rejects(send(validSend), TypeError);
      assert.equal(fake.requests.length, 1);
      assert.deepEqual(fake.requests[0].body, validSend);
      assert.equal(fake.requests[0].fault, 'reset');
      assert.equal(fake.sent().length, 0);
      assert.equal((await send(validSend)).status, 204);
      assert.equal(fake.requests[1].fault, undefined, 'a request answered normally names no fault');
    });

    it('resetAfterProcessing: delivers the message, then drops the connection without answering', async () => {
      const recipient = 'cccccccccccccccccccccccc';
      fake.inject({ path, fault: { kind: 'resetAfterProcessing' }, times: 1 });
      await assert.rejects(send({ ...validSend, recipient_id: recipient }), TypeError);
      assert.equal(fake.requests.length, 1);
      assert.equal(fake.requests[0].fault, 'resetAfterProcessing');
      assert.deepEqual(
        fake.sent().map((m) => [m.recipient_id, m.body]),
        [[recipient, validSend.body]],
        'delivered although the client saw only a reset',
      );
      assert.equal((await thread(recipient)).length, 1);
      assert.equal((await send(validSend)).status, 204);
      assert.equal(fake.sent().length, 2);
    });

    it('malformedJson: application/json that does not parse, 200 unless told', async () => {
      fake.inject({ path: '/api/v1/users/me/', fault: { kind: 'malformedJson' }, times: 1 });
      fake.inject({ path: '/api/v1/users/me/', fault: { kind: 'malformedJson', status: 400 }, times: 1 });
      for (const status of [200, 400]) {
        const res = await call('/api/v1/users/me/');
        assert.equal(res.status, status);
        assert.equal(res.headers.get('content-type'), 'application/json');
        await assert.rejects(res.json(), SyntaxError);
      }
    });

    it('html: a text/html error page with the given status', async () => {
      fake.inject({ path, fault: { kind: 'html', status: 502 } });
      const res = await send(validSend);
      assert.equal(res.status, 502);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
      assert.match(await res.text(), /<html>[\s\S]*502 Bad Gateway/);
      assert.equal(fake.sent().length, 0);
    });

    it('empty200: 200 with an empty body', async () => {
      fake.inject({ path, fault: { kind: 'empty200' } });
      const res = await send(validSend);
      assert.equal(res.status, 200);
      assert.equal(await res.text(), '');
      assert.equal(fake.sent().length, 0);
    });

    it('clearFaults() and reset() remove faults; inject() refuses invalid rules', async () => {
      fake.inject({ path, fault: { kind: 'status', status: 500 } });
      fake.clearFaults();
      assert.equal((await send(validSend)).status, 204);
      fake.inject({ path, fault: { kind: 'status', status: 500 } });
      fake.reset();
      assert.equal((await send(validSend)).status, 204);
      assert.equal(fake.requests.length, 1);
      assert.throws(() => fake.inject({ path, fault: { kind: 'status', status: 42 } }), TypeError);
      assert.throws(() => fake.inject({ path: 'api/v1/messages/', fault: { kind: 'empty200' } }), TypeError);
      assert.throws(() => fake.inject({ path, fault: { kind: 'nope' } } as unknown as FaultRule), TypeError);
    });
  });

  describe('random faults (probability)', () => {
    const path = '/api/v1/messages/';
    const me = '/api/v1/users/me/';
    /** Sends `n` requests one after another; returns the statuses. */
    async function statuses(n: number, target = me): Promise<number[]> {
      const result: number[] = [];
      for (let i = 0; i < n; i++) {
        const res = await call(target);
        await res.arrayBuffer();
        result.push(res.status);
      }
      return result;
    }
    /** Positions whose draw from a PRNG seeded with `seed` falls under `p`: where the rule should apply. */
    const picked = (seed: number, p: number, n: number): number[] => {
      const random = mulberry32(seed);
      return Array.from({ length: n }, () => random()).flatMap((x, i) => (x < p ? [i] : []));
    };
    const where = (list: number[], status: number): number[] => list.flatMap((s, i) => (s === status ? [i] : []));

    it('mulberry32 is deterministic per seed, within [0, 1), and roughly uniform', () => {
      const a = mulberry32(42);
      const b = mulberry32(42);
      const c = mulberry32(43);
      const xs = Array.from({ length: 10_000 }, () => a());
      assert.deepEqual(
        Array.from({ length: 10_000 }, () => b()),
        xs,
      );
      assert.notDeepEqual(
        Array.from({ length: 10_000 }, () => c()),
        xs,
      );
      assert.ok(xs.every((x) => x >= 0 && x < 1));
      const mean = xs.reduce((sum, x) => sum + x, 0) / xs.length;
      assert.ok(Math.abs(mean - 0.5) < 0.02, `mean ${mean}`);
      assert.ok(Math.abs(xs.filter((x) => x < 0.1).length - 1000) < 150);
    });

    it('applies to the fraction of matching requests its seeded draws pick, the same way every time', async () => {
      const rule: FaultRule = { path: me, fault: { kind: 'status', status: 500 }, probability: 0.3, seed: 42 };
      fake.inject(rule);
      const first = await statuses(200);
      assert.deepEqual(where(first, 500), picked(42, 0.3, 200));
      assert.deepEqual(
        where(first, 200),
        first.flatMap((s, i) => (s === 500 ? [] : [i])),
        'the rest answered normally',
      );
      const count = where(first, 500).length;
      assert.ok(count > 35 && count < 85, `${count} of 200 at p=0.3`);
      assert.equal(fake.requests.filter((r) => r.fault === 'status').length, count);

      fake.reset();
      fake.inject(rule);
      assert.deepEqual(await statuses(200), first, 'reproducible with the same seed');

      fake.reset();
      fake.inject({ ...rule, seed: 7 });
      assert.notDeepEqual(await statuses(200), first, 'another seed picks other requests');

      fake.reset();
      fake.inject({ path: me, fault: { kind: 'status', status: 500 }, probability: 0.3 });
      assert.deepEqual(where(await statuses(50), 500), picked(DEFAULT_FAULT_SEED, 0.3, 50), 'no seed: the default one');
    });

    it('probability 0 never applies, 1 always does; other paths and methods draw nothing', async () => {
      fake.inject({ path: me, fault: { kind: 'status', status: 503 }, probability: 0 });
      assert.deepEqual(await statuses(20), Array(20).fill(200));
      fake.clearFaults();
      fake.inject({ path: me, method: 'GET', fault: { kind: 'status', status: 503 }, probability: 1 });
      assert.deepEqual(await statuses(20), Array(20).fill(503));
      fake.clearFaults();
      // A rule for another path or method must not use up draws: the picks stay those of the seed.
      fake.inject({ path: me, method: 'GET', fault: { kind: 'status', status: 500 }, probability: 0.5, seed: 9 });
      const mixed: number[] = [];
      for (let i = 0; i < 40; i++) {
        assert.equal((await call('/api/v1/studies/')).status, 200);
        assert.equal((await call(me, { method: 'POST', json: {} })).status, 405);
        mixed.push(...(await statuses(1)));
      }
      assert.deepEqual(where(mixed, 500), picked(9, 0.5, 40));
    });

    it('a request the draw spares goes on to the next matching rule', async () => {
      fake.inject({ path: me, fault: { kind: 'status', status: 500 }, probability: 0.5, seed: 5 });
      fake.inject({ path: me, fault: { kind: 'status', status: 503 } });
      const got = await statuses(60);
      assert.deepEqual(where(got, 500), picked(5, 0.5, 60));
      assert.equal(where(got, 500).length + where(got, 503).length, 60);
    });

    it('with `times`, applies that many times to requests its draws pick, then is gone', async () => {
      const rule: FaultRule = { path: me, fault: { kind: 'status', status: 500 }, probability: 0.25, seed: 11, times: 3 };
      fake.inject(rule);
      const got = await statuses(80);
      assert.deepEqual(where(got, 500), picked(11, 0.25, 80).slice(0, 3));
      assert.deepEqual(await readJson(await fetch(`${fake.url}/__fake/faults`)), []);
    });

    it('random resets: `reset` ones are not processed, `resetAfterProcessing` ones are', async () => {
      const recipients = Array.from({ length: 60 }, (_, i) => (0xa00 + i).toString(16).padStart(24, '0'));
      fake.inject({ path, method: 'POST', fault: { kind: 'reset' }, probability: 0.2, seed: 1 });
      fake.inject({ path, method: 'POST', fault: { kind: 'resetAfterProcessing' }, probability: 0.2, seed: 2 });
      const outcome: string[] = [];
      for (const recipient of recipients) {
        outcome.push(
          await send({ ...validSend, recipient_id: recipient }).then(
            (r) => String(r.status),
            () => 'reset',
          ),
        );
      }
      const byFault = (kind: string) =>
        fake.requests.flatMap((r) => (r.fault === kind ? [(r.body as { recipient_id: string }).recipient_id] : []));
      const before = byFault('reset');
      const after = byFault('resetAfterProcessing');
      assert.ok(before.length > 0 && after.length > 0, `${before.length} resets, ${after.length} after processing`);
      assert.deepEqual(
        outcome.flatMap((o, i) => (o === 'reset' ? [recipients[i]] : [])),
        [...before, ...after].sort(),
      );
      assert.ok(outcome.every((o) => o === '204' || o === 'reset'));
      const sent = new Set(fake.sent().map((m) => m.recipient_id));
      assert.ok(
        before.every((id) => !sent.has(id)),
        'a reset is not processed',
      );
      assert.ok(
        after.every((id) => sent.has(id)),
        'a reset after processing delivered the message',
      );
      assert.equal(sent.size, recipients.length - before.length);
    });

    it('refuses invalid probabilities and seeds', () => {
      const base = { path: me, fault: { kind: 'empty200' } };
      for (const bad of [
        { probability: 1.5 },
        { probability: -0.1 },
        { probability: Number.NaN },
        { probability: '0.5' },
        { probability: 0.5, seed: 1.5 },
        { seed: 3 },
      ]) {
        assert.throws(() => fake.inject({ ...base, ...bad } as unknown as FaultRule), TypeError, JSON.stringify(bad));
      }
    });
  });

  describe('rate limit', () => {
    const path = '/api/v1/messages/';
    const me = '/api/v1/users/me/';
    async function statusesOf(n: number): Promise<number[]> {
      const result: number[] = [];
      for (let i = 0; i < n; i++) result.push((await call(me)).status);
      return result;
    }

    it('RateLimiter: a token bucket that starts full, refills at the rate, and says when to come back', () => {
      let now = 0;
      const limiter = new RateLimiter({ requestsPerSecond: 10, burst: 3 }, () => now);
      assert.deepEqual([limiter.take(me), limiter.take(me), limiter.take(me)], [undefined, undefined, undefined]);
      assert.equal(limiter.take(me), 1, 'empty: Retry-After is whole seconds, at least 1');
      now = 100;
      assert.equal(limiter.take(me), undefined, 'one token back after 1/10 s');
      assert.equal(limiter.take(me), 1);
      now = 60_000;
      assert.deepEqual(
        [limiter.take(me), limiter.take(me), limiter.take(me), limiter.take(me)],
        [undefined, undefined, undefined, 1],
        'refills up to burst only',
      );

      let t = 0;
      const slow = new RateLimiter({ requestsPerSecond: 0.25 }, () => t);
      assert.equal(slow.take(me), undefined, 'default burst: one second of the rate, at least 1');
      assert.equal(slow.take(me), 4);
      t = 2500;
      assert.equal(slow.take(me), 2, 'rounded up');
      t = 4000;
      assert.equal(slow.take(me), undefined);

      const scoped = new RateLimiter({ requestsPerSecond: 1, burst: 1, path }, () => 0);
      assert.equal(scoped.take(path), undefined);
      assert.equal(scoped.take(path), 1);
      assert.equal(scoped.take(me), undefined, 'other paths are not limited');
      assert.equal(new RateLimiter({ requestsPerSecond: 400 }).limit.requestsPerSecond, 400);
    });

    it('answers 429 with Retry-After in the nested form beyond the limit, and does not process the request', async () => {
      fake.setRateLimit({ requestsPerSecond: 0.5, burst: 2 });
      const recipients = ['d'.repeat(24), 'e'.repeat(24), 'f'.repeat(24)];
      assert.equal((await send({ ...validSend, recipient_id: recipients[0] })).status, 204);
      assert.equal((await send({ ...validSend, recipient_id: recipients[1] })).status, 204);
      const refused = await send({ ...validSend, recipient_id: recipients[2] });
      const detail = await nestedDetail(refused, 429);
      assert.match(detail as string, /throttled/);
      const retryAfter = Number(refused.headers.get('retry-after'));
      assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 2, `Retry-After ${retryAfter}`);
      assert.deepEqual(
        fake.sent().map((m) => m.recipient_id),
        recipients.slice(0, 2),
        'the refused one was not processed',
      );
      assert.deepEqual(
        fake.requests.map((r) => r.fault),
        [undefined, undefined, 'limit'],
        'recorded, marked as refused by the limit',
      );
      // Server-wide: other paths, and unauthenticated requests, share the bucket.
      assert.equal((await call(me)).status, 429);
      assert.equal((await call('/api/v1/nothing/', { authorization: null })).status, 429);
    });

    it('lets requests through again as the bucket refills', async () => {
      // One token every 250 ms: the second request comes well within that, the third well after.
      fake.setRateLimit({ requestsPerSecond: 4, burst: 1 });
      assert.equal((await call(me)).status, 200);
      const refused = await call(me);
      assert.equal(refused.status, 429);
      assert.equal(refused.headers.get('retry-after'), '1');
      await new Promise((resolve) => setTimeout(resolve, 350));
      assert.equal((await call(me)).status, 200);
    });

    it('holds concurrent requests to the burst', async () => {
      fake.setRateLimit({ requestsPerSecond: 1, burst: 5 });
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => send({ ...validSend, recipient_id: (0xb00 + i).toString(16).padStart(24, '0') })),
      );
      assert.equal(results.filter((r) => r.status === 204).length, 5);
      assert.equal(results.filter((r) => r.status === 429).length, 7);
      assert.equal(fake.sent().length, 5);
    });

    it('comes before faults: a refused request draws nothing and uses up no `times`', async () => {
      fake.setRateLimit({ requestsPerSecond: 0.5, burst: 1 });
      fake.inject({ path: me, fault: { kind: 'status', status: 500 }, times: 1 });
      assert.equal((await call(me)).status, 500);
      fake.inject({ path: me, fault: { kind: 'status', status: 503 }, times: 1 });
      assert.equal((await call(me)).status, 429);
      assert.deepEqual(
        fake.requests.map((r) => r.fault),
        ['status', 'limit'],
      );
      fake.clearRateLimit();
      assert.equal((await call(me)).status, 503, 'the fault was still there');
    });

    it('a path limit covers that path only; clearRateLimit() and reset() remove it; invalid limits are refused', async () => {
      fake.setRateLimit({ requestsPerSecond: 0.5, burst: 1, path });
      assert.equal((await send(validSend)).status, 204);
      assert.equal((await send(validSend)).status, 429);
      assert.equal((await call(me)).status, 200);
      fake.clearRateLimit();
      assert.equal((await send(validSend)).status, 204);
      fake.setRateLimit({ requestsPerSecond: 0.5, burst: 1 });
      fake.reset();
      assert.deepEqual(await statusesOf(3), [200, 200, 200]);
      for (const bad of [
        { requestsPerSecond: 0 },
        { requestsPerSecond: -1 },
        { requestsPerSecond: '5' },
        { requestsPerSecond: 5, burst: 1.5 },
        { requestsPerSecond: 5, burst: 0 },
        { requestsPerSecond: 5, path: 'api/' },
        {},
      ]) {
        assert.throws(() => fake.setRateLimit(bad as unknown as RateLimit), TypeError, JSON.stringify(bad));
      }
    });
  });

  describe('control endpoints', () => {
    const control = (path: string, method = 'GET', json?: unknown): Promise<Response> =>
      fetch(`${fake.url}/__fake/${path}`, { method, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });

    it('GET /__fake/requests and /__fake/sent mirror the API traffic, never themselves', async () => {
      await send(validSend);
      await call('/api/v1/users/me/');
      const requests = await readJson<RecordedRequest[]>(await control('requests'));
      assert.deepEqual(
        requests.map((r) => [r.method, r.path]),
        [
          ['POST', '/api/v1/messages/'],
          ['GET', '/api/v1/users/me/'],
        ],
      );
      assert.deepEqual(requests[0].body, validSend);
      const sent = await readJson<SentMessage[]>(await control('sent'));
      assert.deepEqual(sent, fake.sent());
      assert.equal(fake.requests.length, 2);
    });

    it('POST /__fake/faults installs a rule, DELETE removes them', async () => {
      const rule: FaultRule = { path: '/api/v1/messages/', method: 'POST', fault: { kind: 'rateLimit', retryAfterSeconds: 1 }, times: 3 };
      const res = await control('faults', 'POST', rule);
      assert.equal(res.status, 204);
      assert.equal(await res.text(), '');
      assert.deepEqual(await readJson(await control('faults')), [rule]);
      assert.equal((await send(validSend)).status, 429);
      assert.equal((await control('faults', 'DELETE')).status, 204);
      assert.equal((await send(validSend)).status, 204);
    });

    it('POST /__fake/faults refuses an invalid rule with 400', async () => {
      assert.match(await flatDetail(await control('faults', 'POST', { path: '/x/', fault: { kind: 'html' } }), 400), /status/);
      const raw = await fetch(`${fake.url}/__fake/faults`, { method: 'POST', body: '{' });
      assert.equal(raw.status, 400);
      assert.deepEqual(await readJson(await control('faults')), []);
    });

    it('POST /__fake/faults takes probability and seed, and lists them', async () => {
      const rule: FaultRule = {
        path: '/api/v1/messages/',
        method: 'POST',
        fault: { kind: 'resetAfterProcessing' },
        probability: 0.002,
        seed: 7,
        times: 5,
      };
      assert.equal((await control('faults', 'POST', rule)).status, 204);
      assert.deepEqual(await readJson(await control('faults')), [rule]);
      assert.match(await flatDetail(await control('faults', 'POST', { ...rule, probability: 2 }), 400), /probability/);
    });

    it('POST /__fake/limits sets the rate limit, GET shows it, DELETE removes it', async () => {
      assert.equal(await readJson(await control('limits')), null);
      const limit: RateLimit = { requestsPerSecond: 0.5, burst: 1, path: '/api/v1/users/me/' };
      assert.equal((await control('limits', 'POST', limit)).status, 204);
      assert.deepEqual(await readJson(await control('limits')), limit);
      assert.equal((await call('/api/v1/users/me/')).status, 200);
      const refused = await call('/api/v1/users/me/');
      assert.equal(refused.status, 429);
      assert.ok(Number(refused.headers.get('retry-after')) >= 1);
      assert.equal((await control('limits', 'DELETE')).status, 204);
      assert.equal(await readJson(await control('limits')), null);
      assert.equal((await call('/api/v1/users/me/')).status, 200);
      assert.match(await flatDetail(await control('limits', 'POST', { requestsPerSecond: 0 }), 400), /requestsPerSecond/);
      assert.equal((await fetch(`${fake.url}/__fake/limits`, { method: 'POST', body: '{' })).status, 400);
      assert.equal((await control('limits', 'PUT', limit)).status, 405);
      assert.equal(fake.requests.length, 3, 'control requests are never limited or recorded');
    });

    it('POST /__fake/tokens accepts another token; a request record carries the applied fault', async () => {
      const second = 'second-token-8796a5b4c3d2e1f0';
      assert.equal((await control('tokens', 'POST', { token: second })).status, 204);
      assert.equal((await call('/api/v1/users/me/', { authorization: `Token ${second}` })).status, 200);
      assert.match(await flatDetail(await control('tokens', 'POST', { token: '' }), 400), /token/);
      assert.equal((await control('tokens')).status, 405);
      const fault = { kind: 'status', status: 401 } as const;
      assert.equal((await control('faults', 'POST', { path: '/api/v1/users/me/', fault, times: 1 })).status, 204);
      assert.equal(
        (await call('/api/v1/users/me/', { authorization: `Token ${second}` })).status,
        401,
        'an accepted token, refused by the fault',
      );
      const requests = await readJson<RecordedRequest[]>(await control('requests'));
      assert.deepEqual(
        requests.map((r) => r.appliedFault),
        [undefined, fault],
      );
    });

    it('POST /__fake/reset clears requests, sent messages, faults and the rate limit', async () => {
      await send(validSend);
      fake.inject({ path: '/api/v1/users/me/', fault: { kind: 'empty200' } });
      fake.setRateLimit({ requestsPerSecond: 0.5, burst: 1 });
      assert.equal((await control('reset', 'POST')).status, 204);
      assert.equal(fake.requests.length, 0);
      assert.equal(fake.sent().length, 0);
      assert.equal((await call('/api/v1/users/me/')).status, 200);
      assert.equal((await call('/api/v1/users/me/')).status, 200);
      assert.equal(await readJson(await control('limits')), null);
    });

    it('answers 404 for unknown control paths and 405 for wrong methods', async () => {
      assert.equal((await control('nothing')).status, 404);
      assert.equal((await control('reset')).status, 405);
      assert.equal(fake.requests.length, 0);
    });
  });

  describe('close()', () => {
    it('resolves while a delayed request and a keep-alive connection are open', async () => {
      const other = await startFakeProlific();
      await call('/api/v1/users/me/', {}, other); // leaves an idle keep-alive socket in fetch's pool
      other.inject({ path: '/api/v1/users/me/', fault: { kind: 'delay', ms: 60_000 } });
      const pending = call('/api/v1/users/me/', {}, other).then(
        () => 'answered',
        () => 'failed',
      );
      await until(() => other.requests.length === 2, 'the delayed request to arrive');
      await other.close();
      assert.equal(await pending, 'failed');
      await assert.rejects(call('/api/v1/users/me/', {}, other), TypeError);
    });
  });

  describe('cli', () => {
    it('prints the URL and token, serves the API and stops on SIGTERM', async function () {
      this.timeout(10_000);
      const child = spawn(process.execPath, [join(__dirname, '..', 'fake-prolific', 'cli.js'), '--port', '0', '--token', 'cli-token'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on('exit', (code, signal) => resolve({ code, signal })),
      );
      try {
        const lines: string[] = [];
        const reader = createInterface({ input: child.stdout });
        reader.on('line', (line) => lines.push(line));
        await until(() => lines.length >= 2, 'the CLI banner', 8000);
        const url = /^Fake Prolific API: (http:\/\/127\.0\.0\.1:\d+)$/.exec(lines[0])?.[1];
        assert.ok(url, lines[0]);
        assert.equal(lines[1], 'Token: cli-token');
        const res = await fetch(`${url}/api/v1/users/me/`, { headers: { Authorization: 'Token cli-token' } });
        assert.equal(res.status, 200);
      } finally {
        child.kill('SIGTERM');
      }
      const exit = await exited;
      // Windows has no signals: kill() ends the process at once, so only POSIX shows the clean exit.
      if (process.platform !== 'win32') assert.deepEqual(exit, { code: 0, signal: null });
    });
  });
});
