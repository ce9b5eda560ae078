// Property-based tests for the webview protocol. The compose and conversation pages are untrusted
// (a script injected into a page could post anything), so whatever arrives is either dropped or is
// exactly one message of the protocol: the right keys and nothing else, values of the right types
// and sizes. And a dropped message must never reach the Prolific API.
//
// One seed per run; fast-check prints it with any counterexample, and FC_SEED=<seed> replays that run.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SEED, holds } from '../support/random';
import { parseBaseUrl } from '../../src/prolific/baseUrl';
import { ProlificClient } from '../../src/prolific/client';
import { parsePageMessage } from '../../src/webviews/compose/protocol';
import { normalizeDraft, validateDraft } from '../../src/shared/draft';
import { parsePageMessage as parseConversationPageMessage } from '../../src/webviews/conversation/protocol';
import { startFakeProlific, type FakeProlific } from '../fake-prolific/server';

async function holdsAsync<T>(name: string, numRuns: number, arbitrary: fc.Arbitrary<T>, predicate: (value: T) => Promise<void>, note = () => ''): Promise<void> {
  let cases = 0;
  await fc.assert(
    fc.asyncProperty(arbitrary, async (value) => {
      cases++;
      await predicate(value);
    }),
    { numRuns, seed: SEED },
  );
  assert.equal(cases, numRuns);
  console.log(`    property: ${name} — ${cases} cases${note()}`);
}

// Size limits of the protocols (src/webviews/compose/protocol.ts, src/webviews/conversation/protocol.ts).
const MAX_ID_FIELD = 200;
const MAX_TEXT = 100_000;

/** Every message shape, by type: the keys it has, all of them required. */
const PAGE_SHAPES: Record<string, string[]> = {
  ready: ['type'],
  draftChanged: ['changes', 'seq', 'type'],
  send: ['draft', 'requestId', 'seq', 'type'],
  listStudies: ['requestId', 'type'],
  clearAudience: ['type'],
  preview: ['body', 'requestId', 'type'],
};
const CONVERSATION_SHAPES: Record<string, string[]> = {
  ready: ['type'],
  refresh: ['type'],
  openInProlific: ['type'],
  reply: ['body', 'requestId', 'type'],
};

const DRAFT_FIELDS = ['recipient_id', 'study_id', 'body'];
const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
const isString = (value: unknown, max: number) => typeof value === 'string' && value.length <= max;

/**
 * An accepted message is a fresh plain object of exactly one shape, with only that shape's keys, values
 * of the right type and size, and the values the page sent (unknown keys dropped, nothing altered).
 */
function assertOneShape(parsed: unknown, input: unknown, shapes: Record<string, string[]>): void {
  assert.ok(isPlainObject(parsed), 'not a plain object');
  const keys = shapes[parsed.type as string];
  assert.ok(keys, `unknown type ${String(parsed.type)}`);
  assert.deepEqual(Object.keys(parsed).sort(), keys);
  if ('requestId' in parsed) assert.ok(Number.isSafeInteger(parsed.requestId) && (parsed.requestId as number) >= 0, `requestId ${String(parsed.requestId)}`);
  if ('seq' in parsed) assert.ok(Number.isSafeInteger(parsed.seq) && (parsed.seq as number) >= 0, `seq ${String(parsed.seq)}`);
  if ('changes' in parsed) {
    const changes = parsed.changes;
    assert.ok(isPlainObject(changes), 'changes is not a plain object');
    for (const [key, value] of Object.entries(changes)) {
      assert.ok(DRAFT_FIELDS.includes(key), `changes.${key}`);
      assert.ok(value === undefined || isString(value, key === 'body' ? MAX_TEXT : MAX_ID_FIELD), `changes.${key} value`);
    }
  }
  if ('body' in parsed) assert.ok(isString(parsed.body, MAX_TEXT), 'body');
  if ('draft' in parsed) {
    const draft = parsed.draft;
    assert.ok(isPlainObject(draft), 'draft is not a plain object');
    assert.deepEqual(Object.keys(draft).sort(), ['body', 'recipient_id', 'study_id']);
    assert.ok(isString(draft.recipient_id, MAX_ID_FIELD) && isString(draft.study_id, MAX_ID_FIELD) && isString(draft.body, MAX_TEXT), 'draft fields');
  }
  // The same values the page sent, projected onto the shape's keys.
  const source = input as Record<string, unknown>;
  const project = (from: Record<string, unknown>, names: string[]) => Object.fromEntries(names.map((k) => [k, from[k]]));
  const expected = project(source, keys);
  if ('draft' in expected) expected.draft = project(source.draft as Record<string, unknown>, DRAFT_FIELDS);
  if ('changes' in expected) {
    const from = source.changes as Record<string, unknown>;
    expected.changes = project(from, DRAFT_FIELDS.filter((k) => Object.hasOwn(from, k)));
  }
  assert.deepEqual(parsed, expected);
}

