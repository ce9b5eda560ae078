// The small shape checks both pages' hostMessages.ts build on. The page cannot bundle zod (the
// host's checks), so these are plain type guards, with isRecord and isCount from shared/guards.

export function isRequestId(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v);
}

export function isNullableString(v: unknown): v is string | null {
  return v === null || typeof v === 'string';
}

export function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === 'string');
}

/** An error sentence from the host: a non-empty string, else undefined. */
export function errorText(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}
