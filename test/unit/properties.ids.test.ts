// Property-based tests for finding participant IDs: the ID a researcher selected must be found, a
// hash or a "user_<id>" must not be taken for one, and every typo in a pasted list must be reported,
// because a message sent to the wrong people cannot be taken back.
//
// One seed per run; fast-check prints it with any counterexample, and FC_SEED=<seed> replays that run.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { holds } from '../support/random';
import { PARTICIPANT_ID, extractParticipantIds, isParticipantId } from '../../src/shared/recipients/participantIds';
import { MAX_INVALID, parseRecipientList } from '../../src/shared/recipients/recipientList';

const unique = <T>(items: T[]): T[] => [...new Set(items)];

/** What the code calls a word character: a letter, a digit (any script) or "_". */
const WORD_CHAR = /[\p{L}\p{N}_]/u;

const hexDigit = fc.constantFrom(...'0123456789abcdefABCDEF');
const hexRun = (length: number) => fc.string({ unit: hexDigit, minLength: length, maxLength: length });
/** A participant ID in random case, as people paste them. */
const id = hexRun(24);
/** One character that ends a word: punctuation, spaces, symbols, emoji (never a lone surrogate half). */
// 'binary' includes lone surrogate halves, which would pair with the text beside them into one
// character (U+D800 then U+DC00 is U+10000, a letter): such a "boundary" is no boundary at all.
const boundary = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((c) => !WORD_CHAR.test(c) && !/[\uD800-\uDFFF]/.test(c));
/** Any text, including every Unicode plane. */
const anyText = fc.oneof(fc.string(), fc.string({ unit: 'binary' }));