// Anything at all, including exotic values a structured clone can carry (Map, Set, Date, typed arrays,
// boxed strings, null-prototype objects, sparse arrays, bigints).
const anything = fc.anything({
  maxDepth: 3,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withTypedArray: true,
  withSparseArray: true,
});
/** Values of the wrong type or size for some field: near misses that a lax check would let through. */
const wrong = fc.oneof(
  fc.constantFrom(undefined, null, true, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 53, '1', '', [], {}, 'x'.repeat(MAX_ID_FIELD + 1), 'x'.repeat(MAX_TEXT + 1)),
  fc.double(),
  fc.bigInt(),
  fc.array(fc.string(), { maxLength: 2 }),
  fc.string({ maxLength: 5 }).map((s) => new String(s)),
  anything,
);
/** Right or wrong, with the right ones often at the size limits. */
const requestId = fc.oneof(fc.nat(), fc.constantFrom(0, Number.MAX_SAFE_INTEGER), wrong);
const idField = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('x'.repeat(MAX_ID_FIELD), 'x'.repeat(MAX_ID_FIELD + 1), 'a'.repeat(24)), wrong);
const text = fc.oneof(fc.string(), fc.constantFrom('x'.repeat(MAX_TEXT), 'x'.repeat(MAX_TEXT + 1)), wrong);
const draft = fc.oneof(
  fc.record({ recipient_id: idField, study_id: idField, body: text, extra: anything }, { requiredKeys: [] }),
  fc.record({ recipient_id: fc.string(), study_id: fc.string(), body: fc.string() }),
  // Right types, sizes around the limits: only the size decides.
  fc.record({
    recipient_id: fc.constantFrom('', 'x'.repeat(MAX_ID_FIELD), 'x'.repeat(MAX_ID_FIELD + 1)),
    study_id: fc.constantFrom('', 'x'.repeat(MAX_ID_FIELD), 'x'.repeat(MAX_ID_FIELD + 1)),
    body: fc.constantFrom('', 'x'.repeat(MAX_TEXT), 'x'.repeat(MAX_TEXT + 1)),
  }),
  wrong,
);
/** An object with a real (or almost real) type and fields that may be wrong. */
const nearMiss = (types: string[]) =>
  fc.record(
    {
      type: fc.oneof(fc.constantFrom(...types), fc.constantFrom('Ready', 'send ', 'reply', 'constructor', '__proto__'), wrong),
      requestId,
      seq: requestId,
      draft,
      changes: draft,
      body: text,
      token: fc.string(),
      constructor: wrong,
    },
    { requiredKeys: ['type'] },
  );
/** Well-formed messages, some with extra keys, values at the limits. */
const validPageMessage = fc.oneof(
  fc.constantFrom({ type: 'ready' }, { type: 'clearAudience' }),
  fc.record({
    type: fc.constant('draftChanged'),
    seq: fc.nat(),
    changes: fc.record({ recipient_id: fc.string({ maxLength: MAX_ID_FIELD }), study_id: fc.string({ maxLength: MAX_ID_FIELD }), body: fc.oneof(fc.string(), fc.constant('x'.repeat(MAX_TEXT))) }, { requiredKeys: [] }),
  }),
  fc.record({ type: fc.constant('send'), requestId: fc.nat(), seq: fc.nat(), draft: fc.record({ recipient_id: fc.string({ maxLength: 30 }), study_id: fc.string({ maxLength: 30 }), body: fc.string() }) }),
  fc.record({ type: fc.constant('listStudies'), requestId: fc.oneof(fc.nat(), fc.constant(Number.MAX_SAFE_INTEGER)) }),
  fc.record({ type: fc.constant('preview'), requestId: fc.nat(), body: fc.string() }),
);
const withExtraKeys = <T extends object>(message: fc.Arbitrary<T>) =>
  fc.tuple(message, fc.dictionary(fc.constantFrom('token', 'extra', 'html', 'command'), anything, { maxKeys: 2 })).map(([m, extra]) => ({ ...extra, ...m }));

