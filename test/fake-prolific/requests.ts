// What every fake endpoint shares: the request as a handler sees it, the answers with a body, and
// reading a JSON body with per-field errors in the shape of Django REST framework's serializers.
import type { ApiRequest, ApiState } from './routes';
import type { ApiResponse } from './responses';
import { nestedError } from './responses';

export interface Ctx {
  state: ApiState;
  req: ApiRequest;
  params: string[];
}

export type Handler = (ctx: Ctx) => ApiResponse;
export type Body = Record<string, unknown>;

export const ID_PATTERN = /^[0-9a-f]{24}$/;

export const ok = (json: unknown): ApiResponse => ({ status: 200, json });
export const created = (json: unknown): ApiResponse => ({ status: 201, json });
export const noContent = (): ApiResponse => ({ status: 204 });

export function readObject(req: ApiRequest): { data: Body } | { error: ApiResponse } {
  // An empty body reaches the serializer as {} in DRF, so it yields "required" errors, not a parse error.
  if (req.rawBody.trim() === '') return { data: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(req.rawBody);
  } catch (e) {
    return { error: nestedError(400, `JSON parse error - ${(e as Error).message}`) };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    const got = Array.isArray(parsed) ? 'list' : parsed === null ? 'null' : typeof parsed;
    return { error: nestedError(400, { non_field_errors: [`Invalid data. Expected a dictionary, but got ${got}.`] }) };
  }
  return { data: parsed as Body };
}

/** Collects per-field messages in the shape of a DRF serializer error. */
export class Fields {
  readonly errors: Record<string, string[]> = {};
  constructor(private readonly data: Body) {}

  get valid(): boolean {
    return Object.keys(this.errors).length === 0;
  }

  /** Returns undefined so validators can `return this.fail(...)`. */
  fail(field: string, message: string): undefined {
    (this.errors[field] ??= []).push(message);
    return undefined;
  }

  /** Whether the field was given (null counts as not given). */
  has(field: string): boolean {
    return this.data[field] !== undefined && this.data[field] !== null;
  }

  /** A required string that is not blank once trimmed. */
  text(field: string): string | undefined {
    const value = this.data[field];
    if (value === undefined) return this.fail(field, 'This field is required.');
    if (value === null) return this.fail(field, 'This field may not be null.');
    if (typeof value !== 'string') return this.fail(field, 'Not a valid string.');
    if (value.trim() === '') return this.fail(field, 'This field may not be blank.');
    return value;
  }

  /** A 24-hex ID; when optional, absent or null gives null. */
  id(field: string, optional = false): string | null | undefined {
    if (optional && (this.data[field] === undefined || this.data[field] === null)) return null;
    const value = this.text(field);
    if (value === undefined) return undefined;
    if (!ID_PATTERN.test(value)) return this.fail(field, `"${value}" is not a valid ID.`);
    return value;
  }

  idList(field: string): string[] | undefined {
    const value = this.data[field];
    if (value === undefined) return this.fail(field, 'This field is required.');
    if (value === null) return this.fail(field, 'This field may not be null.');
    if (!Array.isArray(value)) return this.fail(field, `Expected a list of items but got type "${typeof value}".`);
    if (value.length === 0) return this.fail(field, 'This list may not be empty.');
    const before = this.errors[field]?.length ?? 0;
    value.forEach((item: unknown, i) => {
      if (typeof item !== 'string') this.fail(field, `Item ${i}: not a valid string.`);
      else if (!ID_PATTERN.test(item)) this.fail(field, `Item ${i}: "${item}" is not a valid ID.`);
    });
    return (this.errors[field]?.length ?? 0) > before ? undefined : (value as string[]);
  }
}
