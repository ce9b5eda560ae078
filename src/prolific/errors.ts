// The one error type the API client throws, and the parsing of Prolific's error bodies.
// Pure: no vscode, no network. Everything here may be shown to a user, so it is short,
// single-line text; raw response bodies are never copied into it.

import { isRecord } from '../shared/guards';
import { l10n } from '../shared/l10n';

export type ApiErrorKind = 'http' | 'timeout' | 'network' | 'cancelled' | 'invalidResponse' | 'redirect';

/**
 * The thing a request names by its ID, when it names one. A 404 there most likely means that
 * thing is missing (or hidden from this account), not that the base URL is wrong.
 */
export interface ApiResource {
  kind: 'study' | 'participantGroup' | 'workspace';
  id: string;
}

export interface ProlificApiErrorInit {
  kind: ApiErrorKind;
  message: string;
  mayHaveReachedServer: boolean;
  status?: number;
  title?: string;
  detail?: string;
  fieldErrors?: Record<string, string[]>;
  retryAfterSeconds?: number;
  code?: string;
  resource?: ApiResource;
}

export class ProlificApiError extends Error {
  readonly kind: ApiErrorKind;
  readonly status?: number;
  readonly title?: string;
  readonly detail?: string;
  readonly fieldErrors: Record<string, string[]>;
  readonly retryAfterSeconds?: number;
  readonly code?: string;
  /** What the failed request addressed by ID, if anything (see ApiResource). */
  readonly resource?: ApiResource;
  /** False only when the request provably had no effect; a caller must never resend on true without asking. */
  readonly mayHaveReachedServer: boolean;

  constructor(init: ProlificApiErrorInit) {
    super(init.message);
    this.name = 'ProlificApiError';
    this.kind = init.kind;
    this.status = init.status;
    this.title = init.title;
    this.detail = init.detail;
    this.fieldErrors = init.fieldErrors ?? {};
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.code = init.code;
    this.resource = init.resource;
    this.mayHaveReachedServer = init.mayHaveReachedServer;
  }
}

export interface ParsedErrorBody {
  title?: string;
  detail?: string;
  fieldErrors: Record<string, string[]>;
}

// Caps keep a hostile or huge body from flooding a notification.
const MAX_TITLE = 80;
const MAX_MESSAGE = 300;
const MAX_DETAIL = 600;
const MAX_FIELDS = 20;
const MAX_MESSAGES_PER_FIELD = 10;
const MAX_DEPTH = 4;
// DRF's names for errors that belong to no single field; shown without a prefix.
const NON_FIELD_KEYS = new Set(['non_field_errors', '__all__']);

/**
 * Reads an error body in any of the shapes Prolific uses (docs/prolific-api/related.md § 6):
 * nested {"error": {title, detail}}, flat {"detail"} / {"message"}, DRF field maps, or anything
 * else, which is described ("The server answered 502 with an HTML page") rather than copied.
 * Never throws.
 */
export function parseErrorBody(status: number, contentType: string | null, raw: string): ParsedErrorBody {
  try {
    return parseUnsafe(status, contentType ?? '', raw);
  } catch {
    return { detail: l10n.t('The server answered {0} with a body that could not be read.', status), fieldErrors: {} };
  }
}

