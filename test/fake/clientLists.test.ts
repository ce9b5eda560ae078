// The client's bulk and group sends and its paged lists, against the fake Prolific API over
// loopback (real sockets, no stubs). Paging follows the server's next links, so these tests also
// check that a link to another origin, a loop or an endless list never sends the token anywhere
// else nor hangs.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { baseUrlOf } from '../support/fakeBaseUrl';
import { ProlificClient, type ProlificClientOptions } from '../../src/prolific/client';
import type { RequestLogEntry } from '../../src/prolific/http';
import { ProlificApiError } from '../../src/prolific/errors';
import { startFakeProlific, type FakeProlific } from '../fake-prolific/server';
import { SEED_IDS, participantId } from '../fake-prolific/seed';

const TOKEN = 'tok_LISTS_5e1d2c3b4a69788796a5b4c3';
const BULK = '/api/v1/messages/bulk/';
const GROUP = '/api/v1/messages/participant-group/';
const WORKSPACES = '/api/v1/workspaces/';
const GROUPS = '/api/v1/participant-groups/';
const READING = SEED_IDS.studies.reading;
const SUBMISSIONS = `/api/v1/studies/${READING}/submissions/`;
const STUDIES = '/api/v1/studies/';
const MESSAGES = '/api/v1/messages/';
const UNREAD = '/api/v1/messages/unread/';

