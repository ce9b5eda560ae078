// Checks and finds Prolific participant IDs (24 hex digits, MongoDB ObjectId style) in text.
// The one spelling of an ID here is the one everywhere: study IDs share it (see validateDraft).
// Pure and linear-time: it runs on every editor selection change.

/** 24 hexadecimal digits (docs/prolific-api/related.md § 9); the flags allow either case. */
const HEX_ID = '[0-9a-f]{24}';

export const PARTICIPANT_ID = new RegExp(`^${HEX_ID}$`, 'i');

// A match must not touch another letter, digit or "_": a 64-hex channel_id or "user_<id>"
// is not a participant ID. \p{L}\p{N} also refuses IDs glued to non-ASCII letters.
const EMBEDDED_ID = new RegExp(`(?<![\\p{L}\\p{N}_])${HEX_ID}(?![\\p{L}\\p{N}_])`, 'giu');

// An ID that is a word as an editor's word range sees one (ASCII letters, digits and "_"):
// what a right-click in the editor can point at.
const WORD_ID = new RegExp(`(?<![0-9A-Za-z_])${HEX_ID}(?![0-9A-Za-z_])`, 'i');

/** True when the text is exactly 24 hex digits, nothing around them. */
export function isHexId(text: string): boolean {
  return PARTICIPANT_ID.test(text);
}

/** True when the text, ignoring surrounding whitespace, is exactly one participant ID. */
export function isParticipantId(text: string): boolean {
  return isHexId(text.trim());
}

/** True when an ID stands in the text as a word of its own, in an editor's sense of a word. */
export function holdsIdWord(text: string): boolean {
  return WORD_ID.test(text);
}

/** Every standalone 24-hex token, lower-cased, without duplicates, in first-seen order. */
export function extractParticipantIds(text: string): string[] {
  const seen = new Set<string>();
  for (const match of text.matchAll(EMBEDDED_ID)) seen.add(match[0].toLowerCase());
  return [...seen];
}
