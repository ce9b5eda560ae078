// Property-based tests for the set algebra of audience files (audienceSets.ts) and for their
// parser (audienceFormat.ts): the audience is (union of include) minus (union of exclude) whatever
// the order of the sources and of the IDs in them, repeated or in any case, and a file written by
// formatAudience reads back as what was written. A wrong set here messages the wrong people.
//
// One seed per run; fast-check prints it with any counterexample, and FC_SEED=<seed> replays that run.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { holds } from '../support/random';
import { audienceSchema } from '../../src/features/audience/audienceSchema';
import { combine } from '../../src/features/audience/audienceSets';
import {
  SUBMISSION_STATUSES,
  UNDERSCORE_STATUSES,
  formatAudience,
  parseAudience,
  type AudienceSpec,
  type SourceSpec,
} from '../../src/features/audience/audienceFormat';

/** Few distinct IDs, so sources overlap often; each in random case, as a CSV may hold them. */
const POOL = Array.from({ length: 12 }, (_, i) => `${'0'.repeat(20)}${(0xa0b0 + i).toString(16)}`);
const randomCase = (id: string) =>
  fc
    .array(fc.boolean(), { minLength: id.length, maxLength: id.length })
    .map((up) => [...id].map((c, i) => (up[i] ? c.toUpperCase() : c)).join(''));
const anyId = fc.constantFrom(...POOL).chain(randomCase);
const source = fc.array(anyId, { maxLength: 10 });
const sources = fc.array(source, { maxLength: 4 });

const lowerSet = (lists: readonly (readonly string[])[]) => new Set(lists.flat().map((id) => id.toLowerCase()));
const sortedSet = (set: Iterable<string>) => [...set].sort();
/** The audience as a set, computed the slow, obvious way. */
const expected = (include: string[][], exclude: string[][]) => {
  const out = lowerSet(exclude);
  return sortedSet([...lowerSet(include)].filter((id) => !out.has(id)));
};

