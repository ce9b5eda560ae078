import assert from 'node:assert/strict';
import { prng } from '../support/random';
import { ProlificApiError, parseErrorBody, parseRetryAfter } from '../../src/prolific/errors';

const JSON_TYPE = 'application/json';

describe('parseErrorBody', () => {
  it('reads the nested shape with a string detail', () => {
    const raw = JSON.stringify({ error: { status: 400, error_code: 140001, title: 'Bad Request', detail: 'study ID is invalid' } });
    assert.deepEqual(parseErrorBody(400, JSON_TYPE, raw), { title: 'Bad Request', detail: 'study ID is invalid', fieldErrors: {} });
  });

  it('reads the nested shape with per-field messages', () => {
    const raw = JSON.stringify({
      error: {
        status: 400,
        title: 'Bad Request',
        detail: { recipient_id: ['Enter a valid participant ID.'], body: ['This field may not be blank.', 'Too short.'] },
      },
    });
    const parsed = parseErrorBody(400, JSON_TYPE, raw);
    assert.equal(parsed.title, 'Bad Request');
    assert.deepEqual(parsed.fieldErrors, {
      recipient_id: ['Enter a valid participant ID.'],
      body: ['This field may not be blank.', 'Too short.'],
    });
    assert.equal(parsed.detail, 'recipient_id: Enter a valid participant ID.; body: This field may not be blank. Too short.');
  });

  it('reads the nested shape with an array detail', () => {
    const raw = JSON.stringify({ error: { title: 'Bad Request', detail: ['First problem.', 'Second problem.'] } });
    assert.deepEqual(parseErrorBody(400, null, raw), { title: 'Bad Request', detail: 'First problem. Second problem.', fieldErrors: {} });
  });

  it('reads the flat DRF shape and the {"message"} shape', () => {
    assert.deepEqual(parseErrorBody(401, JSON_TYPE, '{"detail": "Invalid token."}'), {
      title: undefined,
      detail: 'Invalid token.',
      fieldErrors: {},
    });
    assert.deepEqual(parseErrorBody(400, JSON_TYPE, '{"message": "workspace not found"}'), {
      title: undefined,
      detail: 'workspace not found',
      fieldErrors: {},
    });
  });

  it('reads DRF field errors without a wrapper, nested ones with dotted names, and non-field errors without a prefix', () => {
    const parsed = parseErrorBody(
      400,
      JSON_TYPE,
      JSON.stringify({ study_id: ['Not found.'], filters: { 0: { id: ['Bad.'] } }, non_field_errors: ['Nope.'] }),
    );
    assert.deepEqual(parsed.fieldErrors, { study_id: ['Not found.'], 'filters.0.id': ['Bad.'], non_field_errors: ['Nope.'] });
    assert.equal(parsed.detail, 'study_id: Not found.; filters.0.id: Bad.; Nope.');
  });

  it('describes HTML, malformed JSON, plain text, empty and unknown JSON without copying them', () => {
    const html = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>secret-internal-hostname</body></html>';
    assert.deepEqual(parseErrorBody(502, 'text/html', html), { detail: 'The server answered 502 with an HTML page.', fieldErrors: {} });
    assert.equal(parseErrorBody(502, null, html).detail, 'The server answered 502 with an HTML page.');
    assert.equal(parseErrorBody(500, JSON_TYPE, '{"results": [{"id": "tru').detail, 'The server answered 500 with malformed JSON.');
    assert.equal(
      parseErrorBody(503, 'text/plain', 'upstream connect error').detail,
      'The server answered 503 with a body that is not JSON.',
    );
    assert.equal(parseErrorBody(404, JSON_TYPE, '').detail, 'The server answered 404 with an empty body.');
    assert.equal(parseErrorBody(404, JSON_TYPE, '  \n').detail, 'The server answered 404 with an empty body.');
    for (const raw of ['{"foo": 1}', '[]', 'null', '42', '{"error": {"foo": 1}}']) {
      assert.equal(parseErrorBody(400, JSON_TYPE, raw).detail, 'The server answered 400 with JSON in an unknown format.', raw);
    }
  });

  it('caps lengths and flattens control characters', () => {
    const raw = JSON.stringify({ error: { title: 'T'.repeat(1000), detail: `line one\nline\ttwo\u0000${'x'.repeat(10_000)}` } });
    const parsed = parseErrorBody(400, JSON_TYPE, raw);
    assert.ok(parsed.title!.length <= 80);
    assert.ok(parsed.detail!.length <= 600);
    assert.ok(parsed.detail!.startsWith('line one line two x'));
    assert.ok(!/[\u0000-\u001f]/.test(parsed.detail!));
    const many = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`f${i}`, Array.from({ length: 50 }, () => 'm')]));
    const fields = parseErrorBody(400, JSON_TYPE, JSON.stringify({ error: { detail: many } })).fieldErrors;
    assert.equal(Object.keys(fields).length, 20);
    assert.ok(Object.values(fields).every((m) => m.length <= 10));
  });

  it('does not let a field named __proto__ touch the prototype', () => {
    const parsed = parseErrorBody(400, JSON_TYPE, '{"error": {"detail": {"__proto__": ["polluted"], "constructor": ["x"]}}}');
    assert.deepEqual(Object.getOwnPropertyDescriptor(parsed.fieldErrors, '__proto__')?.value, ['polluted']);
    assert.equal(Object.getPrototypeOf(parsed.fieldErrors), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('never throws on random bytes, and always returns a short detail or field errors (seeded)', () => {
    const random = prng(20261126);
    const fragments = ['{', '}', '[', ']', '"', ':', ',', 'error', 'detail', 'null', '<html>', '\\u0000', '1e999', '"__proto__"'];
    for (let round = 0; round < 400; round++) {
      let raw: string;
      if (round % 2 === 0) {
        const bytes = Buffer.alloc(Math.floor(random() * 300));
        for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
        raw = bytes.toString('utf8');
      } else {
        raw = Array.from({ length: Math.floor(random() * 40) }, () => fragments[Math.floor(random() * fragments.length)]).join('');
      }
      const status = 400 + Math.floor(random() * 200);
      const type = [null, JSON_TYPE, 'text/html', ''][round % 4];
      const parsed = parseErrorBody(status, type, raw);
      assert.ok(parsed.detail !== undefined || Object.keys(parsed.fieldErrors).length > 0, JSON.stringify(raw));
      assert.ok((parsed.detail ?? '').length <= 600);
      assert.ok(!/[\u0000-\u001f]/.test(parsed.detail ?? ''));
    }
  });

  it('survives deeply nested JSON', () => {
    const deep = `${'{"detail":'.repeat(5000)}"x"${'}'.repeat(5000)}`;
    assert.doesNotThrow(() => parseErrorBody(400, JSON_TYPE, deep));
    const arrays = `{"detail": ${'['.repeat(5000)}"x"${']'.repeat(5000)}}`;
    assert.doesNotThrow(() => parseErrorBody(400, JSON_TYPE, arrays));
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-26T12:00:00Z');
  it('reads delay-seconds and HTTP dates', () => {
    assert.equal(parseRetryAfter('30', now), 30);
    assert.equal(parseRetryAfter(' 0 ', now), 0);
    assert.equal(parseRetryAfter('Thu, 26 Nov 2026 12:01:30 GMT', now), 90);
    assert.equal(parseRetryAfter('Thu, 26 Nov 2026 11:00:00 GMT', now), 0);
  });
  it('ignores absent and unreadable values', () => {
    for (const value of [null, undefined, '', 'soon', '-5', '1.5', '99999999999999999999'])
      assert.equal(parseRetryAfter(value, now), undefined, String(value));
  });
});

describe('ProlificApiError', () => {
  it('defaults fieldErrors to {} and is an Error', () => {
    const error = new ProlificApiError({
      kind: 'timeout',
      message: 'Prolific did not answer within 30 seconds.',
      mayHaveReachedServer: true,
    });
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'ProlificApiError');
    assert.deepEqual(error.fieldErrors, {});
    assert.equal(error.status, undefined);
  });
});