describe('ProlificClient bulk, group and paged lists against the fake', function () {
  this.timeout(10_000);

  let fake: FakeProlific;
  let base: URL;

  function client(overrides: Partial<ProlificClientOptions> = {}): ProlificClient {
    return new ProlificClient({ baseUrl: base, token: TOKEN, timeoutMs: 5_000, userAgent: 'test', ...overrides });
  }

  function hits(path: string): number {
    return fake.requests.filter((r) => r.path === path).length;
  }

  async function invalidResponse(promise: Promise<unknown>): Promise<ProlificApiError> {
    const error = await promise.then(
      () => assert.fail('expected an invalidResponse error'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ProlificApiError, String(error));
    assert.equal(error.kind, 'invalidResponse', error.message);
    assert.match(error.message, /^[A-Z].*[.!?]$/);
    assert.ok(!error.message.includes(TOKEN));
    return error;
  }

  before(async () => {
    fake = await startFakeProlific({ token: TOKEN });
    base = baseUrlOf(fake);
  });

  beforeEach(() => fake.reset());

  after(async () => {
    await fake?.close();
  });

  describe('sendBulk and sendToGroup', () => {
    it('sendBulk posts the ids once and resolves on 204', async () => {
      const message = { ids: [participantId(1), participantId(2), participantId(3)], body: 'Thank you all!', study_id: READING };
      await client().sendBulk({ ...message, extra: 'dropped' } as typeof message);
      assert.equal(fake.requests.length, 1);
      const [request] = fake.requests;
      assert.equal(request.method, 'POST');
      assert.equal(request.path, BULK);
      assert.equal(request.headers['authorization'], `Token ${TOKEN}`);
      assert.equal(request.headers['content-type'], 'application/json');
      assert.deepEqual(JSON.parse(request.rawBody), message);
      assert.deepEqual(
        fake.sent().map(({ recipient_id, via }) => ({ recipient_id, via })),
        message.ids.map((recipient_id) => ({ recipient_id, via: 'bulk' })),
      );
    });

    it('sendBulk refuses a malformed message before any request', async () => {
      await assert.rejects(client().sendBulk({ ids: 'abc', body: 'x', study_id: READING } as never), TypeError);
      assert.equal(fake.requests.length, 0);
    });

    it('sendToGroup posts to the group endpoint, with and without a study', async () => {
      await client().sendToGroup({ participant_group_id: SEED_IDS.groups.pilot, body: 'Pilot news', study_id: READING });
      await client().sendToGroup({ participant_group_id: SEED_IDS.groups.followUp, body: 'Follow-up news' });
      assert.equal(hits(GROUP), 2);
      assert.deepEqual(JSON.parse(fake.requests[0].rawBody), {
        participant_group_id: SEED_IDS.groups.pilot,
        body: 'Pilot news',
        study_id: READING,
      });
      // An absent study_id is not posted at all (not as null).
      assert.deepEqual(JSON.parse(fake.requests[1].rawBody), { participant_group_id: SEED_IDS.groups.followUp, body: 'Follow-up news' });
      const sent = fake.sent();
      assert.equal(sent.length, 6 + 3, 'every member of both groups');
      assert.ok(sent.every((m) => m.via === 'group'));
      assert.deepEqual(
        sent.slice(6).map((m) => m.study_id),
        [null, null, null],
      );
    });

    it('a bulk 400 is a rejection that did not reach the server', async () => {
      const error = await client()
        .sendBulk({ ids: ['nope'], body: 'x', study_id: READING })
        .then(
          () => assert.fail('expected a 400'),
          (e: unknown) => e as ProlificApiError,
        );
      assert.equal(error.status, 400);
      assert.equal(error.mayHaveReachedServer, false);
      assert.equal(hits(BULK), 1);
    });
  });

  describe('paged lists', () => {
    it('listSubmissions reads all three pages of the 50-submission study', async () => {
      const submissions = await client().listSubmissions(READING);
      assert.equal(submissions.length, 50);
      assert.deepEqual(
        submissions.map((s) => s.participant_id),
        Array.from({ length: 50 }, (_, i) => participantId(i)),
      );
      assert.ok(submissions.every((s) => typeof s.status === 'string' && s.status.length > 0));
      assert.deepEqual(
        fake.requests.map((r) => ({ path: r.path, offset: r.query['offset'] })),
        [
          { path: SUBMISSIONS, offset: undefined },
          { path: SUBMISSIONS, offset: '20' },
          { path: SUBMISSIONS, offset: '40' },
        ],
      );
      assert.ok(fake.requests.every((r) => r.headers['authorization'] === `Token ${TOKEN}`));
    });

    it('a single page and an empty study', async () => {
      assert.equal((await client().listSubmissions(SEED_IDS.studies.decisions)).length, 12);
      assert.deepEqual(await client().listSubmissions(SEED_IDS.studies.draft), []);
      assert.equal(fake.requests.length, 2);
    });

    it('refuses a study ID that would change the path', async () => {
      for (const id of ['..', '', 'a/b', 'x?y=1']) await assert.rejects(client().listSubmissions(id), TypeError);
      assert.equal(fake.requests.length, 0);
    });

    it('listWorkspaces', async () => {
      const workspaces = await client().listWorkspaces();
      assert.deepEqual(
        workspaces.map(({ id, title }) => ({ id, title })),
        [{ id: SEED_IDS.workspace, title: 'Cognition Lab' }],
      );
      assert.ok('users' in workspaces[0], 'unknown keys are allowed through');
      assert.equal(hits(WORKSPACES), 1);
    });

    it('listParticipantGroups sends workspace_id and returns the groups', async () => {
      const groups = await client().listParticipantGroups(SEED_IDS.workspace);
      assert.deepEqual(
        groups.map(({ id, name, participant_count, is_deleted }) => ({ id, name, participant_count, is_deleted })),
        [
          { id: SEED_IDS.groups.pilot, name: 'Pilot volunteers', participant_count: 6, is_deleted: false },
          { id: SEED_IDS.groups.followUp, name: 'Follow-up panel', participant_count: 3, is_deleted: null },
          { id: SEED_IDS.groups.retired, name: 'Retired panel', participant_count: 2, is_deleted: true },
        ],
      );
      assert.deepEqual(fake.requests[0].query, { workspace_id: SEED_IDS.workspace });
    });

    it("an unknown workspace is the server's 404", async () => {
      const error = await client()
        .listParticipantGroups('ffffffffffffffffffffffff')
        .then(
          () => assert.fail('expected a 404'),
          (e: unknown) => e as ProlificApiError,
        );
      assert.equal(error.status, 404);
      assert.equal(error.kind, 'http');
    });

    it('follows a relative string `next` (the cursor form) and then the _links pages', async () => {
      const first = { participant_id: 'cursor-page', status: 'APPROVED' };
      fake.inject({
        path: SUBMISSIONS,
        times: 1,
        fault: { kind: 'status', status: 200, body: { results: [first], next: `${SUBMISSIONS}?limit=20&offset=40` } },
      });
      const submissions = await client().listSubmissions(READING);
      assert.deepEqual(
        submissions.map((s) => s.participant_id),
        ['cursor-page', ...Array.from({ length: 10 }, (_, i) => participantId(40 + i))],
      );
      assert.equal(hits(SUBMISSIONS), 2);
    });

    it("nulls in optional fields, as the fake's seed has them, are tolerated and sink no list", async () => {
      const memory = await client().listSubmissions(SEED_IDS.studies.memory);
      assert.equal(memory.length, 8);
      const sparse = memory.find((s) => s.participant_id === participantId(106));
      assert.deepEqual(
        sparse && [sparse.id, sparse.status, sparse.completed_at, sparse.study_code, sparse.return_requested],
        [null, null, null, null, null],
        'the sparse submission comes back with its nulls',
      );
      assert.ok(memory.filter((s) => s !== sparse).every((s) => typeof s.status === 'string'));

      const groups = await client().listParticipantGroups(SEED_IDS.workspace);
      const followUp = groups.find((g) => g.id === SEED_IDS.groups.followUp);
      assert.deepEqual(followUp && [followUp.description, followUp.is_deleted], [null, null]);

      const studies = await client().listStudies();
      const draft = studies.find((s) => s.id === SEED_IDS.studies.draft);
      assert.deepEqual(draft && [draft.internal_name, draft['published_at'], draft['credential_pool_id']], [null, null, null]);
      assert.equal(studies.length, 6);
    });

    it('a study with a null status, internal name and counts is listed with the others', async () => {
      const sparse = {
        id: 's-null',
        name: 'Sparse',
        internal_name: null,
        status: null,
        total_available_places: null,
        reward: null,
        date_created: null,
      };
      fake.inject({
        path: STUDIES,
        times: 1,
        fault: {
          kind: 'status',
          status: 200,
          body: { results: [sparse, { id: 's-2', name: 'Full', status: 'ACTIVE' }], _links: { next: { href: null } } },
        },
      });
      const studies = await client().listStudies();
      assert.deepEqual(
        studies.map((s) => [s.id, s.status]),
        [
          ['s-null', null],
          ['s-2', 'ACTIVE'],
        ],
      );
    });

    it('tolerates null results, null fields and unknown keys', async () => {
      fake.inject({
        path: WORKSPACES,
        times: 1,
        fault: { kind: 'status', status: 200, body: { results: null, _links: { next: { href: null } } } },
      });
      assert.deepEqual(await client().listWorkspaces(), []);
      const group = { id: 'g', name: 'G', participant_count: null, description: null, is_deleted: null, feeder_studies: [] };
      fake.inject({ path: GROUPS, times: 1, fault: { kind: 'status', status: 200, body: { results: [group], _links: null, meta: {} } } });
      assert.deepEqual(await client().listParticipantGroups(SEED_IDS.workspace), [group]);
    });

    it('a next link to another origin is refused before anything is sent there', async () => {
      const foreign = {
        results: [{ participant_id: 'p', status: 'APPROVED' }],
        _links: { next: { href: `https://evil.example${SUBMISSIONS}?offset=20&t=${TOKEN}` } },
      };
      fake.inject({ path: SUBMISSIONS, fault: { kind: 'status', status: 200, body: foreign } });
      const error = await invalidResponse(client().listSubmissions(READING));
      assert.equal(
        error.message,
        `Prolific's answer to GET ${SUBMISSIONS} links its next page to https://evil.example, not ${base.origin}; it was not followed, so the API token was not sent there.`,
      );
      assert.equal(error.mayHaveReachedServer, true);
      assert.equal(fake.requests.length, 1);
    });

    it('so is a link to another port of the same host, and a non-web link', async () => {
      const otherPort = `http://127.0.0.1:${Number(base.port) + 1}/next/`;
      fake.inject({ path: WORKSPACES, times: 1, fault: { kind: 'status', status: 200, body: { results: [], next: otherPort } } });
      await invalidResponse(client().listWorkspaces());
      fake.inject({
        path: WORKSPACES,
        times: 1,
        fault: { kind: 'status', status: 200, body: { results: [], next: 'data:text/plain,hi' } },
      });
      assert.match((await invalidResponse(client().listWorkspaces())).message, /not a web server/);
      assert.equal(hits(WORKSPACES), 2);
    });

    it('a next link back to a page already read ends with an error, not a loop', async () => {
      fake.inject({
        path: WORKSPACES,
        fault: { kind: 'status', status: 200, body: { results: [], _links: { next: { href: `${fake.url}${WORKSPACES}` } } } },
      });
      const error = await invalidResponse(client().listWorkspaces());
      assert.match(error.message, /links back to a page already read/);
      assert.equal(hits(WORKSPACES), 1);
    });

    it('a next link of the wrong type is an invalid response, not the end of the list', async () => {
      fake.inject({ path: WORKSPACES, times: 1, fault: { kind: 'status', status: 200, body: { results: [], next: 2 } } });
      const error = await invalidResponse(client().listWorkspaces());
      assert.match(error.message, /next: expected string/);
    });

    describe('studies and message lists follow pages by the same rules', () => {
      const message = (id: string) => ({
        id,
        sender_id: participantId(3),
        body: `Message ${id}`,
        datetime_created: '2026-11-30T10:00:00Z',
      });
      const lists = [
        {
          name: 'listStudies',
          path: STUDIES,
          item: (id: string) => ({ id, name: `Study ${id}` }),
          read: (c: ProlificClient) => c.listStudies(),
        },
        { name: 'getUnreadMessages', path: UNREAD, item: message, read: (c: ProlificClient) => c.getUnreadMessages() },
        { name: 'getMessages', path: MESSAGES, item: message, read: (c: ProlificClient) => c.getMessages({ userId: participantId(3) }) },
      ];
      for (const list of lists) {
        it(`${list.name}: an injected first page, then the fake's own pages through _links.next`, async () => {
          // The first page is injected; its next link asks the fake for pages of one item.
          const query: Record<string, string> = list.path === MESSAGES ? { user_id: participantId(3) } : {};
          const next = `${fake.url}${list.path}?${new URLSearchParams({ ...query, limit: '1' })}`;
          fake.inject({
            path: list.path,
            times: 1,
            fault: { kind: 'status', status: 200, body: { results: [list.item('injected')], _links: { next: { href: next } } } },
          });
          const items = await list.read(client());
          const requests = fake.requests.filter((r) => r.path === list.path);
          assert.deepEqual(
            requests.slice(0, 2).map((r) => r.query),
            [query, { ...query, limit: '1' }],
          );
          assert.ok(requests.length >= 3, `the fake's own pages were read, one item each, to the end (${requests.length} requests)`);
          assert.equal(items.length, requests.length, 'one item a page');
          assert.equal(items[0].id, 'injected');
          assert.equal(requests.at(-1)?.query['offset'], String(requests.length - 2), 'the last page is the one whose next link is null');
        });

        it(`${list.name}: a next link to another origin is refused before anything is sent there`, async () => {
          const body = { results: [list.item('a')], _links: { next: { href: `https://evil.example${list.path}?offset=5` } } };
          fake.inject({ path: list.path, times: 1, fault: { kind: 'status', status: 200, body } });
          const error = await invalidResponse(list.read(client()));
          assert.match(
            error.message,
            new RegExp(`links its next page to https://evil\\.example, not ${base.origin.replace(/\./g, '\\.')}; it was not followed`),
          );
          assert.equal(hits(list.path), 1);
        });

        it(`${list.name}: a next link back to a page already read is an error, not a loop`, async () => {
          const self = `${fake.url}${list.path}${list.path === MESSAGES ? `?user_id=${participantId(3)}` : ''}`;
          fake.inject({ path: list.path, fault: { kind: 'status', status: 200, body: { results: [list.item('a')], next: self } } });
          const error = await invalidResponse(list.read(client()));
          assert.match(error.message, /links back to a page already read/);
          assert.equal(hits(list.path), 1);
        });
      }

      it('every page is checked: an unreadable message on page 2 is dropped and logged for that page', async () => {
        const log: RequestLogEntry[] = [];
        const first = { results: [message('m1')], next: `${UNREAD}?offset=1` };
        const second = { results: [message('m2'), { id: 'no-sender', body: 'x', datetime_created: '2026-11-30T10:00:00Z' }], next: null };
        fake.inject({ path: UNREAD, times: 1, fault: { kind: 'status', status: 200, body: first } });
        fake.inject({ path: UNREAD, times: 1, fault: { kind: 'status', status: 200, body: second } });
        const messages = await client({ log: (e) => log.push(e) }).getUnreadMessages();
        assert.deepEqual(
          messages.map((m) => m.id),
          ['m1', 'm2'],
        );
        assert.deepEqual(
          log.map((e) => e.warning),
          [undefined, '1 message could not be read and was left out.'],
        );
      });
    });

    it('stops after 1000 pages, on every paged list', async function () {
      this.timeout(30_000);
      // A server whose every page links to a new one; the fake's faults can only give a fixed body.
      const items: Record<string, (n: number) => unknown> = {
        [WORKSPACES]: (n) => ({ id: `w${n}`, title: 'W' }),
        [STUDIES]: (n) => ({ id: `s${n}`, name: 'S' }),
        [UNREAD]: (n) => ({ id: `m${n}`, sender: participantId(1), body: 'B', datetime_created: '2026-11-30T10:00:00Z' }),
      };
      let requests = 0;
      const endless: Server = createServer((req, res) => {
        requests++;
        const url = new URL(req.url ?? '/', 'http://x');
        const n = Number(url.searchParams.get('page') ?? '1');
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ results: [items[url.pathname]?.(n)], next: `${url.pathname}?page=${n + 1}` }));
      });
      await new Promise<void>((resolve) => endless.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = endless.address() as AddressInfo;
        const endlessClient = client({ baseUrl: new URL(`http://127.0.0.1:${port}/`) });
        for (const read of [
          () => endlessClient.listWorkspaces(),
          () => endlessClient.listStudies(),
          () => endlessClient.getUnreadMessages(),
        ]) {
          requests = 0;
          const error = await invalidResponse(read());
          assert.match(error.message, /has more than 1000 pages/);
          assert.equal(requests, 1000);
        }
      } finally {
        endless.closeAllConnections();
        await new Promise<void>((resolve) => endless.close(() => resolve()));
      }
    });
  });
});
