// Messages from the compose page are untrusted: only well-formed ones get through
// (src/webviews/compose/protocol.ts, the check the host runs on every message).
import * as assert from 'node:assert/strict';
import { parsePageMessage } from '../../src/webviews/compose/protocol';

const draft = { recipient_id: 'a'.repeat(24), study_id: 'b'.repeat(24), body: 'Hi' };

describe('parsePageMessage', () => {
  it('accepts every message of the protocol', () => {
    for (const message of [
      { type: 'ready' },
      { type: 'draftChanged', seq: 1, changes: { body: 'Hi' } },
      { type: 'draftChanged', seq: 2, changes: draft },
      { type: 'send', requestId: 3, seq: 3, draft },
      { type: 'listStudies', requestId: 4 },
    ]) {
      assert.deepEqual(parsePageMessage(message), message);
    }
  });

  it('rejects malformed, unknown and oversized messages', () => {
    const rejected: unknown[] = [
      null,
      'send',
      42,
      [],
      {},
      { type: 'unknown' },
      { type: 'send', seq: 1, draft },
      { type: 'send', requestId: 1, draft },
      { type: 'send', requestId: -1, seq: 1, draft },
      { type: 'send', requestId: 1.5, seq: 1, draft },
      { type: 'send', requestId: 1, seq: 1, draft: { ...draft, body: 7 } },
      { type: 'send', requestId: 1, seq: 1, draft: { recipient_id: 'x', body: 'y' } },
      { type: 'draftChanged', seq: 1, changes: { body: 'x'.repeat(100_001) } },
      { type: 'draftChanged', seq: 1, changes: { body: 7 } },
      { type: 'draftChanged', changes: { body: 'Hi' } },
      { type: 'draftChanged', seq: 1, draft },
      { type: 'listStudies', requestId: '1' },
    ];
    for (const message of rejected) assert.equal(parsePageMessage(message), undefined, JSON.stringify(message)?.slice(0, 80));
  });

  it('drops properties it does not know', () => {
    assert.deepEqual(parsePageMessage({ type: 'ready', token: 'x' }), { type: 'ready' });
  });

  it('never throws on random values (seeded)', () => {
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const values = [null, undefined, 0, -1, 1.5, '', 'send', true, [], {}];
    const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
    let count = 0;
    for (; count < 2000; count++) {
      const message: Record<string, unknown> = { type: pick(['ready', 'draftChanged', 'send', 'listStudies', 'x', 1]) };
      if (random() < 0.7) message.requestId = pick([...values, 1, 2]);
      if (random() < 0.7) message.seq = pick([...values, 1, 2]);
      if (random() < 0.5) message.changes = { body: pick([...values, 'hi']) };
      if (random() < 0.7)
        message.draft =
          random() < 0.5 ? pick(values) : { recipient_id: pick(values), study_id: pick(values), body: pick([...values, 'hi']) };
      const parsed = parsePageMessage(message);
      if (parsed && parsed.type !== 'ready') assert.ok(['draftChanged', 'send', 'listStudies'].includes(parsed.type));
    }
    assert.equal(count, 2000);
  });
});