describe('properties: participant IDs', function () {
  this.timeout(60_000);

  it('extractParticipantIds finds every ID embedded between non-word characters', () => {
    // Text around the IDs is arbitrary (it may even hold IDs of its own); each inserted ID is fenced
    // by non-word characters, so it must be found, lower-cased, once, in the order it first appears.
    const embedded = fc.tuple(anyText, fc.array(fc.tuple(boundary, id, boundary, anyText), { minLength: 1, maxLength: 8 }));
    holds('extractParticipantIds finds every embedded ID', 2000, embedded, ([head, parts]) => {
      const text = head + parts.map(([before, value, after, filler]) => before + value + after + filler).join('');
      const found = extractParticipantIds(text);
      const inserted = unique(parts.map(([, value]) => value.toLowerCase()));
      // Filler may add IDs of its own; restricted to the inserted ones, the order must be first-seen.
      assert.deepEqual(
        found.filter((x) => inserted.includes(x)),
        inserted,
      );
    });
  });

  it('extractParticipantIds returns nothing but 24-hex runs bounded by non-word characters', () => {
    // Text made to produce near misses: hex runs one digit short or long, IDs glued to letters,
    // digits of other scripts ("٣"), "_" and accented letters, next to real separators.
    const piece = fc.oneof(
      id,
      fc.integer({ min: 1, max: 50 }).chain(hexRun),
      fc.constantFrom('_', 'g', 'x', 'é', '٣', 'Ⅻ', ' ', '\n', ',', '-', '.', '"', '🙂', '\u00a0', '\u0301'),
      anyText,
    );
    // Reference: split into maximal runs of word characters and keep the ones that are 24 hex digits.
    const reference = (text: string) =>
      unique(
        text
          .split(/[^\p{L}\p{N}_]+/u)
          .filter((token) => /^[0-9a-fA-F]{24}$/.test(token))
          .map((token) => token.toLowerCase()),
      );
    holds(
      'extractParticipantIds returns only bounded 24-hex runs (= reference tokenizer)',
      2000,
      fc.array(piece, { maxLength: 30 }),
      (pieces) => {
        const text = pieces.join('');
        const found = extractParticipantIds(text);
        assert.deepEqual(found, reference(text));
        for (const x of found) assert.ok(/^[0-9a-f]{24}$/.test(x) && text.toLowerCase().includes(x), x);
      },
    );
  });

  it('isParticipantId agrees with a reference regex', () => {
    const whitespace = fc.string({
      unit: fc.constantFrom(' ', '\t', '\n', '\r', '\u00a0', '\u2028', '\ufeff', '\u3000', 'x'),
      maxLength: 3,
    });
    const candidate = fc.oneof(
      anyText,
      fc.tuple(whitespace, fc.integer({ min: 22, max: 26 }).chain(hexRun), whitespace).map((parts) => parts.join('')),
      fc.tuple(id, fc.nat(23), fc.string({ minLength: 1, maxLength: 1 })).map(([x, at, c]) => x.slice(0, at) + c + x.slice(at + 1)),
    );
    // Trimmed, exactly 24 hex digits; JS trim() and \s strip the same characters.
    const reference = /^\s*[0-9a-fA-F]{24}\s*$/;
    holds('isParticipantId agrees with /^\\s*[0-9a-f]{24}\\s*$/i', 3000, candidate, (text) => {
      assert.equal(isParticipantId(text), reference.test(text), JSON.stringify(text));
    });
  });

  it('parseRecipientList never throws and returns only valid, lower-case, unique IDs', () => {
    holds(
      'parseRecipientList on arbitrary text: valid unique lower-case IDs',
      2000,
      fc.oneof(
        anyText,
        fc.array(fc.oneof(id, anyText, fc.constantFrom('\n', ',', ';', ' ', '"'))).map((p) => p.join('')),
      ),
      (text) => {
        const list = parseRecipientList(text);
        assert.equal(new Set(list.ids).size, list.ids.length);
        for (const x of list.ids) assert.ok(PARTICIPANT_ID.test(x) && x === x.toLowerCase() && text.toLowerCase().includes(x), x);
        assert.ok(list.invalid.length <= MAX_INVALID);
        assert.ok(Number.isInteger(list.duplicates) && list.duplicates >= 0);
      },
    );
  });

  it('parseRecipientList accounts for every entry of a pasted list', () => {
    // Header names make a one-column "list" a CSV with a header (by design), so a typo is never one of them.
    const HEADER_NAMES = ['participantid', 'prolificpid', 'prolificid', 'participant', 'pid'];
    const typo = fc
      .oneof(
        hexRun(23),
        hexRun(25),
        id.map((x) => `${x.slice(0, 10)}g${x.slice(11)}`),
        fc.stringMatching(/^[\p{L}\p{N}_-]{1,12}$/u),
      )
      .filter((x) => !PARTICIPANT_ID.test(x) && !HEADER_NAMES.includes(x.toLowerCase().replace(/[\s_-]+/g, '')));
    const ids = fc.array(id, { minLength: 1, maxLength: 15 });
    const list = fc
      .record({
        ids,
        // Extra entries that repeat an earlier ID, possibly in another case.
        repeats: fc.array(fc.tuple(fc.nat(), fc.boolean()), { maxLength: 6 }),
        typos: fc.array(typo, { maxLength: 10 }),
        order: fc.array(fc.nat(), { maxLength: 40 }),
        pad: fc.array(fc.string({ unit: fc.constantFrom(' '), maxLength: 3 }), { minLength: 2, maxLength: 2 }),
        layout: fc.constantFrom('lines', 'crlf', 'commas'),
      })
      // A comma-separated line counts as a list only when most entries are IDs (otherwise it is prose).
      .filter(
        ({ ids, repeats, typos, layout }) =>
          layout !== 'commas' || (ids.length + repeats.length) * 2 > ids.length + repeats.length + typos.length,
      );

    holds('parseRecipientList: ids ∪ invalid account for every list entry', 2000, list, ({ ids, repeats, typos, order, pad, layout }) => {
      const entries = [
        ...ids,
        ...repeats.map(([i, upper]) => (upper ? ids[i % ids.length].toUpperCase() : ids[i % ids.length].toLowerCase())),
        ...typos,
      ];
      // Shuffle deterministically from the generated order (shrinks along with it).
      for (let i = entries.length - 1; i > 0; i--) {
        const j = (order[i % Math.max(order.length, 1)] ?? 0) % (i + 1);
        [entries[i], entries[j]] = [entries[j], entries[i]];
      }
      const separator = layout === 'lines' ? '\n' : layout === 'crlf' ? '\r\n' : ',';
      const text = entries.map((e, i) => pad[i % 2] + e + pad[(i + 1) % 2]).join(separator);

      const result = parseRecipientList(text);
      const idEntries = entries.filter((e) => PARTICIPANT_ID.test(e));
      assert.deepEqual(result.ids, unique(idEntries.map((e) => e.toLowerCase())), 'ids: lower-cased, unique, first-seen order');
      assert.deepEqual(result.invalid, unique(entries.filter((e) => !PARTICIPANT_ID.test(e))), 'invalid: every non-ID entry, as written');
      assert.equal(result.duplicates, idEntries.length - result.ids.length);
      for (const entry of entries)
        assert.ok(result.ids.includes(entry.toLowerCase()) || result.invalid.includes(entry), `entry lost: ${entry}`);
    });
  });
});
