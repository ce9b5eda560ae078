// Finds Prolific participant IDs (24 hex digits, MongoDB ObjectId style) in text.
// Pure and linear-time: it runs on every editor selection change.

export const PARTICIPANT_ID = /^[0-9a-f]{24}$/i;

// A match must not touch another letter, digit or "_": a 64-hex channel_id or "user_<id>"
// is not a participant ID. \p{L}\p{N} also refuses IDs glued to non-ASCII letters.
const EMBEDDED_ID = /(?<![\p{L}\p{N}_])[0-9a-f]{24}(?![\p{L}\p{N}_])/giu;

/** True when the text, ignoring surrounding whitespace, is exactly one participant ID. */
export function isParticipantId(text: string): boolean {
  return PARTICIPANT_ID.test(text.trim());
}

/** Every standalone 24-hex token, lower-cased, without duplicates, in first-seen order. */
export function extractParticipantIds(text: string): string[] {
  const seen = new Set<string>();
  for (const match of text.matchAll(EMBEDDED_ID)) seen.add(match[0].toLowerCase());
  return [...seen];
}
