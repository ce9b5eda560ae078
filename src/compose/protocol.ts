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

export interface StudyOption {
  id: string;
  name: string;
  status: string | null;
}

/** Page → host. */
export type PageMessage =
  | { type: 'ready' }
  | { type: 'draftChanged'; draft: Draft }
  | { type: 'send'; requestId: number; draft: Draft }
  | { type: 'listStudies'; requestId: number };

/** Host → page. */
export type HostMessage =
  /** Answer to `ready`: the saved draft. Sent only after `ready`, so the page is listening. */
  | { type: 'init'; draft: Draft }
  /** The host changed the draft (a right-click recipient, or the other compose form). */
  | { type: 'setDraft'; draft: Draft }
  /** Answer to `send` with the same requestId. `ok` clears the form; otherwise the draft stays
   *  and `error` says why in a sentence. The host trims and lower-cases the IDs it sends. */
  | { type: 'sendResult'; requestId: number; ok: boolean; fieldErrors: FieldErrors; error?: string }
  /** Answer to `listStudies`; `error` is a sentence when the list could not be fetched. */
  | { type: 'studies'; requestId: number; studies: StudyOption[]; error?: string };

export const EMPTY_DRAFT: Draft = { recipient_id: '', study_id: '', body: '' };
