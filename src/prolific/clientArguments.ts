// What every client method checks before a request: a path segment is only an ID, and a body
// posts only the documented fields. Pure: no vscode, no network.
import type * as z from 'zod/mini';
import { describeIssues } from './http';

/** A path segment such as a study ID; "." or ".." would make the URL point at another endpoint. */
export const PATH_SEGMENT = /^[A-Za-z0-9_-]+$/;

/** Parsing also drops extra properties, so only documented fields are posted. */
export function checkArgument<T>(method: string, schema: z.ZodMiniType<T>, value: T): T {
  const checked = schema.safeParse(value);
  if (!checked.success) throw new TypeError(`${method} was called with an invalid message: ${describeIssues(checked.error)}`);
  return checked.data;
}
