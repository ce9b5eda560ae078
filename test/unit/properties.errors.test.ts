// Property-based tests for reading Prolific's error bodies. Whatever a server, proxy or attacker
// answers ends up in a notification: reading it must never throw (the real error would be lost
// behind a TypeError), and what it shows must be a short line of text, never a copied page.
// And when Prolific says which fields were wrong, every field must reach the form.
//
// One seed per run; fast-check prints it with any counterexample, and FC_SEED=<seed> replays that run.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { holds } from '../support/random';
import { parseErrorBody } from '../../src/prolific/errors';

// The caps errors.ts promises (title, one field message, detail; fields; messages per field).
const MAX_TITLE = 80;
const MAX_MESSAGE = 300;
const MAX_DETAIL = 600;
const MAX_FIELDS = 20;
const MAX_MESSAGES_PER_FIELD = 10;

/** Control characters and line/paragraph separators: none may reach a one-line notification. */
const NOT_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** Half of a surrogate pair: what cutting "😀" in the middle leaves, shown as "�". */
const BROKEN_CHAR = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A line a user can read: a non-empty string, trimmed, one line, at most `max` characters. */
function assertLine(text: unknown, max: number, what: string): void {
  assert.equal(typeof text, 'string', `${what} is not a string`);
  const line = text as string;
  assert.ok(line.length > 0, `${what} is empty`);
  assert.ok(line.length <= max, `${what} is ${line.length} characters (max ${max})`);
  assert.ok(!NOT_ONE_LINE.test(line), `${what} is not one line: ${JSON.stringify(line)}`);
  assert.equal(line, line.trim(), `${what} is not trimmed`);
}

/** Strings that make trouble on a notification: line breaks, control characters, NEL, LS/PS, tabs, emoji. */
const nasty = fc.constantFrom(
  '\n',
  '\r\n',
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\u0085',
  '\u2028',
  '\u2029',
  '\t',
  ' ',
  '😀',
  'a',
  'É',
  '<',
  '"',
);
const nastyString = fc.string({ unit: fc.oneof(nasty, fc.string({ minLength: 1, maxLength: 1 })), maxLength: 40 });
const anyString = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), nastyString);
/** Any JSON, nested, with strings of every kind. */
const anyJson = fc.oneof(
  fc.jsonValue({ maxDepth: 6 }),
  fc.jsonValue({ maxDepth: 6, stringUnit: 'binary' }),
  fc.jsonValue({ maxDepth: 4, stringUnit: fc.oneof(nasty, fc.string({ minLength: 1, maxLength: 1 })) }),
);
/** JSON in the shapes Prolific uses, with anything where the text should be. */
const errorShaped = fc.oneof(
  fc.record({ error: fc.record({ status: anyJson, title: anyJson, detail: anyJson, message: anyJson }, { requiredKeys: [] }) }),
  fc.record({ detail: anyJson, title: anyJson, message: anyJson, error: anyJson }, { requiredKeys: [] }),
  fc.dictionary(anyString, anyJson, { maxKeys: 30 }),
  fc.dictionary(anyString, fc.array(anyString, { maxLength: 15 }), { maxKeys: 30 }),
);
const raw = fc.oneof(
  anyString,
  fc.json({ maxDepth: 6 }),
  anyJson.map((value) => JSON.stringify(value)),
  errorShaped.map((value) => JSON.stringify(value)),
  fc.tuple(fc.constantFrom('<html><body>', '<!DOCTYPE html>', '  {', '[', '{"detail": '), anyString).map(([a, b]) => a + b),
);
const contentType = fc.option(
  fc.oneof(fc.constantFrom('application/json', 'application/problem+json; charset=utf-8', 'text/html', 'text/plain', ''), fc.string()),
  { nil: null },
);