/** A seeded shuffle (fast-check's own scheduler would shrink it poorly). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const copy = [...items];
  let s = seed >>> 0 || 1;
  for (let i = copy.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

describe('properties: audience set algebra', function () {
  this.timeout(60_000);

  it('is the union of include minus the union of exclude, IDs compared case-insensitively', () => {
    holds('members = ∪include − ∪exclude', 2000, fc.tuple(sources, sources), ([include, exclude]) => {
      const c = combine(include, exclude);
      assert.deepEqual(sortedSet(c.members), expected(include, exclude));
      // Kept out: included, and in some exclude source; nobody is both in and kept out, nobody twice.
      const out = lowerSet(exclude);
      assert.deepEqual(sortedSet(c.keptOut), sortedSet([...lowerSet(include)].filter((id) => out.has(id))));
      assert.equal(new Set([...c.members, ...c.keptOut]).size, c.members.length + c.keptOut.length);
      for (const id of [...c.members, ...c.keptOut]) assert.equal(id, id.toLowerCase());
    });
  });

  it('does not depend on the order of the sources, the order of the IDs, or repeated IDs', () => {
    const input = fc.tuple(sources, sources, fc.integer(), fc.array(fc.nat({ max: 3 }), { maxLength: 6 }));
    holds('order and duplicates irrelevant', 1000, input, ([include, exclude, seed, repeats]) => {
      const base = combine(include, exclude);
      // Each source's IDs shuffled and some repeated in another case, the sources themselves shuffled.
      const noisy = (lists: string[][]) =>
        shuffled(
          lists.map((ids, i) => shuffled([...ids, ...ids.slice(0, repeats[i] ?? 0).map((id) => id.toUpperCase())], seed + i)),
          seed,
        );
      const other = combine(noisy(include), noisy(exclude));
      assert.deepEqual(sortedSet(other.members), sortedSet(base.members));
      assert.deepEqual(sortedSet(other.keptOut), sortedSet(base.keptOut));
    });
  });

  it('obeys the union and difference laws', () => {
    const sets = fc.tuple(source, source, source);
    holds('A ∪ B = B ∪ A; A − (B ∪ C) = (A − B) − C; A − A = ∅; A − ∅ = A; (A ∪ B) − C = (A − C) ∪ (B − C)', 1000, sets, ([a, b, c]) => {
      const members = (include: string[][], exclude: string[][]) => sortedSet(combine(include, exclude).members);
      assert.deepEqual(members([a, b], []), members([b, a], []));
      assert.deepEqual(members([a], [b, c]), members([a], [[...b, ...c]]));
      // (A − B) − C, as two evaluations: the first's result included by the second.
      assert.deepEqual(members([a], [b, c]), members([combine([a], [b]).members], [c]));
      assert.deepEqual(members([a], [a]), []);
      assert.deepEqual(members([a], []), sortedSet(lowerSet([a])));
      assert.deepEqual(members([a, b], [c]), sortedSet(new Set([...combine([a], [c]).members, ...combine([b], [c]).members])));
    });
  });

  it('names, for each participant, exactly the sources that hold them', () => {
    holds('putInBy / keptOutBy are the sources holding the ID', 1000, fc.tuple(sources, sources, anyId), ([include, exclude, probe]) => {
      const c = combine(include, exclude);
      const holding = (lists: string[][], id: string) =>
        lists.flatMap((ids, i) => (ids.some((x) => x.toLowerCase() === id.toLowerCase()) ? [i] : []));
      for (const id of [...c.members, ...c.keptOut, probe]) {
        const inBy = holding(include, id);
        assert.deepEqual([...c.putInBy(id)], inBy);
        // Only included participants are tracked: an exclude source alone puts nobody anywhere.
        assert.deepEqual([...c.keptOutBy(id)], inBy.length ? holding(exclude, id) : []);
        assert.deepEqual([...c.putInBy(id.toUpperCase())], inBy);
      }
      // In the audience exactly when put in by some source and kept out by none.
      for (const id of c.members) assert.ok(c.putInBy(id).length > 0 && c.keptOutBy(id).length === 0);
      for (const id of c.keptOut) assert.ok(c.keptOutBy(id).length > 0);
    });
  });

  it('keeps members in order of first appearance', () => {
    holds('first appearance order', 1000, fc.tuple(sources, sources), ([include, exclude]) => {
      const out = lowerSet(exclude);
      const firstSeen = [...new Set(include.flat().map((id) => id.toLowerCase()))];
      assert.deepEqual(
        combine(include, exclude).members,
        firstSeen.filter((id) => !out.has(id)),
      );
    });
  });
});

// ---- Parsing ----

const hexId = fc.array(fc.constantFrom(...'0123456789abcdef'), { minLength: 24, maxLength: 24 }).map((c) => c.join(''));
const note = fc.option(fc.string({ maxLength: 20 }), { nil: undefined });
const statuses = fc.option(fc.uniqueArray(fc.constantFrom(...SUBMISSION_STATUSES), { minLength: 1, maxLength: 4 }), { nil: undefined });
const within = fc.tuple(fc.integer({ min: 1, max: 30 }), fc.constantFrom('h', 'd')).map(([n, unit]) => `${n}${unit}`);
const withNote = <T extends SourceSpec>(spec: T, text: string | undefined): T => (text === undefined ? spec : { ...spec, note: text });
const sourceSpec: fc.Arbitrary<SourceSpec> = fc.oneof(
  fc
    .tuple(fc.oneof(hexId, fc.constantFrom('Sleep & Mood Diary (Wave 1)', 'wave 2')), statuses, note)
    .map(([study, s, n]) => withNote({ kind: 'study', study, ...(s ? { statuses: s } : {}) }, n)),
  fc.tuple(fc.oneof(hexId, fc.constant('Pilot panel')), note).map(([group, n]) => withNote({ kind: 'group', group }, n)),
  fc.tuple(fc.array(hexId, { maxLength: 5 }), note).map(([ids, n]) => withNote({ kind: 'ids', ids }, n)),
  fc
    .tuple(
      fc.constantFrom('data/wave1.csv', 'ids.txt', 'a b/c.tsv'),
      fc.option(fc.constantFrom('participant_id', 'PID'), { nil: undefined }),
      note,
    )
    .map(([file, column, n]) => withNote({ kind: 'file', file, ...(column ? { column } : {}) }, n)),
  fc.tuple(within, note).map(([w, n]) => withNote({ kind: 'messaged', within: w, withinMs: 0 }, n)),
);
const spec: fc.Arbitrary<AudienceSpec> = fc
  .tuple(fc.array(sourceSpec, { minLength: 1, maxLength: 4 }), fc.array(sourceSpec, { maxLength: 3 }), note)
  .map(([include, exclude, description]) => ({ ...(description !== undefined ? { description } : {}), include, exclude }));

/** withinMs is derived; compare without it, then check it separately. */
const withoutMs = (s: AudienceSpec) =>
  JSON.parse(JSON.stringify(s, (key, value: unknown) => (key === 'withinMs' ? undefined : value))) as unknown;