/** Whatever arrives, `parse` either rejects it or returns exactly one of the `shapes`; some cases are accepted. */
function rejectsOrKeepsOneShape(name: string, parse: (value: unknown) => unknown, shapes: Record<string, string[]>, valid: fc.Arbitrary<object>): void {
  let accepted = 0;
  holds(
    `${name}: rejected or exactly one shape`,
    5000,
    fc.oneof(anything, nearMiss(Object.keys(shapes)), withExtraKeys(valid)),
    (value) => {
      const parsed = parse(value);
      if (parsed === undefined) return;
      accepted++;
      assertOneShape(parsed, value, shapes);
    },
    () => ` (${accepted} accepted)`,
  );
  assert.ok(accepted > 0, 'no case was accepted: the generators never reach the interesting side');
}

describe('properties: webview protocol', function () {
  this.timeout(120_000);

  it('parsePageMessage: anything is rejected or is exactly one message shape', () => {
    rejectsOrKeepsOneShape('parsePageMessage', parsePageMessage, PAGE_SHAPES, validPageMessage);
  });

  it('parsePageMessage: every well-formed message is accepted, unknown keys dropped', () => {
    holds('parsePageMessage accepts every well-formed message', 2000, withExtraKeys(validPageMessage), (value) => {
      const parsed = parsePageMessage(value);
      assert.ok(parsed, `rejected ${fc.stringify(value).slice(0, 200)}`);
      assertOneShape(parsed, value, PAGE_SHAPES);
    });
  });

  it('parseConversationPageMessage: anything is rejected or is exactly one message shape', () => {
    const validReply = fc.record({ type: fc.constant('reply'), requestId: fc.nat(), body: fc.oneof(fc.string(), fc.constant('x'.repeat(MAX_TEXT))) });
    const valid = fc.oneof(fc.constantFrom({ type: 'ready' }, { type: 'refresh' }, { type: 'openInProlific' }), validReply);
    rejectsOrKeepsOneShape('parseConversationPageMessage', parseConversationPageMessage, CONVERSATION_SHAPES, valid);
  });

  describe('a rejected message never reaches the API', () => {
    let fake: FakeProlific;
    let client: ProlificClient;

    before(async () => {
      fake = await startFakeProlific();
      const base = parseBaseUrl(fake.url);
      assert.ok(base.ok);
      client = new ProlificClient({ baseUrl: base.url, token: fake.token, timeoutMs: 5_000, userAgent: 'prolific-messenger/test' });
    });

    after(async () => {
      await fake?.close();
    });

    /**
     * The host's path from a compose-page message to the API, in the order the extension takes it:
     * WebviewHost (ComposeController.attach) drops what parsePageMessage rejects; MessageService.send refuses a draft
     * validateDraft finds fault with (it also needs a token and VS Code, which this test leaves out);
     * only then does the client post. Here the post is real, to the fake, so a send would be seen.
     */
    async function deliver(raw: unknown): Promise<'rejected' | 'not a send' | 'invalid draft' | 'sent'> {
      const message = parsePageMessage(raw);
      if (!message) return 'rejected';
      if (message.type !== 'send') return 'not a send';
      if (Object.keys(validateDraft(message.draft)).length > 0) return 'invalid draft';
      // A 4xx from the fake is fine: the request reached it, which is what is counted.
      await client.sendMessage(normalizeDraft(message.draft)).catch(() => undefined);
      return 'sent';
    }

    it('nothing is posted for a message parsePageMessage rejects or validateDraft refuses', async () => {
      const outcomes: Record<string, number> = {};
      const hex24 = fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: 24, maxLength: 24 });
      // Sends that pass every check, so the test shows that a real send is seen by the fake.
      const goodSend = fc.record({
        type: fc.constant('send'),
        requestId: fc.nat(),
        seq: fc.nat(),
        draft: fc.record({ recipient_id: hex24, study_id: hex24, body: fc.string({ minLength: 1 }).filter((b) => b.trim() !== '') }),
      });
      const value = fc.oneof(anything, nearMiss(Object.keys(PAGE_SHAPES)), withExtraKeys(validPageMessage), goodSend);
      await holdsAsync(
        'a rejected page message never reaches the API',
        300,
        value,
        async (raw) => {
          const before = fake.requests.length;
          const outcome = await deliver(raw);
          outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
          assert.equal(fake.requests.length - before, outcome === 'sent' ? 1 : 0, `${outcome}: ${fc.stringify(raw).slice(0, 200)}`);
        },
        () => ` (${Object.entries(outcomes).map(([k, n]) => `${n} ${k}`).join(', ')})`,
      );
      assert.ok(outcomes.rejected > 0 && outcomes.sent > 0, `not both rejected and sent cases: ${JSON.stringify(outcomes)}`);
    });
  });
});