describe('properties: error bodies', function () {
  this.timeout(60_000);

  it('parseErrorBody never throws, and shows only short single lines', () => {
    const input = fc.record({ status: fc.integer({ min: 100, max: 599 }), contentType, raw });
    holds('parseErrorBody never throws; title/detail/fields are short single lines', 3000, input, ({ status, contentType, raw }) => {
      const parsed = parseErrorBody(status, contentType, raw);
      if (parsed.title !== undefined) assertLine(parsed.title, MAX_TITLE, 'title');
      // Always something to show: an unreadable body is described ("answered 502 with an HTML page").
      assertLine(parsed.detail, MAX_DETAIL, 'detail');
      const fields = Object.entries(parsed.fieldErrors);
      assert.ok(fields.length <= MAX_FIELDS, `${fields.length} fields`);
      for (const [field, messages] of fields) {
        assert.ok(field.length <= MAX_TITLE && !NOT_ONE_LINE.test(field), `field name ${JSON.stringify(field)}`);
        assert.ok(messages.length >= 1 && messages.length <= MAX_MESSAGES_PER_FIELD, `${messages.length} messages`);
        for (const message of messages) assertLine(message, MAX_MESSAGE, `message of ${field}`);
      }
    });
  });

  it('cuts long text on a character boundary', () => {
    // Long text of astral characters (emoji, CJK extension B): a cut in the middle of a surrogate pair
    // would leave half a character, shown as "�".
    const long = (min: number) =>
      fc.string({
        unit: fc.oneof(fc.constantFrom('😀', '𠀀', 'a', ' '), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })),
        minLength: min,
        maxLength: min + 40,
      });
    const input = fc.oneof(
      long(MAX_TITLE - 5).map((title) => ({ error: { title, detail: 'x' } })),
      long(MAX_DETAIL - 5).map((detail) => ({ detail })),
      long(MAX_MESSAGE - 5).map((message) => ({ field: [message] })),
    );
    holds('parseErrorBody never cuts a character in half', 1000, input, (body) => {
      const parsed = parseErrorBody(400, 'application/json', JSON.stringify(body));
      for (const text of [parsed.title ?? '', parsed.detail ?? '', ...Object.values(parsed.fieldErrors).flat()]) {
        assert.ok(!BROKEN_CHAR.test(text), `half a character in ${JSON.stringify(text.slice(-4))}`);
      }
    });
  });

  it('reads every field of a nested {"error": {status, title, detail: {field: [messages]}}} body', () => {
    // Field names and messages already clean (one line, trimmed, single spaces) come through unchanged.
    const wordChar = fc.oneof(
      fc.constantFrom('é', 'ß', '😀', '"', '\\', '.', '_', '-'),
      fc.string({ minLength: 1, maxLength: 1 }).filter((c) => c.trim() !== ''),
    );
    const words = (maxWords: number) =>
      fc.array(fc.string({ unit: wordChar, minLength: 1, maxLength: 10 }), { minLength: 1, maxLength: maxWords }).map((w) => w.join(' '));
    const fieldName = fc.oneof(
      fc.constantFrom('recipient_id', 'study_id', 'body', '__proto__', 'constructor', 'toString', 'filters.0.id'),
      words(3),
    );
    const input = fc.record({
      status: fc.oneof(fc.integer({ min: 100, max: 599 }), fc.string()),
      title: fc.option(words(5), { nil: undefined }),
      fields: fc.uniqueArray(fc.tuple(fieldName, fc.array(words(20), { minLength: 1, maxLength: MAX_MESSAGES_PER_FIELD })), {
        minLength: 1,
        maxLength: MAX_FIELDS,
        selector: ([field]) => field,
      }),
      indent: fc.constantFrom(0, 2, '\t'),
      contentType,
    });
    holds(
      'parseErrorBody reports every field of a nested body with its messages',
      2000,
      input,
      ({ status, title, fields, indent, contentType }) => {
        // fromEntries makes "__proto__" an own key, as JSON.parse does; JSON.stringify then writes it.
        const detail = Object.fromEntries(fields);
        const raw = JSON.stringify({ error: { status, ...(title === undefined ? {} : { title }), detail } }, null, indent);
        const parsed = parseErrorBody(400, contentType, raw);
        assert.deepEqual(parsed.fieldErrors, detail);
        assert.equal(parsed.title, title);
        assertLine(parsed.detail, MAX_DETAIL, 'detail');
      },
    );
  });
});
