// Shape checks for what reaches the compose page: host messages and the saved webview state.
// The page cannot trust that every `message` event comes from our host in our format (another
// extension version, a stale host, a devtools console), so anything unexpected is ignored.
import type { AudienceSummary, Draft, DraftChanges, FieldErrors, HostMessage, PreviewItem, StudyOption } from '../../compose/protocol';
import { DRAFT_FIELDS, isConversationField } from '../../../shared/draft';
import { errorText, isRequestId, isStringArray } from '../shared/checks';
import { isCount, isRecord } from '../../../shared/guards';

function isDraft(v: unknown): v is Draft {
  return isRecord(v) && DRAFT_FIELDS.every((f) => typeof v[f] === 'string' || (isConversationField(f) && v[f] === undefined));
}

function pickDraft(d: Draft): Draft {
  const { recipient_id, study_id, subject, topic, body } = d;
  return { recipient_id, study_id, body, ...(subject !== undefined ? { subject } : {}), ...(topic !== undefined ? { topic } : {}) };
}

/** What the page keeps with setState: the draft as shown, so a re-shown view is filled at once. */
export type PageState = Draft;

export function parsePageState(v: unknown): PageState | null {
  return isDraft(v) ? pickDraft(v) : null;
}

/** A clean copy of some draft fields, or null when one of them is not a string. */
function draftChanges(v: unknown): DraftChanges | null {
  if (!isRecord(v)) return null;
  const out: DraftChanges = {};
  for (const f of DRAFT_FIELDS) {
    if (v[f] === undefined) continue;
    if (typeof v[f] !== 'string') return null;
    out[f] = v[f];
  }
  return out;
}

/** Only the known fields with string messages; anything else is dropped. */
function fieldErrors(v: unknown): FieldErrors | null {
  if (!isRecord(v)) return null;
  const out: FieldErrors = {};
  for (const f of DRAFT_FIELDS) if (typeof v[f] === 'string' && v[f]) out[f] = v[f];
  return out;
}

function studyOption(v: unknown): StudyOption | null {
  if (!isRecord(v) || typeof v.id !== 'string' || typeof v.name !== 'string') return null;
  if (v.status !== null && typeof v.status !== 'string') return null;
  return { id: v.id, name: v.name, status: v.status };
}

/**
 * A clean copy of a well-formed audience, or null. All or nothing: the page shows counts the
 * user trusts before sending to everyone, so a list with one bad entry is not quietly shortened.
 */
export function parseAudience(v: unknown): AudienceSummary | null {
  if (!isRecord(v)) return null;
  switch (v.kind) {
    case 'single':
      return { kind: 'single' };
    case 'list': {
      if (typeof v.source !== 'string' || !isStringArray(v.ids) || !isStringArray(v.invalid) || !isCount(v.duplicates)) return null;
      if (v.columns !== undefined && !isStringArray(v.columns)) return null;
      const list = { kind: 'list' as const, source: v.source, ids: [...v.ids], invalid: [...v.invalid], duplicates: v.duplicates };
      return v.columns === undefined ? list : { ...list, columns: [...v.columns] };
    }
    case 'group':
      if (typeof v.groupId !== 'string' || typeof v.name !== 'string') return null;
      if (v.count !== null && !isCount(v.count)) return null;
      return { kind: 'group', groupId: v.groupId, name: v.name, count: v.count };
    default:
      return null;
  }
}

function previewItem(v: unknown): PreviewItem | null {
  return isRecord(v) && typeof v.id === 'string' && typeof v.text === 'string' ? { id: v.id, text: v.text } : null;
}

/** Returns a clean copy of a well-formed host message, or null for anything else. */
export function parseHostMessage(data: unknown): HostMessage | null {
  if (!isRecord(data)) return null;
  switch (data.type) {
    case 'init': {
      const audience = parseAudience(data.audience);
      return isDraft(data.draft) && audience && isCount(data.seen)
        ? { type: 'init', draft: pickDraft(data.draft), audience, seen: data.seen }
        : null;
    }
    case 'setDraft': {
      const changes = draftChanges(data.changes);
      return changes && isCount(data.seen) ? { type: 'setDraft', changes, seen: data.seen } : null;
    }
    case 'features':
      return typeof data.subjects === 'boolean' && typeof data.broadcasts === 'boolean'
        ? { type: 'features', subjects: data.subjects, broadcasts: data.broadcasts }
        : null;
    case 'setAudience': {
      const audience = parseAudience(data.audience);
      return audience ? { type: 'setAudience', audience } : null;
    }
    case 'preview': {
      if (!isRequestId(data.requestId) || !Array.isArray(data.items) || !Array.isArray(data.errors)) return null;
      // Display only (the host checks the body again on send): malformed entries are dropped.
      const items = data.items.map(previewItem).filter((i): i is PreviewItem => i !== null);
      const errors = data.errors.filter((e): e is string => typeof e === 'string' && e !== '');
      return { type: 'preview', requestId: data.requestId, items, errors };
    }
    case 'sendResult': {
      const errors = data.fieldErrors === undefined ? {} : fieldErrors(data.fieldErrors);
      if (!isRequestId(data.requestId) || typeof data.ok !== 'boolean' || !errors) return null;
      const error = errorText(data.error);
      return { type: 'sendResult', requestId: data.requestId, ok: data.ok, fieldErrors: errors, ...(error ? { error } : {}) };
    }
    case 'studies': {
      if (!isRequestId(data.requestId) || !Array.isArray(data.studies)) return null;
      // One malformed entry should not cost the user the whole list.
      const studies = data.studies.map(studyOption).filter((s): s is StudyOption => s !== null);
      const error = errorText(data.error);
      return error === undefined
        ? { type: 'studies', requestId: data.requestId, studies }
        : { type: 'studies', requestId: data.requestId, studies, error };
    }
    default:
      return null;
  }
}
