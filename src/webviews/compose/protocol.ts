// The messages exchanged by the compose page (src/webview) and its host (src/compose).
// Imported by both ends so each message is typed at both; the host still validates what
// arrives (see pageMessages.ts), because the page is untrusted.

/** The form's fields; the names are the HTML `name` attributes and the API's JSON keys. */
export interface Draft {
  recipient_id: string;
  study_id: string;
  body: string;
}

export type DraftField = keyof Draft;
export type FieldErrors = Partial<Record<DraftField, string>>;
/** Some fields of a draft: what one side changed, so the other never rewrites a field it did not. */
export type DraftChanges = Partial<Draft>;

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

/** Page → host. */
export type PageMessage =
  | { type: 'ready' }
  /**
   * The fields the user edited since the last report. `seq` counts the page's draft messages
   * (this and `send`), so the host can say which of them it had applied (see `setDraft`).
   */
  | { type: 'draftChanged'; seq: number; changes: DraftChanges }
  /** Sends the draft as shown; it also counts as an edit of every field (`seq`). */
  | { type: 'send'; requestId: number; seq: number; draft: Draft }
  | { type: 'listStudies'; requestId: number }
  /** "Send to one participant instead": drop the list. */
  | { type: 'clearAudience' }
  /** Render a personalized body for the first rows of the list. */
  | { type: 'preview'; requestId: number; body: string };

/** Host → page. */
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
  /** Answer to `listStudies`; `error` is a sentence when the list could not be fetched. */
  | { type: 'studies'; requestId: number; studies: StudyOption[]; error?: string };

export const EMPTY_DRAFT: Draft = { recipient_id: '', study_id: '', body: '' };
