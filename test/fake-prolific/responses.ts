// Response descriptors and the two error shapes the real API uses. Handlers return descriptors
// instead of writing to the socket, which keeps routes and faults free of node:http details.
import { STATUS_CODES } from 'node:http';

export interface ApiResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialised as JSON with Content-Type application/json. */
  json?: unknown;
  /** Sent verbatim (used by faults); the headers must then say what it is. */
  text?: string;
}

/** `detail` is a message, or per-field lists of messages for validation errors. */
export type ErrorDetail = string | string[] | Record<string, string[]>;

/**
 * The documented `{"error": {...}}` form. No catalogue of error codes is published; 100000 + status*100 + 1
 * reproduces the one real-looking example (140001 for 400) and stays unique per status.
 */
export function nestedError(status: number, detail: ErrorDetail): ApiResponse {
  return {
    status,
    json: {
      error: {
        status,
        error_code: 100000 + status * 100 + 1,
        title: STATUS_CODES[status] ?? 'Error',
        detail,
        additional_information: null,
        traceback: null,
        interactive: null,
      },
    },
  };
}

/** The flat DRF form the real API uses for authentication, routing and not-found errors. */
export function flatError(status: number, detail: string, headers?: Record<string, string>): ApiResponse {
  return { status, json: { detail }, ...(headers ? { headers } : {}) };
}

export const notFound = (): ApiResponse => flatError(404, 'Not found.');

export function methodNotAllowed(method: string, allowed: string[]): ApiResponse {
  return flatError(405, `Method "${method}" not allowed.`, { Allow: allowed.join(', ') });
}
