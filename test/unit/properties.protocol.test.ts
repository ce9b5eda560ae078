// Property-based tests for the webview protocol. The compose and conversation pages are untrusted
// (a script injected into a page could post anything), so whatever arrives is either dropped or is
// exactly one message of the protocol: the right keys and nothing else, values of the right types
// and sizes. That a dropped message never reaches the Prolific API: test/fake/properties.protocol.test.ts.
//
// One seed per run; fast-check prints it with any counterexample, and FC_SEED=<seed> replays that run.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { holds } from '../support/random';
import {
  CONVERSATION_SHAPES,
  MAX_ID_FIELD,
  MAX_TEXT,
  PAGE_SHAPES,
  anything,
  nearMiss,
  validPageMessage,
  withExtraKeys,
} from '../support/protocolArbitraries';
import { parsePageMessage } from '../../src/webviews/compose/protocol';
import { parsePageMessage as parseConversationPageMessage } from '../../src/webviews/conversation/protocol';

const DRAFT_FIELDS = ['recipient_id', 'study_id', 'body'];
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
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
  if ('requestId' in parsed)
    assert.ok(Number.isSafeInteger(parsed.requestId) && (parsed.requestId as number) >= 0, `requestId ${String(parsed.requestId)}`);
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
    assert.ok(
      isString(draft.recipient_id, MAX_ID_FIELD) && isString(draft.study_id, MAX_ID_FIELD) && isString(draft.body, MAX_TEXT),
      'draft fields',
    );
  }
  // The same values the page sent, projected onto the shape's keys.
  const source = input as Record<string, unknown>;
  const project = (from: Record<string, unknown>, names: string[]) => Object.fromEntries(names.map((k) => [k, from[k]]));
  const expected = project(source, keys);
  if ('draft' in expected) expected.draft = project(source.draft as Record<string, unknown>, DRAFT_FIELDS);
  if ('changes' in expected) {
    const from = source.changes as Record<string, unknown>;
    expected.changes = project(
      from,
      DRAFT_FIELDS.filter((k) => Object.hasOwn(from, k)),
    );
  }
  assert.deepEqual(parsed, expected);
}

/** Whatever arrives, `parse` either rejects it or returns exactly one of the `shapes`; some cases are accepted. */
function rejectsOrKeepsOneShape(
  name: string,
  parse: (value: unknown) => unknown,
  shapes: Record<string, string[]>,
  valid: fc.Arbitrary<object>,
): void {
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
    const validReply = fc.record({
      type: fc.constant('reply'),
      requestId: fc.nat(),
      body: fc.oneof(fc.string(), fc.constant('x'.repeat(MAX_TEXT))),
    });
    const valid = fc.oneof(fc.constantFrom({ type: 'ready' }, { type: 'refresh' }, { type: 'openInProlific' }), validReply);
    rejectsOrKeepsOneShape('parseConversationPageMessage', parseConversationPageMessage, CONVERSATION_SHAPES, valid);
  });
});
