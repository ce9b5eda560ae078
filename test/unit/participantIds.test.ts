import assert from 'node:assert/strict';
import { prng } from '../support/random';
import { PARTICIPANT_ID, extractParticipantIds, holdsIdWord, isHexId, isParticipantId } from '../../src/shared/recipients/participantIds';

const A = '5f8d0c3e4b2a1c0012345678';
const B = '619e049f7648a4e1f8f3645b';

describe('isParticipantId', () => {
  it('accepts exactly 24 hex digits in either case, ignoring surrounding whitespace', () => {
    assert.ok(isParticipantId(A));
    assert.ok(isParticipantId(A.toUpperCase()));
    assert.ok(isParticipantId(`  ${B}\n`));
    assert.ok(PARTICIPANT_ID.test(B));
  });

  it('rejects near misses', () => {
    for (const text of ['', A.slice(1), `${A}0`, `${A.slice(0, 23)}g`, `${A} ${B}`, `0x${A.slice(2)}`, 'user_987654321']) {
      assert.ok(!isParticipantId(text), text);
    }
  });

  it('isHexId is the same check on text as it is, without trimming', () => {
    assert.ok(isHexId(A) && isHexId(B.toUpperCase()));
    for (const text of [` ${A}`, `${A}\n`, '', A.slice(1), `${A}0`]) assert.ok(!isHexId(text), JSON.stringify(text));
  });
});

describe('holdsIdWord', () => {
  it("finds an ID that is a word in the editor's sense (ASCII letters, digits, _), anywhere in the text", () => {
    for (const text of [A, `see ${A}.`, `-${A}-`, `/studies/${B}/`, `é${A}`, `${A.toUpperCase()}ü`]) assert.ok(holdsIdWord(text), text);
    for (const text of [
      '',
      `${A}0`,
      `0${A}`,
      `x${A}`,
      `user_${A}`,
      `${A}_1`,
      `${A}${B}`,
      'd45c8a5e812ff990fc6546beaf888c9820f4c184f7200a45d900cf0f321f7f38',
    ]) {
      assert.ok(!holdsIdWord(text), text);
    }
  });
});

describe('extractParticipantIds', () => {
  it('finds IDs in prose, CSV, JSON and emails; lower-cases; keeps first-seen order; removes duplicates', () => {
    const text = `participant_id,status\n${B},APPROVED\n${A.toUpperCase()},RETURNED\n{"id": "${A}"} mail ${B}@email.prolific.co (${A}).`;
    assert.deepEqual(extractParticipantIds(text), [B, A]);
  });

  it('ignores hex runs that are part of longer hex or word runs', () => {
    const channel = 'd45c8a5e812ff990fc6546beaf888c9820f4c184f7200a45d900cf0f321f7f38';
    assert.deepEqual(extractParticipantIds(channel), []);
    assert.deepEqual(extractParticipantIds(`${A}0 0${A} x${A} ${A}g user_${A} ${A}_1 é${A}`), []);
    assert.deepEqual(extractParticipantIds(`${A}${B}`), []);
  });

  it('accepts separators other than word characters', () => {
    assert.deepEqual(extractParticipantIds(`-${A}-`), [A]);
    assert.deepEqual(extractParticipantIds(`"${A}",'${B}'`), [A, B]);
    assert.deepEqual(extractParticipantIds(`/studies/${A}/`), [A]);
  });

  it('agrees with a simple reference on random text (seeded)', () => {
    const random = prng(12345);
    const alphabet = '0123456789abcdefABCDEF ,_-xg\n';
    // The reference splits on non-word characters and keeps 24-hex tokens.
    const reference = (text: string) => [
      ...new Set(
        text
          .split(/[^0-9A-Za-z_]+/)
          .filter((t) => PARTICIPANT_ID.test(t))
          .map((t) => t.toLowerCase()),
      ),
    ];
    for (let round = 0; round < 300; round++) {
      let text = '';
      const length = Math.floor(random() * 200);
      for (let i = 0; i < length; i++) {
        // Sometimes insert a whole ID so matches actually occur.
        text += random() < 0.05 ? (random() < 0.5 ? A : B) : alphabet[Math.floor(random() * alphabet.length)];
      }
      const found = extractParticipantIds(text);
      assert.deepEqual(found, reference(text), JSON.stringify(text));
      for (const id of found) assert.ok(isParticipantId(id) && id === id.toLowerCase());
    }
  });

  it('scans a large selection quickly', () => {
    const text = `${A} lorem ipsum, `.repeat(50_000) + 'f'.repeat(200_000);
    const started = performance.now();
    assert.deepEqual(extractParticipantIds(text), [A]);
    assert.ok(performance.now() - started < 500, 'took too long');
  });
});
