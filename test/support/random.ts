// Shared by the tests that generate inputs: a seeded PRNG for hand-rolled loops, and fast-check
// runners that count and print their cases.
import assert from 'node:assert/strict';
import fc from 'fast-check';

/** mulberry32: a tiny seeded PRNG, so a failing generated case reproduces. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One seed per run; fast-check prints it with any counterexample, and FC_SEED=<seed> replays that run. */
export const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : (Date.now() ^ (Math.random() * 2 ** 32)) | 0;

/** Checks the property on exactly `numRuns` generated cases, counts them itself and prints the count. */
export function holds<T>(name: string, numRuns: number, arbitrary: fc.Arbitrary<T>, predicate: (value: T) => void, note = () => ''): void {
  let cases = 0;
  fc.assert(
    fc.property(arbitrary, (value) => {
      cases++;
      predicate(value);
    }),
    { numRuns, seed: SEED },
  );
  assert.equal(cases, numRuns);
  console.log(`    property: ${name} — ${cases} cases${note()}`);
}

/** The same as `holds`, for a property that awaits. */
export async function holdsAsync<T>(
  name: string,
  numRuns: number,
  arbitrary: fc.Arbitrary<T>,
  predicate: (value: T) => Promise<void>,
  note = () => '',
): Promise<void> {
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
