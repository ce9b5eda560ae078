// Checks and finds Prolific participant IDs (24 hex digits, MongoDB ObjectId style) in text.
// Pure and linear-time: it runs on every editor selection change.

// The one spelling of an ID, participant or study (validateDraft): 24 hexadecimal digits, either
// case (docs/prolific-api/related.md § 9); no other file of src/ writes the pattern again. Each
// pattern is a literal rather than built from one shared string, so that a bundle which does not
// use it leaves it out (the activation bundle and the compose page use one or two).
export const PARTICIPANT_ID = /^[0-9a-f]{24}$/i;

// A match must not touch another letter, digit or "_": a 64-hex channel_id or "user_<id>"
// is not a participant ID. \p{L}\p{N} also refuses IDs glued to non-ASCII letters.
// Case-sensitive on purpose: with the i flag a class matches what case-folds into it, so a
// combining mark such as U+0345 (which folds to the letter ι) would count as a letter.
const EMBEDDED_ID = /(?<![\p{L}\p{N}_])[0-9a-fA-F]{24}(?![\p{L}\p{N}_])/gu;

// An ID that is a word as an editor's word range sees one (ASCII letters, digits and "_"):
// what a right-click in the editor can point at.
const WORD_ID = /(?<![0-9A-Za-z_])[0-9a-f]{24}(?![0-9A-Za-z_])/i;

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