describe('properties: audience file parsing', function () {
  this.timeout(60_000);

  it('reads back what formatAudience wrote', () => {
    holds('parseAudience(formatAudience(spec)) = spec', 1000, spec, (written) => {
      const parsed = parseAudience(formatAudience(written));
      assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.problems));
      assert.deepEqual(withoutMs(parsed.spec), withoutMs(written));
      for (const s of [...parsed.spec.include, ...parsed.spec.exclude])
        if (s.kind === 'messaged')
          assert.equal(s.withinMs, Number.parseInt(s.within, 10) * (s.within.endsWith('h') ? 3_600_000 : 86_400_000));
    });
  });

  it('takes IDs in any case and every status in the underscore form, as Prolific writes them', () => {
    const input = fc.tuple(
      fc.array(hexId, { minLength: 1, maxLength: 5 }),
      fc.integer(),
      fc.subarray([...UNDERSCORE_STATUSES], { minLength: 1 }),
    );
    holds('IDs lower-cased, underscore statuses canonical', 500, input, ([ids, seed, underscored]) => {
      const cased = ids.map((id, i) => ((seed >> (i % 30)) & 1 ? id.toUpperCase() : id));
      const parsed = parseAudience(JSON.stringify({ include: [{ ids: cased }, { study: ids[0], statuses: underscored }] }));
      assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.problems));
      const [listed, study] = parsed.spec.include;
      assert.ok(listed.kind === 'ids' && study.kind === 'study');
      assert.deepEqual(listed.ids, ids);
      assert.deepEqual(
        study.statuses,
        underscored.map((s) => SUBMISSION_STATUSES.find((known) => known.replace(/[ -]/g, '_') === s)),
      );
    });
  });

  it('never throws, and names the place of every problem it finds', () => {
    // Arbitrary JSON, and audience-shaped JSON with wrong values in it.
    const junk = fc.oneof(
      fc.jsonValue(),
      fc.record({
        include: fc.array(fc.dictionary(fc.constantFrom('study', 'group', 'ids', 'file', 'messaged', 'statuses', 'x'), fc.jsonValue()), {
          maxLength: 3,
        }),
      }),
    );
    holds('parseAudience is total; each problem has a path inside the file', 1000, junk, (value) => {
      const parsed = parseAudience(JSON.stringify(value) ?? 'null');
      if (parsed.ok) return;
      assert.ok(parsed.problems.length > 0);
      const topKeys = typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.keys(value) : [];
      for (const p of parsed.problems) {
        assert.ok(p.message.length > 0);
        // The whole file, a field of it, or a place inside one of its sources.
        assert.ok(p.path === '' || topKeys.includes(p.path) || /^(include|exclude)(\[\d+\]|$)/.test(p.path), p.path);
      }
    });
  });
});

