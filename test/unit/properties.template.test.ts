// Property-based tests for personalized messages. What a participant receives is the rendered
// template, and it cannot be recalled: "Dear {{name}}," must never go out with the placeholder
// left in, a value must arrive exactly as it is in the file (never expanded again, never read
// as a regex replacement pattern), and a misspelt placeholder must stop the send.
//
// One seed per run; fast-check prints it with any counterexample, and FC_SEED=<seed> replays that run.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { holds } from '../support/random';
import { checkTemplate, placeholders, renderTemplate } from '../../src/shared/template';

const unique = <T>(items: T[]): T[] => [...new Set(items)];

/**
 * A placeholder name as documented: no braces or line breaks, not starting or ending with whitespace.
 * Never "column 3" or "x (2)": those are the names columnNames gives blank and repeated headers.
 */
const name = fc
  .oneof(
    fc.constantFrom('name', 'first name', 'participant_id', 'Ünïcødé', '__proto__', 'constructor', 'toString', '$&', 'a.b'),
    fc.string({ minLength: 1, maxLength: 12 }),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }),
  )
  .filter((n) => /^[^{}\s](?:[^{}\r\n]*[^{}\s])?$/.test(n) && !/^column \d+$| \(\d+\)$/.test(n));
/** Whitespace allowed inside the braces around a name: {{ name }}, {{name}}, {{\tname\n}}. */
const padding = fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\u00a0'), maxLength: 2 });
const placeholder = fc.record({ name, before: padding, after: padding });
/** Text between placeholders: may hold stray braces, but no placeholder of its own. */
const literal = (units: fc.Arbitrary<string>) =>
  fc.string({ unit: units, maxLength: 12 }).filter((text) => placeholders(text).length === 0);
const braceFree = fc
  .oneof(fc.constantFrom('a', ' ', '\n', 'é', '😀', '$', '&', '}', '.'), fc.string({ minLength: 1, maxLength: 1 }))
  .filter((c) => c !== '{' && c !== '}');