function parseUnsafe(status: number, contentType: string, raw: string): ParsedErrorBody {
  const text = raw.trim();
  if (text === '') return { detail: l10n.t('The server answered {0} with an empty body.', status), fieldErrors: {} };
  const type = contentType.toLowerCase();
  const looksHtml = type.includes('html') || text.startsWith('<');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    if (looksHtml) return { detail: l10n.t('The server answered {0} with an HTML page.', status), fieldErrors: {} };
    const detail =
      type.includes('json') || /^[[{]/.test(text)
        ? l10n.t('The server answered {0} with malformed JSON.', status)
        : l10n.t('The server answered {0} with a body that is not JSON.', status);
    return { detail, fieldErrors: {} };
  }
  const found = fromJson(json);
  if (found.detail === undefined && Object.keys(found.fieldErrors).length === 0) {
    return { ...found, detail: l10n.t('The server answered {0} with JSON in an unknown format.', status) };
  }
  return found;
}

function fromJson(json: unknown): ParsedErrorBody {
  if (isRecord(json)) {
    // Shape 1: {"error": {status, title, detail}}
    if (isRecord(json.error)) {
      const inner = json.error;
      return { title: titleOf(inner.title), ...describe(inner.detail ?? inner.message) };
    }
    // Shape 2: DRF {"detail": "..."} or the CLI's {"message": "..."}; a top-level error string too.
    for (const key of ['detail', 'message', 'error'] as const) {
      if (json[key] !== undefined && json[key] !== null) return { title: titleOf(json.title), ...describe(json[key]) };
    }
    // DRF serializer errors without a wrapper: {"recipient_id": ["This field is required."]}
    const fieldErrors = fieldsOf(json);
    return { fieldErrors, detail: summarise(fieldErrors) };
  }
  return describe(json);
}

/** `detail` is a string, an array of messages, or a map of field name to messages. */
function describe(value: unknown): { detail?: string; fieldErrors: Record<string, string[]> } {
  if (typeof value === 'string') {
    const detail = clean(value, MAX_DETAIL);
    return { detail: detail || undefined, fieldErrors: {} };
  }
  if (Array.isArray(value)) {
    const messages = messagesOf(value, 0);
    return { detail: messages.length ? clean(messages.join(' '), MAX_DETAIL) : undefined, fieldErrors: {} };
  }
  if (isRecord(value)) {
    const fieldErrors = fieldsOf(value);
    return { detail: summarise(fieldErrors), fieldErrors };
  }
  return { fieldErrors: {} };
}

/** Flattens nested field maps ({"filters": {"0": {"id": [...]}}}) into dotted names. */
function fieldsOf(record: Record<string, unknown>): Record<string, string[]> {
  const entries: [string, string[]][] = [];
  const visit = (value: Record<string, unknown>, prefix: string, depth: number): void => {
    for (const [key, item] of Object.entries(value)) {
      if (entries.length >= MAX_FIELDS) return;
      const name = clean(prefix ? `${prefix}.${key}` : key, MAX_TITLE);
      if (isRecord(item) && depth < MAX_DEPTH) {
        visit(item, name, depth + 1);
        continue;
      }
      const messages = messagesOf(item, depth);
      if (messages.length) entries.push([name, messages]);
    }
  };
  visit(record, '', 0);
  // fromEntries defines own properties, so a field named "__proto__" cannot touch the prototype.
  return Object.fromEntries(entries);
}

function messagesOf(value: unknown, depth: number): string[] {
  if (typeof value === 'string') {
    // Cleaned first: a message of control characters only would otherwise become an empty line.
    const message = clean(value, MAX_MESSAGE);
    return message ? [message] : [];
  }
  if (Array.isArray(value) && depth < MAX_DEPTH) {
    return value.flatMap((item) => messagesOf(item, depth + 1)).slice(0, MAX_MESSAGES_PER_FIELD);
  }
  return [];
}

function summarise(fieldErrors: Record<string, string[]>): string | undefined {
  const parts = Object.entries(fieldErrors).map(([field, messages]) =>
    NON_FIELD_KEYS.has(field) ? messages.join(' ') : `${field}: ${messages.join(' ')}`,
  );
  return parts.length ? clean(parts.join('; '), MAX_DETAIL) : undefined;
}

function titleOf(value: unknown): string | undefined {
  // An empty title would hide the status text the client falls back to ("400 Bad Request").
  return (typeof value === 'string' && clean(value, MAX_TITLE)) || undefined;
}

/** One line, no control characters, capped. */
export function clean(text: string, max: number): string {
  const line = text
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (line.length <= max) return line;
  // Never cut between the two halves of a surrogate pair (an emoji would become "�").
  const cut = /[\uD800-\uDBFF]/.test(line[max - 2]) ? max - 2 : max - 1;
  return `${line.slice(0, cut).trimEnd()}…`;
}

/**
 * Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). Returns whole
 * seconds from `now`, never negative; undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) {
    const seconds = Number(text);
    return Number.isSafeInteger(seconds) ? seconds : undefined;
  }
  // An HTTP date always names the day and month; this keeps "-5" or "1.5" from parsing as a year.
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}
