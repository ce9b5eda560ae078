// What the webview protocol's property tests generate: the protocols' size limits and message
// shapes, anything a page could post, near misses of each field, and well-formed messages. Used by
// the parsers' properties (test/unit) and by the check that a rejected message never reaches the
// API (test/fake).
import fc from 'fast-check';

// Size limits of the protocols (src/webviews/compose/protocol.ts, src/webviews/conversation/protocol.ts).
export const MAX_ID_FIELD = 200;
export const MAX_TEXT = 100_000;

/** Every message shape, by type: the keys it has, all of them required. */
export const PAGE_SHAPES: Record<string, string[]> = {
  ready: ['type'],
  draftChanged: ['changes', 'seq', 'type'],
  send: ['draft', 'requestId', 'seq', 'type'],
  listStudies: ['requestId', 'type'],
  clearAudience: ['type'],
  preview: ['body', 'requestId', 'type'],
};
export const CONVERSATION_SHAPES: Record<string, string[]> = {
  ready: ['type'],
  refresh: ['type'],
  openInProlific: ['type'],
  reply: ['body', 'requestId', 'type'],
};

// Anything at all, including exotic values a structured clone can carry (Map, Set, Date, typed arrays,
// boxed strings, null-prototype objects, sparse arrays, bigints).
export const anything = fc.anything({
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
  fc.constantFrom(
    undefined,
    null,
    true,
    -1,
    1.5,
    NaN,
    Infinity,
    -Infinity,
    2 ** 53,
    '1',
    '',
    [],
    {},
    'x'.repeat(MAX_ID_FIELD + 1),
    'x'.repeat(MAX_TEXT + 1),
  ),
  fc.double(),
  fc.bigInt(),
  fc.array(fc.string(), { maxLength: 2 }),
  fc.string({ maxLength: 5 }).map((s) => new String(s)),
  anything,
);
/** Right or wrong, with the right ones often at the size limits. */
const requestId = fc.oneof(fc.nat(), fc.constantFrom(0, Number.MAX_SAFE_INTEGER), wrong);
const idField = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom('x'.repeat(MAX_ID_FIELD), 'x'.repeat(MAX_ID_FIELD + 1), 'a'.repeat(24)),
  wrong,
);
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
export const nearMiss = (types: string[]) =>
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
export const validPageMessage = fc.oneof(
  fc.constantFrom({ type: 'ready' }, { type: 'clearAudience' }),
  fc.record({
    type: fc.constant('draftChanged'),
    seq: fc.nat(),
    changes: fc.record(
      {
        recipient_id: fc.string({ maxLength: MAX_ID_FIELD }),
        study_id: fc.string({ maxLength: MAX_ID_FIELD }),
        body: fc.oneof(fc.string(), fc.constant('x'.repeat(MAX_TEXT))),
      },
      { requiredKeys: [] },
    ),
  }),
  fc.record({
    type: fc.constant('send'),
    requestId: fc.nat(),
    seq: fc.nat(),
    draft: fc.record({ recipient_id: fc.string({ maxLength: 30 }), study_id: fc.string({ maxLength: 30 }), body: fc.string() }),
  }),
  fc.record({ type: fc.constant('listStudies'), requestId: fc.oneof(fc.nat(), fc.constant(Number.MAX_SAFE_INTEGER)) }),
  fc.record({ type: fc.constant('preview'), requestId: fc.nat(), body: fc.string() }),
);
export const withExtraKeys = <T extends object>(message: fc.Arbitrary<T>) =>
  fc
    .tuple(message, fc.dictionary(fc.constantFrom('token', 'extra', 'html', 'command'), anything, { maxKeys: 2 }))
    .map(([m, extra]) => ({ ...extra, ...m }));