// ---- The schema VS Code's JSON editor uses, against the parser ----

type Schema = Record<string, unknown>;

/**
 * Whether `value` meets `schema`, for the keywords audienceSchema uses (a JSON schema library
 * would be a dependency for one test). $ref resolves inside `root` only.
 */
function meets(value: unknown, schema: Schema, root: Schema): boolean {
  if (typeof schema.$ref === 'string') return meets(value, resolve(schema.$ref, root), root);
  if (Array.isArray(schema.anyOf) && !(schema.anyOf as Schema[]).some((s) => meets(value, s, root))) return false;
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) return false;
  const record = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  switch (schema.type) {
    case 'object': {
      if (!record) return false;
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      if (((schema.required ?? []) as string[]).some((key) => !(key in record))) return false;
      if (schema.additionalProperties === false && Object.keys(record).some((key) => !(key in properties))) return false;
      return Object.entries(record).every(([key, v]) => !(key in properties) || meets(v, properties[key], root));
    }
    case 'array': {
      if (!Array.isArray(value)) return false;
      if (typeof schema.minItems === 'number' && value.length < schema.minItems) return false;
      if (schema.uniqueItems === true && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) return false;
      return !schema.items || value.every((v) => meets(v, schema.items as Schema, root));
    }
    case 'string':
      if (typeof value !== 'string') return false;
      if (typeof schema.minLength === 'number' && value.length < schema.minLength) return false;
      return typeof schema.pattern !== 'string' || new RegExp(schema.pattern, 'u').test(value);
    default:
      return true;
  }
}

function resolve(ref: string, root: Schema): Schema {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<Schema>((node, key) => node[key] as Schema, root);
}

describe('properties: the audience JSON schema and the parser', function () {
  this.timeout(60_000);
  const schema = audienceSchema();

  it('the schema accepts every file the parser accepts', () => {
    // Written files, and audience-shaped JSON with some values made wrong (which the parser mostly refuses).
    const wrong = fc.oneof(fc.constant(undefined), fc.jsonValue(), fc.constantFrom('', 'APPROVED', '7d', '../x', [], ['ACTIVE', 'ACTIVE']));
    const input = fc.oneof(
      spec.map((s) => JSON.parse(formatAudience(s)) as unknown),
      fc
        .tuple(spec, fc.nat(), fc.constantFrom('study', 'group', 'ids', 'file', 'column', 'statuses', 'messaged', 'note', 'extra'), wrong)
        .map(([s, at, key, value]) => {
          const file = JSON.parse(formatAudience(s)) as { include: Record<string, unknown>[] };
          const source = file.include[at % file.include.length];
          if (value === undefined) delete source[key];
          else source[key] = value;
          return file as unknown;
        }),
    );
    let accepted = 0;
    holds(
      'parseAudience(x).ok ⇒ schema accepts x',
      1000,
      input,
      (value) => {
        if (!parseAudience(JSON.stringify(value)).ok) return;
        accepted++;
        assert.ok(meets(value, schema, schema), JSON.stringify(value));
      },
      () => ` (${accepted} accepted by the parser)`,
    );
  });

  it('the schema refuses what the parser refuses for a reason the schema can say', () => {
    for (const value of [
      {},
      { include: [] },
      { include: [{ study: 'x', statuses: ['APROVED'] }] },
      { include: [{ study: 'x', group: 'y' }] },
      { include: [{ ids: ['nope'] }] },
      { include: [{ file: '../up.csv' }] },
      { include: [{ file: '/abs.csv' }] },
      { include: [{ messaged: { within: '7 days' } }] },
      { include: [{ study: 'x' }], extra: 1 },
    ]) {
      assert.ok(!parseAudience(JSON.stringify(value)).ok, JSON.stringify(value));
      assert.ok(!meets(value, schema, schema), JSON.stringify(value));
    }
  });
});
