import * as assert from 'node:assert/strict';
import { normalizeDraft, validateDraft } from '../../src/shared/draft';

const ok = { recipient_id: '5f8d0c3e4b2a1c0012345678', study_id: '620ca2735fcbba4fa2b3211a', body: 'Thanks!' };

describe('validateDraft', () => {
  it('accepts a complete draft, IDs in either case and with spaces around', () => {
    assert.deepEqual(validateDraft(ok), {});
    assert.deepEqual(validateDraft({ ...ok, recipient_id: ` ${ok.recipient_id.toUpperCase()} ` }), {});
  });

  it('names each invalid field', () => {
    assert.deepEqual(Object.keys(validateDraft({ recipient_id: '', study_id: '', body: '' })).sort(), ['body', 'recipient_id', 'study_id']);
    assert.match(validateDraft({ ...ok, recipient_id: '5f8d0c3e4b2a1c001234567' }).recipient_id ?? '', /24 hexadecimal/);
    assert.match(validateDraft({ ...ok, study_id: 'zzzzzzzzzzzzzzzzzzzzzzzz' }).study_id ?? '', /24 hexadecimal/);
    assert.match(validateDraft({ ...ok, body: ' \n\t ' }).body ?? '', /Write a message/);
  });

  it('normalizes IDs and keeps the body as typed', () => {
    assert.deepEqual(normalizeDraft({ recipient_id: ` ${ok.recipient_id.toUpperCase()} `, study_id: ok.study_id, body: '  Hi  ' }), {
      ...ok,
      body: '  Hi  ',
    });
  });

  it('takes a subject with a topic, up to 500 characters, for one participant only, and sends it trimmed', () => {
    assert.deepEqual(validateDraft({ ...ok, subject: 'Your payment', topic: 'payment-timing' }), {});
    assert.deepEqual(validateDraft({ ...ok, subject: '   ', topic: '' }), {}, 'a blank subject is no subject');
    assert.match(validateDraft({ ...ok, subject: 'Your payment', topic: '' }).topic ?? '', /Choose a topic/);
    assert.match(validateDraft({ ...ok, subject: 'Your payment', topic: 'gossip' }).topic ?? '', /Choose a topic/);
    assert.match(
      validateDraft({ ...ok, subject: 'x'.repeat(501), topic: 'other' }).subject ?? '',
      /at most 500 characters; this one has 501/,
    );
    assert.deepEqual(validateDraft({ ...ok, subject: 'x'.repeat(500), topic: 'other' }), {});
    assert.match(validateDraft({ ...ok, subject: 'Wave 2', topic: 'other' }, 'group').subject ?? '', /participant group/);
    assert.deepEqual(
      validateDraft({ ...ok, recipient_id: '', subject: 'Wave 2', topic: 'other' }, 'list'),
      {},
      'a list may have a subject',
    );
    assert.match(validateDraft({ ...ok, subject: 'Wave 2', topic: '' }, 'list').topic ?? '', /Choose a topic/);
    assert.deepEqual(normalizeDraft({ ...ok, subject: '  Your payment ', topic: 'payment-timing' }), {
      ...ok,
      subject: 'Your payment',
      topic: 'payment-timing',
    });
    assert.deepEqual(normalizeDraft({ ...ok, subject: ' ', topic: 'other' }), ok, 'no subject, no topic: a plain message');
  });
});
