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
});
