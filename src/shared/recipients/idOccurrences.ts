// The participant IDs of a list in the order met, and which of them repeat an earlier one. Pure (no
// vscode). A file of a million rows would otherwise need a Set of a million strings, and any hash
// table that large is slow the same way: each lookup lands somewhere random in megabytes of memory,
// a cache miss. So each ID is kept as three 32-bit numbers while the file is read, and the repeats
// are found at the end: the IDs are first grouped by hash into partitions small enough for the
// processor's cache, in order, then each partition is checked with a small table.

/** IDs per partition, about: their table (4 numbers a slot, 4 slots an ID) then takes about 64 KB. */
const PARTITION = 1024;

/** 32-bit numbers kept per occurrence: the ID's three words, then `where`, `rowIndex` and `rowStart` (see add). */
export const STRIDE = 6;

export class IdOccurrences {
  /** STRIDE numbers per occurrence, in the order added (typed: a million IDs are no work for the garbage collector). */
  private keys: Int32Array;
  private count = 0;

  /** `expected`: about how many IDs will be added (growing the storage later costs a copy). */
  constructor(expected = 1024) {
    this.keys = new Int32Array(STRIDE * Math.max(expected, 16));
  }

  get length(): number {
    return this.count;
  }

  /**
   * Appends the ID at text[start, start + 24) with three numbers the caller gets back by index (where it
   * found the ID, its row's index and start: 32-bit integers). False, appending nothing, if those are not
   * 24 hex digits.
   */
  add(text: string, start: number, where: number, rowIndex: number, rowStart: number): boolean {
    const a = hexWord(text, start);
    const b = hexWord(text, start + 8);
    const c = hexWord(text, start + 16);
    if (a === NOT_HEX || b === NOT_HEX || c === NOT_HEX) return false;
    if (this.count * STRIDE === this.keys.length) {
      const grown = new Int32Array(this.keys.length * 2);
      grown.set(this.keys);
      this.keys = grown;
    }
    const w = this.count++ * STRIDE;
    const keys = this.keys;
    keys[w] = a;
    keys[w + 1] = b;
    keys[w + 2] = c;
    keys[w + 3] = where;
    keys[w + 4] = rowIndex;
    keys[w + 5] = rowStart;
    return true;
  }

  /** What add() kept: occurrence k's `where`, `rowIndex` and `rowStart` are at k * STRIDE + 3, 4 and 5. */
  get data(): Int32Array {
    return this.keys;
  }

  /** For each occurrence in order: 1 when the same ID occurred earlier (either case), else 0. */
  repeats(): Uint8Array {
    const n = this.count;
    const keys = this.keys;
    const repeats = new Uint8Array(n);
    const bits = Math.min(16, Math.max(0, Math.ceil(Math.log2(n / PARTITION))));
    // The partition is the hash's top `bits` bits (h >>> shift; a shift of 32 would be a shift of 0).
    const shift = 32 - bits;
    const partitionMask = (1 << bits) - 1;
    // Group by partition (a counting sort, so each partition keeps the order of occurrence).
    const hashes = new Int32Array(n);
    const starts = new Int32Array((1 << bits) + 1);
    for (let i = 0; i < n; i++) {
      const h = hash(keys[STRIDE * i], keys[STRIDE * i + 1], keys[STRIDE * i + 2]);
      hashes[i] = h;
      starts[((h >>> shift) & partitionMask) + 1]++;
    }
    let largest = 0;
    for (let p = 1; p < starts.length; p++) {
      largest = Math.max(largest, starts[p]);
      starts[p] += starts[p - 1];
    }
    // Per grouped occurrence: its hash, its three words and its index.
    const grouped = new Int32Array(5 * n);
    const next = starts.slice(0, -1);
    for (let i = 0; i < n; i++) {
      const g = 5 * next[(hashes[i] >>> shift) & partitionMask]++;
      grouped[g] = hashes[i];
      grouped[g + 1] = keys[STRIDE * i];
      grouped[g + 2] = keys[STRIDE * i + 1];
      grouped[g + 3] = keys[STRIDE * i + 2];
      grouped[g + 4] = i;
    }
    // Each partition through one small open-addressing table of grouped positions (+1; 0 is empty).
    const slots = new Int32Array(2 ** Math.ceil(Math.log2(2 * largest + 2)));
    const mask = slots.length - 1;
    for (let p = 0; p + 1 < starts.length; p++) {
      if (starts[p] === starts[p + 1]) continue;
      slots.fill(0);
      for (let at = starts[p]; at < starts[p + 1]; at++) {
        const g = 5 * at;
        for (let slot = grouped[g] & mask; ; slot = (slot + 1) & mask) {
          const other = slots[slot];
          if (other === 0) {
            slots[slot] = at + 1;
            break;
          }
          const o = 5 * (other - 1);
          if (grouped[o + 1] === grouped[g + 1] && grouped[o + 2] === grouped[g + 2] && grouped[o + 3] === grouped[g + 3]) {
            repeats[grouped[g + 4]] = 1;
            break;
          }
        }
      }
    }
    return repeats;
  }
}

/** hexWord's answer for anything but 8 hex digits: not a 32-bit integer, so no word equals it. */
const NOT_HEX = 0.5;

/** Each ASCII character's value as a hex digit, or -1: a lookup instead of branches that digits and letters mixed at random would mispredict. */
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let d = 0; d < 16; d++) {
  HEX_VALUE[d.toString(16).charCodeAt(0)] = d;
  HEX_VALUE[d.toString(16).toUpperCase().charCodeAt(0)] = d;
}

/** The 8 hex digits at text[start, start + 8) as a 32-bit integer, or NOT_HEX. */
function hexWord(text: string, start: number): number {
  let word = 0;
  for (let i = start; i < start + 8; i++) {
    const c = text.charCodeAt(i);
    const value = c < 128 ? HEX_VALUE[c] : -1; // NaN past the end of the text: -1 too
    if (value < 0) return NOT_HEX;
    word = (word << 4) | value;
  }
  return word;
}

/** Mixes the three words so that both the high bits (partition) and the low bits (slot) vary. */
function hash(a: number, b: number, c: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ b ^ (h >>> 13), 0xc2b2ae35);
  h = Math.imul(h ^ c ^ (h >>> 16), 0x27d4eb2f);
  return h ^ (h >>> 15);
}
