// The set algebra of an audience: (union of the include sources) minus (union of the exclude
// sources), keeping for each participant which sources put them in and which kept them out, so
// the preview can say why. IDs are compared case-insensitively (Prolific's are lower-case hex;
// a CSV may hold them in capitals). Pure: property-tested in test/unit/properties.audience.test.ts.

export interface Combination {
  /** In the audience: in some include source and no exclude source, lower-cased, in order of first appearance. */
  members: string[];
  /** In some include source and kept out by an exclude source, in order of first appearance. */
  keptOut: string[];
  /** The include sources (their indexes) that hold the participant, in order; [] for anyone not included. */
  putInBy(id: string): readonly number[];
  /** The exclude sources (their indexes) that hold the participant, in order; [] for anyone not excluded. */
  keptOutBy(id: string): readonly number[];
}

const NONE: readonly number[] = Object.freeze([]);

interface Reasons {
  in: number[];
  out: number[];
}

/**
 * Each source is a list of IDs (any case, duplicates allowed). Only included participants are
 * tracked: someone in an exclude source alone is in no list of the result. Linear in the total
 * number of IDs.
 */
export function combine(include: readonly (readonly string[])[], exclude: readonly (readonly string[])[]): Combination {
  const reasons = new Map<string, Reasons>();
  include.forEach((ids, source) => {
    for (const raw of ids) {
      const id = lower(raw);
      const known = reasons.get(id);
      if (!known) reasons.set(id, { in: [source], out: [] });
      else if (known.in[known.in.length - 1] !== source) known.in.push(source);
    }
  });
  exclude.forEach((ids, source) => {
    for (const raw of ids) {
      const known = reasons.get(lower(raw));
      if (known && known.out[known.out.length - 1] !== source) known.out.push(source);
    }
  });
  const members: string[] = [];
  const keptOut: string[] = [];
  for (const [id, why] of reasons) (why.out.length === 0 ? members : keptOut).push(id);
  return {
    members,
    keptOut,
    putInBy: (id) => reasons.get(lower(id))?.in ?? NONE,
    keptOutBy: (id) => reasons.get(lower(id))?.out ?? NONE,
  };
}

/** Lower case without a copy when there is nothing to change (most IDs from Prolific are lower-case already). */
function lower(id: string): string {
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    if (c >= 65 && c <= 90) return id.toLowerCase();
  }
  return id;
}
