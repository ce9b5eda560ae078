// The API client against the project's fake Prolific server over loopback: real sockets, real
// HTTP, no stubs. Every failure case also checks that nothing was retried and that the token
// never shows up in an error or a log entry.
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { baseUrlOf } from '../support/fakeBaseUrl';
import { ProlificClient, type ProlificClientOptions } from '../../src/prolific/client';
import type { RequestLogEntry } from '../../src/prolific/http';
import { ProlificApiError, type ApiErrorKind } from '../../src/prolific/errors';
import { closedPort } from '../support/ports';
import { startFakeProlific, type FakeProlific } from '../fake-prolific/server';

// Distinctive, so a leak anywhere is easy to spot.
const TOKEN = 'tok_S3CRET_9f2c4e7a1b6d8f0e3a5c7b9d';
const USER_AGENT = 'prolific-messenger/0.1.0 (test)';
const ME = '/api/v1/users/me/';
const STUDIES = '/api/v1/studies/';
const MESSAGES = '/api/v1/messages/';
const RECIPIENT = '619e049f7648a4e1f8f3645b';

describe('ProlificClient against the fake Prolific API', function () {
  this.timeout(10_000);

  let fake: FakeProlific;
  let base: URL;
  let studyId: string;
  let logs: RequestLogEntry[] = [];
  const allLogs: RequestLogEntry[] = [];
  const errors: ProlificApiError[] = [];

  function client(overrides: Partial<ProlificClientOptions> = {}): ProlificClient {
    return new ProlificClient({
      baseUrl: base,
      token: TOKEN,
      timeoutMs: 5_000,
      userAgent: USER_AGENT,
      log: (e) => logs.push(e),
      ...overrides,
    });
  }

  /** Calls that reached the fake for one path (the fake records every request it receives). */
  function hits(path: string, method?: string): number {
    return fake.requests.filter((r) => r.path === path && (method === undefined || r.method === method)).length;
  }

  async function failure(promise: Promise<unknown>, kind: ApiErrorKind): Promise<ProlificApiError> {
    const error = await promise.then(
      () => assert.fail(`expected a ${kind} error`),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ProlificApiError, `not a ProlificApiError: ${String(error)}`);
    assert.equal(error.kind, kind, error.message);
    // A sentence a user can read: capital letter first, full stop last, one line.
    assert.match(error.message, /^[A-Z].*[.!?]$/);
    assert.ok(!error.message.includes('\n'));
    errors.push(error);
    return error;
  }

  function assertNoToken(text: string, where: string): void {
    assert.ok(!text.includes(TOKEN), `token found in ${where}: ${text}`);
    // Also the tail alone, in case something truncates or reformats the header value.
    assert.ok(!text.includes(TOKEN.slice(-12)), `part of the token found in ${where}: ${text}`);
  }

  before(async () => {
    fake = await startFakeProlific({ token: TOKEN });
    base = baseUrlOf(fake);
    const studies = await client().listStudies();
    assert.ok(studies.length > 0, 'the fake has seed studies');
    studyId = studies[0].id;
  });

  beforeEach(() => {
    fake.reset();
    fake.clearFaults();
    logs = [];
  });

  afterEach(() => {
    allLogs.push(...logs);
  });

  after(async () => {
    await fake?.close();
  });

  describe('success', () => {
    it('sendMessage posts exactly one request with the right headers and JSON, and resolves on 204', async () => {
      const message = { recipient_id: RECIPIENT, body: 'Thanks for taking part! Your bonus is on its way.', study_id: studyId };
      // Extra properties are not part of the API and must not be sent.
      await client().sendMessage({ ...message, extra: 'no' } as typeof message);

      assert.equal(fake.requests.length, 1);
      const [request] = fake.requests;
      assert.equal(request.method, 'POST');
      assert.equal(request.path, MESSAGES);
      assert.equal(request.headers['authorization'], `Token ${TOKEN}`);
      assert.equal(request.headers['content-type'], 'application/json');
      assert.equal(request.headers['accept'], 'application/json');
      assert.equal(request.headers['user-agent'], USER_AGENT);
      assert.deepEqual(JSON.parse(request.rawBody), message);
      assert.deepEqual(
        fake.sent().map(({ recipient_id, body, study_id }) => ({ recipient_id, body, study_id })),
        [message],
      );
      assert.deepEqual(
        logs.map(({ method, path, status, error }) => ({ method, path, status, error })),
        [{ method: 'POST', path: MESSAGES, status: 204, error: undefined }],
      );
      assert.ok(logs[0].durationMs >= 0);
    });

    it('getMe returns the validated user and keeps undocumented fields', async () => {
      const me = await client().getMe();
      assert.match(me.id, /^[0-9a-f]{24}$/);
      assert.match(me.email, /@/);
      assert.ok('user_type' in me, 'unknown keys are allowed through');
      assert.equal(hits(ME, 'GET'), 1);
      const [request] = fake.requests;
      assert.equal(request.headers['authorization'], `Token ${TOKEN}`);
      assert.equal(request.headers['accept'], 'application/json');
      assert.equal(request.headers['content-type'], undefined, 'no Content-Type without a body');
    });

    it('listStudies returns the studies of every page', async () => {
      const studies = await client().listStudies();
      // The fake pages studies by 3, so the fourth to sixth are on the second page.
      assert.deepEqual(
        studies.map((s) => s.name),
        [
          'Reading Comprehension & Attention (Wave 2)',
          'Everyday Decision-Making Survey',
          'Memory Recall Pilot',
          'Attitudes to "Smart" Homes <Privacy> 🏠',
          'Sleep & Mood Diary (Wave 1)',
          'Sleep & Mood Diary (Wave 2)',
        ],
      );
      assert.deepEqual(
        fake.requests.map((r) => [r.method, r.path, r.query['offset']]),
        [
          ['GET', STUDIES, undefined],
          ['GET', STUDIES, '3'],
        ],
      );
    });

    it('sendMessage does not decode the body of a 2xx', async () => {
      fake.inject({ path: MESSAGES, method: 'POST', fault: { kind: 'malformedJson', status: 200 } });
      await client().sendMessage({ recipient_id: RECIPIENT, body: 'hi', study_id: studyId });
      assert.equal(hits(MESSAGES), 1);
    });

    it('keeps a base URL path prefix', async () => {
      const prefixed = new URL('nope/', base);
      const error = await failure(client({ baseUrl: prefixed }).getMe(), 'http');
      assert.equal(error.status, 404);
      assert.equal(fake.requests[0].path, `/nope${ME}`);
      assert.equal(logs[0].path, `/nope${ME}`);
    });

    it('cleans up its timer and abort listener', async () => {
      const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
      await new Promise((resolve) => setImmediate(resolve)); // let mocha arm its own test timer first
      const before = timers();
      const controller = new AbortController();
      await client({ timeoutMs: 60_000 }).getMe(controller.signal);
      assert.equal(timers(), before);
      assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
      await failure(client({ timeoutMs: 60_000, token: 'wrong' }).getMe(controller.signal), 'http');
      assert.equal(timers(), before);
      assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
    });

    it('a logger that throws does not change the outcome', async () => {
      const me = await client({
        log: () => {
          throw new Error('logger broke');
        },
      }).getMe();
      assert.ok(me.id);
    });
  });

  describe('HTTP errors (each sent once, never retried)', () => {
    it('400 with per-field messages', async () => {
      const error = await failure(client().sendMessage({ recipient_id: 'not-an-id', body: 'hi', study_id: studyId }), 'http');
      assert.equal(error.status, 400);
      assert.equal(error.title, 'Bad Request');
      assert.deepEqual(Object.keys(error.fieldErrors), ['recipient_id']);
      assert.equal(error.fieldErrors.recipient_id.length, 1);
      assert.equal(error.message, 'Prolific rejected the request (400 Bad Request): recipient_id: "not-an-id" is not a valid ID.');
      assert.equal(error.mayHaveReachedServer, false);
      assert.equal(hits(MESSAGES), 1);
      assert.equal(fake.sent().length, 0);
      assert.deepEqual(
        logs.map(({ status, error: text }) => ({ status, error: text })),
        [{ status: 400, error: error.message }],
      );
    });

    it('400 with a nested string detail (unknown study)', async () => {
      const error = await failure(
        client().sendMessage({ recipient_id: RECIPIENT, body: 'hi', study_id: 'ffffffffffffffffffffffff' }),
        'http',
      );
      assert.equal(error.status, 400);
      assert.deepEqual(error.fieldErrors, {});
      assert.ok(error.detail);
      assert.equal(
        error.message,
        `Prolific rejected the request (400 Bad Request): ${error.detail}${/[.]$/.test(error.detail) ? '' : '.'}`,
      );
      assert.equal(hits(MESSAGES), 1);
    });

    it('401 with the flat shape', async () => {
      const error = await failure(client({ token: 'not-the-token' }).getMe(), 'http');
      assert.equal(error.status, 401);
      assert.equal(error.detail, 'Invalid token.');
      assert.equal(error.message, 'Prolific rejected the request (401 Unauthorized): Invalid token.');
      assert.equal(error.mayHaveReachedServer, false);
      assert.ok(!error.message.includes('not-the-token'));
      assert.equal(hits(ME), 1);
    });

    it('403', async () => {
      fake.inject({
        path: MESSAGES,
        fault: { kind: 'status', status: 403, body: { detail: 'You do not have permission to perform this action.' } },
      });
      const error = await failure(client().sendMessage({ recipient_id: RECIPIENT, body: 'hi', study_id: studyId }), 'http');
      assert.equal(error.status, 403);
      assert.equal(error.message, 'Prolific rejected the request (403 Forbidden): You do not have permission to perform this action.');
      assert.equal(error.mayHaveReachedServer, false);
      assert.equal(hits(MESSAGES), 1);
    });

    it('404 with the flat shape', async () => {
      fake.inject({ path: STUDIES, fault: { kind: 'status', status: 404, body: { detail: 'Not found.' } } });
      const error = await failure(client().listStudies(), 'http');
      assert.equal(error.message, 'Prolific rejected the request (404 Not Found): Not found.');
      assert.equal(hits(STUDIES), 1);
    });

    it('429 with Retry-After', async () => {
      fake.inject({ path: MESSAGES, fault: { kind: 'rateLimit', retryAfterSeconds: 30 } });
      const error = await failure(client().sendMessage({ recipient_id: RECIPIENT, body: 'hi', study_id: studyId }), 'http');
      assert.equal(error.status, 429);
      assert.equal(error.retryAfterSeconds, 30);
      assert.equal(error.mayHaveReachedServer, false);
      assert.match(
        error.message,
        /^Prolific is receiving too many requests \(429 Too Many Requests\).* Wait 30 seconds before trying again\.$/,
      );
      assert.equal(hits(MESSAGES), 1, 'a 429 is not retried either');
    });

    it('429 without Retry-After', async () => {
      fake.inject({ path: ME, fault: { kind: 'rateLimit' } });
      const error = await failure(client().getMe(), 'http');
      assert.equal(error.retryAfterSeconds, undefined);
      assert.match(error.message, /Wait a little before trying again\.$/);
      assert.equal(hits(ME), 1);
    });

    it('500 may have reached the server', async () => {
      fake.inject({ path: MESSAGES, fault: { kind: 'status', status: 500 } });
      const error = await failure(client().sendMessage({ recipient_id: RECIPIENT, body: 'hi', study_id: studyId }), 'http');
      assert.equal(error.status, 500);
      assert.equal(error.mayHaveReachedServer, true);
      assert.match(error.message, /^Prolific had a server error \(500 Internal Server Error\)/);
      assert.equal(hits(MESSAGES), 1);
    });

    it('502 with an HTML page is described, not copied', async () => {
      fake.inject({ path: ME, fault: { kind: 'html', status: 502 } });
      const error = await failure(client().getMe(), 'http');
      assert.equal(error.message, 'Prolific had a server error (502 Bad Gateway): The server answered 502 with an HTML page.');
      assert.ok(!error.message.includes('nginx'));
      assert.equal(hits(ME), 1);
    });

    it('500 with malformed JSON', async () => {
      fake.inject({ path: STUDIES, fault: { kind: 'malformedJson', status: 500 } });
      const error = await failure(client().listStudies(), 'http');
      assert.equal(error.detail, 'The server answered 500 with malformed JSON.');
      assert.equal(hits(STUDIES), 1);
    });

    it('a token echoed back by the server is redacted everywhere', async () => {
      fake.inject({
        path: ME,
        fault: {
          kind: 'status',
          status: 400,
          body: { error: { title: `Bad ${TOKEN}`, detail: { [TOKEN]: [`token ${TOKEN} rejected`] } } },
        },
      });
      const error = await failure(client().getMe(), 'http');
      assert.match(error.message, /\[redacted\]/);
      assertNoToken(JSON.stringify({ ...error, message: error.message, stack: error.stack }), 'the error');
    });
  });

  describe('invalid responses', () => {
    it('an empty 200 where JSON is expected', async () => {
      fake.inject({ path: ME, fault: { kind: 'empty200' } });
      const error = await failure(client().getMe(), 'invalidResponse');
      assert.equal(error.message, `Prolific answered 200 with an empty body to GET ${ME}, where data was expected.`);
      assert.equal(error.mayHaveReachedServer, true);
      assert.equal(hits(ME), 1);
    });

    it('malformed JSON in a 200', async () => {
      fake.inject({ path: STUDIES, fault: { kind: 'malformedJson' } });
      const error = await failure(client().listStudies(), 'invalidResponse');
      assert.equal(error.message, `Prolific answered 200 to GET ${STUDIES} with a body that is not valid JSON.`);
      assert.equal(hits(STUDIES), 1);
    });

    it('JSON of the wrong shape', async () => {
      fake.inject({ path: ME, fault: { kind: 'status', status: 200, body: { id: 5 } } });
      const me = await failure(client().getMe(), 'invalidResponse');
      assert.equal(
        me.message,
        `Prolific's answer to GET ${ME} is not in the expected format (id: expected string; email: expected string).`,
      );
      fake.inject({ path: STUDIES, fault: { kind: 'status', status: 200, body: { results: [{ id: 'a', name: null }] } } });
      const studies = await failure(client().listStudies(), 'invalidResponse');
      assert.match(studies.message, /results\.0\.name: expected string/);
      assert.equal(hits(ME) + hits(STUDIES), 2);
    });

    it('tolerates null optional fields and unknown keys in studies', async () => {
      const study = { id: 'a', name: 'A', internal_name: null, status: null, surprise: { nested: true } };
      fake.inject({ path: STUDIES, fault: { kind: 'status', status: 200, body: { results: [study], _links: {}, meta: { count: 1 } } } });
      assert.deepEqual(await client().listStudies(), [study]);
    });
  });

  describe('redirects', () => {
    it('are not followed, even to the same host', async () => {
      fake.inject({ path: ME, fault: { kind: 'status', status: 302, headers: { Location: `${fake.url}${STUDIES}` } } });
      const error = await failure(client().getMe(), 'redirect');
      assert.equal(error.status, 302);
      assert.equal(error.mayHaveReachedServer, true);
      assert.equal(fake.requests.length, 1, 'the redirect target was not requested');
      assert.match(error.message, /redirect \(302\) to http:\/\/127\.0\.0\.1:\d+; it was not followed/);
    });

    it('to another host names only its origin', async () => {
      fake.inject({ path: MESSAGES, fault: { kind: 'status', status: 307, headers: { Location: 'https://evil.example/collect?x=1' } } });
      const error = await failure(client().sendMessage({ recipient_id: RECIPIENT, body: 'hi', study_id: studyId }), 'redirect');
      assert.match(error.message, /to https:\/\/evil\.example; it was not followed, so the API token was not sent there\.$/);
      assert.equal(hits(MESSAGES), 1);
    });
  });

  describe('timeouts, cancellation and network failures', () => {
    it('a server slower than the deadline is a timeout', async () => {
      fake.inject({ path: MESSAGES, fault: { kind: 'delay', ms: 1_000 } });
      const started = Date.now();
      const error = await failure(
        client({ timeoutMs: 200 }).sendMessage({ recipient_id: RECIPIENT, body: 'hi', study_id: studyId }),
        'timeout',
      );
      assert.ok(Date.now() - started < 900, 'gave up at the deadline, not when the server answered');
      assert.equal(error.message, 'Prolific did not answer within 0.2 seconds.');
      assert.equal(error.mayHaveReachedServer, true);
      assert.equal(hits(MESSAGES), 1);
      assert.equal(logs[0].error, error.message);
    });

    it('words the deadline in seconds', async () => {
      fake.inject({ path: ME, fault: { kind: 'delay', ms: 2_000 } });
      const error = await failure(client({ timeoutMs: 1_000 }).getMe(), 'timeout');
      assert.equal(error.message, 'Prolific did not answer within 1 second.');
    });

    it("cancellation through the caller's AbortSignal", async () => {
      fake.inject({ path: MESSAGES, fault: { kind: 'delay', ms: 1_000 } });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const error = await failure(
        client().sendMessage({ recipient_id: RECIPIENT, body: 'hi', study_id: studyId }, controller.signal),
        'cancelled',
      );
      assert.equal(error.mayHaveReachedServer, true, 'the request was already on its way');
      assert.equal(hits(MESSAGES), 1);
      assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
    });

    it('an already-aborted signal sends nothing', async () => {
      const error = await failure(client().getMe(AbortSignal.abort()), 'cancelled');
      assert.equal(error.mayHaveReachedServer, false);
      assert.equal(fake.requests.length, 0);
    });

    it('a connection reset', async () => {
      fake.inject({ path: MESSAGES, fault: { kind: 'reset' } });
      const error = await failure(client().sendMessage({ recipient_id: RECIPIENT, body: 'hi', study_id: studyId }), 'network');
      assert.equal(error.code, 'ECONNRESET');
      assert.equal(error.mayHaveReachedServer, true);
      assert.equal(error.message, `The connection to ${base.origin} was closed before Prolific's answer arrived (connection reset).`);
      assert.equal(hits(MESSAGES), 1);
    });

    it('connection refused on a closed port', async () => {
      const port = await closedPort();
      const error = await failure(client({ baseUrl: new URL(`http://127.0.0.1:${port}/`) }).getMe(), 'network');
      assert.equal(error.code, 'ECONNREFUSED');
      assert.equal(error.mayHaveReachedServer, false);
      assert.equal(error.message, `Could not connect to http://127.0.0.1:${port} (connection refused).`);
      assert.deepEqual(
        logs.map(({ path, status }) => ({ path, status })),
        [{ path: ME, status: undefined }],
      );
    });
  });

  // In a describe of its own so it runs after the describes above (mocha runs a level's own its first).
  describe('token hygiene', () => {
    it('no error message, stack, field or log entry in this suite contained the token', () => {
      assert.ok(errors.length >= 20, `only ${errors.length} errors were collected`);
      assert.ok(allLogs.length >= errors.length, `only ${allLogs.length} log entries were collected`);
      for (const error of errors) {
        assertNoToken(error.message, 'an error message');
        assertNoToken(String(error.stack), 'an error stack');
        assertNoToken(JSON.stringify(error), 'an error');
      }
      for (const entry of allLogs) assertNoToken(JSON.stringify(entry), 'a log entry');
    });
  });
});
