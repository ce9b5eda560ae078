// Every message between the compose page (src/webviews/apps/compose/page.ts) and its host
// (src/features/compose/composeController.ts), both ways. Both ends import it, so each message is
// typed at both. The page is untrusted: the host checks what arrives against `pageMessageSchema`
// (zod) before use. The page imports this file's types only (`import type`), so zod stays out of
// its bundle.
import * as z from 'zod/mini';
import type { Draft, DraftChanges, FieldErrors } from '../../shared/draft';

export { DRAFT_FIELDS, EMPTY_DRAFT, type Draft, type DraftChanges, type DraftField, type FieldErrors } from '../../shared/draft';

export interface StudyOption {
  id: string;
  name: string;
  status: string | null;
}

/**
 * Who the form sends to. 'single' uses the recipient_id field; the others replace it with a
 * list the host built (from a selection, a file, a study's submissions or a group).
 */
export type AudienceSummary =
  | { kind: 'single' }
  | {
      kind: 'list';
      /** Where the list came from, for the user: "participants.csv", "Selection", "Study: Wave 2 (APPROVED)". */
      source: string;
      ids: string[];
      /** Entries that are not participant IDs, as written; left out. */
      invalid: string[];
      duplicates: number;
      /** Present when the list came from a table: its columns can fill {{column}} placeholders. */
      columns?: string[];
    }
  | { kind: 'group'; groupId: string; name: string; count: number | null };

export interface PreviewItem {
  id: string;
  text: string;
}

// --- page → host ---

const MAX_ID_FIELD = 200;
const MAX_TEXT = 100_000;
const requestId = z.number().check(z.int(), z.nonnegative());
/** Counts the page's draft messages (`draftChanged` and `send`), so the host can say which of them it had applied (see `setDraft`). */
const seq = requestId;
const draft = z.object({
  recipient_id: z.string().check(z.maxLength(MAX_ID_FIELD)),
  study_id: z.string().check(z.maxLength(MAX_ID_FIELD)),
  // Longer than Prolific's 500 passes here, so that validateDraft can say how much longer.
  subject: z.optional(z.string().check(z.maxLength(MAX_TEXT))),
  topic: z.optional(z.string().check(z.maxLength(MAX_ID_FIELD))),
  body: z.string().check(z.maxLength(MAX_TEXT)),
}) satisfies z.ZodMiniType<Draft>;

export const pageMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  /** The fields the user edited since the last report. */
  z.object({ type: z.literal('draftChanged'), seq, changes: z.partial(draft) }),
  /** Sends the draft as shown; it also counts as an edit of every field (`seq`). */
  z.object({ type: z.literal('send'), requestId, seq, draft }),
  z.object({ type: z.literal('listStudies'), requestId }),
  /** "Send to one participant instead": drop the list. */
  z.object({ type: z.literal('clearAudience') }),
  /** Render a personalized body for the first rows of the list. */
  z.object({ type: z.literal('preview'), requestId, body: z.string().check(z.maxLength(MAX_TEXT)) }),
]);

/** Page → host: exactly what `pageMessageSchema` accepts. */
export type PageMessage = z.infer<typeof pageMessageSchema>;

/** The host's check of a message from the page: a clean copy with only the known keys, or undefined. */
export function parsePageMessage(value: unknown): PageMessage | undefined {
  const result = pageMessageSchema.safeParse(value);
  return result.success ? result.data : undefined;
}

// --- host → page (the page checks these itself: apps/compose/hostMessages.ts) ---

export type HostMessage =
  /**
   * Answer to `ready`: the saved draft. Sent only after `ready`, so the page is listening.
   * `seen` as for `setDraft`.
   */
  | { type: 'init'; draft: Draft; audience: AudienceSummary; seen: number }
  | { type: 'setAudience'; audience: AudienceSummary }
  /** Answer to `preview`: rendered messages for the first rows, or why they cannot be rendered. */
  | { type: 'preview'; requestId: number; items: PreviewItem[]; errors: string[] }
  /**
   * The host changed these fields (a right-click recipient, a template, the other compose form).
   * `seen` is the `seq` of the last draft message of this page the host had applied when it made
   * the change: a field the page edited after that, or is editing now, keeps the page's value,
   * because the user's typing is newer than the host's change.
   */
  | { type: 'setDraft'; changes: DraftChanges; seen: number }
  /** Answer to `send` with the same requestId. `ok` clears the form; otherwise the draft stays
   *  and `error` says why in a sentence. The host trims and lower-cases the IDs it sends. */
  | { type: 'sendResult'; requestId: number; ok: boolean; fieldErrors: FieldErrors; error?: string }
  /**
   * Which of Prolific's messaging features the account has, once known (after `init`): with
   * `subjects`, the form offers a subject and topic for a message to one participant; with
   * `broadcasts`, for a list too (it goes out as a broadcast).
   */
  | { type: 'features'; subjects: boolean; broadcasts: boolean }
  /** Answer to `listStudies`; `error` is a sentence when the list could not be fetched. */
  | { type: 'studies'; requestId: number; studies: StudyOption[]; error?: string };