const anyChar = fc.oneof(
  fc.constantFrom('{', '}', '{{', '}}', ' ', 'x', '$', '\n'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);

interface Body {
  segments: { text: string; placeholder: { name: string; before: string; after: string } }[];
  tail: string;
}
/** A body as text, placeholder, text, placeholder, ..., text. */
const body = (units: fc.Arbitrary<string>) =>
  fc.record({
    segments: fc.array(fc.record({ text: literal(units), placeholder }), { maxLength: 8 }),
    tail: literal(units),
  });
const bodyText = ({ segments, tail }: Body) =>
  segments.map(({ text, placeholder: p }) => `${text}{{${p.before}${p.name}${p.after}}}`).join('') + tail;
const usedNames = ({ segments }: Body) => segments.map((s) => s.placeholder.name);
/** The expected message, built from the parts (not with the code's regex): text as written, each placeholder's value trimmed. */
const expected = ({ segments, tail }: Body, row: Record<string, string>) =>
  segments.map(({ text, placeholder: p }) => text + row[p.name].trim()).join('') + tail;
/** A row with one value per name; fromEntries makes "__proto__" an ordinary own key, as toRecord does. */
const rowFor = (names: string[], values: string[]) => Object.fromEntries(names.map((n, i) => [n, values[i % values.length] ?? '']));

describe('properties: templates', function () {
  this.timeout(60_000);

  it('renderTemplate fills every placeholder when the row has every name', () => {
    const input = fc.record({
      body: body(braceFree),
      values: fc.array(
        fc.string({ unit: braceFree, minLength: 1, maxLength: 10 }).filter((v) => v.trim() !== ''),
        { minLength: 1, maxLength: 5 },
      ),
    });
    holds('renderTemplate leaves no {{name}} of the row', 2000, input, ({ body, values }) => {
      const names = usedNames(body);
      const row = rowFor(names, values);
      const out = renderTemplate(bodyText(body), row);
      assert.equal(out, expected(body, row));
      for (const n of names) assert.ok(!placeholders(out).includes(n), `{{${n}}} left in ${JSON.stringify(out)}`);
    });
  });

  it('renderTemplate inserts values literally: no recursive expansion, no $ replacement patterns', () => {
    // Values that would change if expanded again or handed to String.replace as a pattern.
    const tricky = fc.oneof(
      fc.constantFrom('{{x}}', '{{ name }}', '$&', '$1', '$$', '$`', "$'", '$<name>', ' {{a}} $& ', '{{{{b}}}}', '\\1'),
      fc.string({ unit: fc.constantFrom('{', '}', '$', '&', '`', "'", '1', 'x', ' '), maxLength: 10 }),
      fc.string(),
    );
    const input = fc.record({ body: body(anyChar), values: fc.array(tricky, { minLength: 1, maxLength: 5 }) });
    holds('renderTemplate inserts {{x}} and $& values literally', 2000, input, ({ body, values }) => {
      const names = usedNames(body);
      // Values may name other placeholders of the same body: {{a}} = "{{b}}" must still print "{{b}}".
      const row = rowFor(
        names,
        values.map((v, i) => (i === 0 && names.length > 0 ? `${v}{{${names[names.length - 1]}}}` : v)),
      );
      assert.equal(renderTemplate(bodyText(body), row), expected(body, row));
    });
  });

  it('renderTemplate leaves a placeholder the row lacks as written, even {{constructor}}', () => {
    // checkTemplate stops such a send; rendering must still not print inherited things like Object's constructor.
    const input = fc.record({
      body: body(anyChar),
      values: fc.array(fc.string(), { minLength: 1, maxLength: 5 }),
      keep: fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
    });
    holds('renderTemplate leaves placeholders missing from the row as written', 2000, input, ({ body, values, keep }) => {
      const names = unique(usedNames(body));
      const row = rowFor(
        names.filter((_, i) => keep[i % keep.length]),
        values,
      );
      const out = renderTemplate(bodyText(body), row);
      const want =
        body.segments
          .map(
            ({ text, placeholder: p }) => text + (Object.hasOwn(row, p.name) ? row[p.name].trim() : `{{${p.before}${p.name}${p.after}}}`),
          )
          .join('') + body.tail;
      assert.equal(out, want);
    });
  });

  it('checkTemplate reports an unknown placeholder iff it names no column', () => {
    const input = fc.record({
      body: body(anyChar),
      // Column headers as they come from a file: some are the placeholder names, some are not.
      extraColumns: fc.array(fc.oneof(name, fc.string()), { maxLength: 4 }),
      keep: fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
      rows: fc.array(fc.dictionary(name, fc.string(), { maxKeys: 4 }), { maxLength: 3 }),
    });
    holds('checkTemplate reports unknown placeholders iff not a column', 2000, input, ({ body, extraColumns, keep, rows }) => {
      const names = unique(usedNames(body));
      const columns = [...names.filter((_, i) => keep[i % keep.length]), ...extraColumns];
      // Columns are compared trimmed (as files pad them). Names that are not unique after trimming get
      // " (2)" suffixes, so only the first column of each trimmed name is certain to match.
      const known = new Set(columns.map((c) => c.trim()));
      const problems = checkTemplate(bodyText(body), columns, rows);
      for (const n of names) {
        const reported = problems.some((p) => p.startsWith(`{{${n}}} matches no column;`));
        assert.equal(reported, !known.has(n), `{{${n}}} with columns ${JSON.stringify(columns)}: ${JSON.stringify(problems)}`);
      }
      assert.equal(problems.filter((p) => p.includes('}} matches no column;')).length, names.filter((n) => !known.has(n)).length);
    });
  });

  it('placeholders returns each name once, in order of first use', () => {
    holds('placeholders() = unique names in first-use order', 3000, body(anyChar), (b) => {
      assert.deepEqual(placeholders(bodyText(b)), unique(usedNames(b)));
    });
  });
});
