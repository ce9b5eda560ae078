// Type guards for data read from outside the type system: JSON from disk or the network.
// Pure: no vscode, no DOM, no node.

/** A JSON object: not null, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A whole number of things: 0, 1, 2... (safe integers only, so arithmetic on it stays exact). */
export function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
