// Shape checks for what reaches the page: host messages and the saved webview state. The
// page cannot trust that every `message` event comes from our host in our format (another
// extension version, a stale host, a devtools console), so anything unexpected is ignored.
import type { Draft, DraftField, FieldErrors, HostMessage, StudyOption } from '../compose/protocol';

export const FIELDS: readonly DraftField[] = ['recipient_id', 'study_id', 'body'];

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isRequestId(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v);
}

export function isDraft(v: unknown): v is Draft {
  return isObj(v) && FIELDS.every((f) => typeof v[f] === 'string');
}

/** Only the known fields with string messages; anything else is dropped. */
function fieldErrors(v: unknown): FieldErrors | null {
  if (!isObj(v)) return null;
  const out: FieldErrors = {};
  for (const f of FIELDS) if (typeof v[f] === 'string' && v[f]) out[f] = v[f];
  return out;
}

function studyOption(v: unknown): StudyOption | null {
  if (!isObj(v) || typeof v.id !== 'string' || typeof v.name !== 'string') return null;
  if (v.status !== null && typeof v.status !== 'string') return null;
  return { id: v.id, name: v.name, status: v.status };
}

/** Returns a clean copy of a well-formed host message, or null for anything else. */
export function parseHostMessage(data: unknown): HostMessage | null {
  if (!isObj(data)) return null;
  switch (data.type) {
    case 'init':
    case 'setDraft':
      return isDraft(data.draft) ? { type: data.type, draft: data.draft } : null;
    case 'sendResult': {
      const errors = data.fieldErrors === undefined ? {} : fieldErrors(data.fieldErrors);
      if (!isRequestId(data.requestId) || typeof data.ok !== 'boolean' || !errors) return null;
      const error = typeof data.error === 'string' && data.error ? data.error : undefined;
      return { type: 'sendResult', requestId: data.requestId, ok: data.ok, fieldErrors: errors, ...(error ? { error } : {}) };
    }
    case 'studies': {
      if (!isRequestId(data.requestId) || !Array.isArray(data.studies)) return null;
      // One malformed entry should not cost the user the whole list.
      const studies = data.studies.map(studyOption).filter((s): s is StudyOption => s !== null);
      const error = typeof data.error === 'string' && data.error ? data.error : undefined;
      return error === undefined
        ? { type: 'studies', requestId: data.requestId, studies }
        : { type: 'studies', requestId: data.requestId, studies, error };
    }
    default:
      return null;
  }
}
