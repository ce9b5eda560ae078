// The Prolific API client. It knows nothing of VS Code: it sends one request per call, never
// retries (a POST that timed out may still have sent the message), never follows redirects
// (the token must not travel to another host), and turns every failure into a
// ProlificApiError whose message is a sentence a user can read and never contains the token.
import fetch, { type Response } from 'node-fetch';
import { STATUS_CODES } from 'node:http';
import * as z from 'zod/mini';
import { ProlificApiError, clean, parseErrorBody, parseRetryAfter, type ProlificApiErrorInit } from './errors';
import { SendMessageRequest, StudiesList, User, type Study } from './schemas';

export interface RequestLogEntry {
  method: string;
  /** Path of the request URL, without scheme or host. Never the token. */
  path: string;
  status?: number;
  durationMs: number;
  error?: string;
}

export interface ProlificClientOptions {
  /** As returned by parseBaseUrl: origin plus optional path prefix. */
  baseUrl: URL;
  token: string;
  timeoutMs: number;
  userAgent: string;
  log?: (entry: RequestLogEntry) => void;
}

type Method = 'GET' | 'POST';

/** Connection failures that prove the request was never sent. */
const NEVER_SENT: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  // TLS failed during the handshake, before any HTTP bytes were written.
  CERT_HAS_EXPIRED: 'the server certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'the server certificate is not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the server certificate is not trusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the server certificate is not trusted',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the server certificate is for another host',
};

export class ProlificClient {
  private readonly origin: string;
  private readonly prefix: string;

  constructor(private readonly options: ProlificClientOptions) {
    // origin drops any user:pass@, query and hash; the prefix keeps a proxy path.
    this.origin = options.baseUrl.origin;
    this.prefix = options.baseUrl.pathname.replace(/\/+$/, '');
  }

  async getMe(signal?: AbortSignal): Promise<User> {
    return this.request('GET', '/api/v1/users/me/', undefined, User, signal);
  }

  async listStudies(signal?: AbortSignal): Promise<Study[]> {
    return (await this.request('GET', '/api/v1/studies/', undefined, StudiesList, signal)).results;
  }

  /** Resolves on any 2xx (the API answers 204); the body is not read. */
  async sendMessage(message: SendMessageRequest, signal?: AbortSignal): Promise<void> {
    // Parsing also drops extra properties, so only the three documented fields are posted.
    const checked = SendMessageRequest.safeParse(message);
    if (!checked.success) throw new TypeError(`sendMessage was called with an invalid message: ${describeIssues(checked.error)}`);
    await this.request('POST', '/api/v1/messages/', checked.data, undefined, signal);
  }

  private request<T>(method: Method, path: string, body: unknown, schema: z.ZodMiniType<T>, signal?: AbortSignal): Promise<T>;
  private request(method: Method, path: string, body: unknown, schema: undefined, signal?: AbortSignal): Promise<void>;
  private async request<T>(
    method: Method,
    path: string,
    body: unknown,
    schema: z.ZodMiniType<T> | undefined,
    signal?: AbortSignal,
  ): Promise<T | void> {
    const url = new URL(`${this.origin}${this.prefix}${path}`);
    const started = performance.now();
    let status: number | undefined;
    try {
      const response = await this.exchange(url, method, body, schema !== undefined, signal);
      status = response.status;
      const result = schema === undefined ? undefined : this.decode(response.text, schema, method, path, status);
      this.emit({ method, path: url.pathname, status, durationMs: performance.now() - started });
      return result;
    } catch (error) {
      const failure = this.redact(error);
      this.emit({ method, path: url.pathname, status: status ?? failure.status, durationMs: performance.now() - started, error: failure.message });
      throw failure;
    }
  }

  /**
   * Sends the request and reads the body (when wanted) under one deadline. Returns only for
   * 2xx; every other outcome throws a ProlificApiError.
   */
  private async exchange(
    url: URL,
    method: Method,
    body: unknown,
    wantBody: boolean,
    signal: AbortSignal | undefined,
  ): Promise<{ status: number; text: string }> {
    // Nothing has been sent yet, so this cancellation provably had no effect.
    if (signal?.aborted) throw cancelled(false);

    const controller = new AbortController();
    let reason: 'timeout' | 'cancelled' | undefined;
    const abort = (why: 'timeout' | 'cancelled') => {
      reason ??= why;
      controller.abort();
    };
    const timer = setTimeout(() => abort('timeout'), this.options.timeoutMs);
    const onCallerAbort = () => abort('cancelled');
    signal?.addEventListener('abort', onCallerAbort, { once: true });

    // From here on a timeout or cancellation cannot prove the request was not sent, so both
    // report mayHaveReachedServer; only the connection errors in NEVER_SENT can.
    const classify = (error: unknown): ProlificApiError => {
      if (error instanceof ProlificApiError) return error;
      if (reason === 'timeout') return this.timeout();
      if (reason === 'cancelled') return cancelled(true);
      return this.networkError(error);
    };

    try {
      let response: Response;
      try {
        response = await fetch(url.href, {
          method,
          headers: this.headers(body !== undefined),
          body: body === undefined ? undefined : JSON.stringify(body),
          redirect: 'manual',
          signal: controller.signal,
        });
      } catch (error) {
        throw classify(error);
      }
      if (response.status >= 300 && response.status < 400) {
        discard(response);
        throw this.redirectError(response);
      }
      if (response.status < 200 || response.status >= 400) {
        // The status is the answer; a body lost to a reset or the deadline only costs detail.
        const raw = await response.text().catch(() => '');
        throw this.httpError(response, raw);
      }
      if (!wantBody) {
        discard(response);
        return { status: response.status, text: '' };
      }
      try {
        return { status: response.status, text: await response.text() };
      } catch (error) {
        throw classify(error);
      }
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  private headers(hasBody: boolean): Record<string, string> {
    const headers: Record<string, string> = {
      Authorization: `Token ${this.options.token}`,
      Accept: 'application/json',
      'User-Agent': this.options.userAgent,
    };
    if (hasBody) headers['Content-Type'] = 'application/json';
    return headers;
  }

  private decode<T>(text: string, schema: z.ZodMiniType<T>, method: Method, path: string, status: number): T {
    const where = `${method} ${path}`;
    if (text.trim() === '') {
      throw invalid(`Prolific answered ${status} with an empty body to ${where}, where data was expected.`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw invalid(`Prolific answered ${status} to ${where} with a body that is not valid JSON.`);
    }
    const result = schema.safeParse(json);
    if (!result.success) {
      throw invalid(`Prolific's answer to ${where} is not in the expected format (${describeIssues(result.error)}).`);
    }
    return result.data;
  }

  private httpError(response: Response, raw: string): ProlificApiError {
    const status = response.status;
    const parsed = parseErrorBody(status, response.headers.get('content-type'), raw);
    const title = parsed.title ?? STATUS_CODES[status] ?? (clean(response.statusText, 80) || 'Error');
    const label = `${status} ${title}`;
    const detail = parsed.detail ? `: ${sentence(parsed.detail)}` : '.';
    const common = { kind: 'http' as const, status, title, detail: parsed.detail, fieldErrors: parsed.fieldErrors };
    if (status === 429) {
      const retryAfterSeconds = parseRetryAfter(response.headers.get('retry-after'));
      const wait = retryAfterSeconds === undefined ? 'Wait a little' : `Wait ${plural(retryAfterSeconds, 'second')}`;
      return new ProlificApiError({
        ...common,
        retryAfterSeconds,
        mayHaveReachedServer: false,
        message: `Prolific is receiving too many requests (${label})${detail} ${wait} before trying again.`,
      });
    }
    if (status >= 500) {
      // A 5xx may come after the server acted (e.g. a gateway timing out in front of it).
      return new ProlificApiError({ ...common, mayHaveReachedServer: true, message: `Prolific had a server error (${label})${detail}` });
    }
    // A 4xx is a refusal: the request was not carried out.
    return new ProlificApiError({ ...common, mayHaveReachedServer: false, message: `Prolific rejected the request (${label})${detail}` });
  }

  private redirectError(response: Response): ProlificApiError {
    const status = response.status;
    let target = '';
    try {
      const location = response.headers.get('location');
      if (location) target = ` to ${clean(new URL(location, this.origin).origin, 200)}`;
    } catch {
      // An unreadable Location only loses detail.
    }
    return new ProlificApiError({
      kind: 'redirect',
      status,
      // A 303 after a POST means "done, look elsewhere": the request may have been carried out.
      mayHaveReachedServer: true,
      message: `The server at ${this.origin} answered with a redirect (${status})${target}; it was not followed, so the API token was not sent there.`,
    });
  }

  private timeout(): ProlificApiError {
    const seconds = Math.round(this.options.timeoutMs / 100) / 10;
    return new ProlificApiError({
      kind: 'timeout',
      mayHaveReachedServer: true,
      message: `Prolific did not answer within ${plural(seconds, 'second')}.`,
    });
  }

  private networkError(error: unknown): ProlificApiError {
    const code = errorCode(error);
    const where = this.origin;
    if (code && NEVER_SENT[code]) {
      return new ProlificApiError({ kind: 'network', code, mayHaveReachedServer: false, message: `Could not connect to ${where} (${NEVER_SENT[code]}).` });
    }
    if (code?.startsWith('HPE_')) {
      return new ProlificApiError({ kind: 'invalidResponse', code, mayHaveReachedServer: true, message: `The server at ${where} sent an answer that is not valid HTTP.` });
    }
    const reset = code === 'ECONNRESET' || code === 'EPIPE' || code === 'ERR_STREAM_PREMATURE_CLOSE';
    const message = reset
      ? `The connection to ${where} was closed before Prolific's answer arrived (connection reset).`
      : code === 'ETIMEDOUT'
        ? `The connection to ${where} timed out.`
        : `Could not reach ${where}${code ? ` (${clean(code, 40)})` : ''}.`;
    return new ProlificApiError({ kind: 'network', code, mayHaveReachedServer: true, message });
  }

  /** Last line of defence: a server echoing the token back (or any surprise) cannot leak it. */
  private redact(error: unknown): ProlificApiError {
    const source = error instanceof ProlificApiError ? error : this.networkError(error);
    const token = this.options.token;
    // A token of a few characters would shred ordinary words; real tokens are long.
    if (token.trim().length < 4) return source;
    const scrub = (text: string) => text.split(token).join('[redacted]');
    const init: ProlificApiErrorInit = {
      kind: source.kind,
      message: scrub(source.message),
      mayHaveReachedServer: source.mayHaveReachedServer,
      status: source.status,
      title: source.title === undefined ? undefined : scrub(source.title),
      detail: source.detail === undefined ? undefined : scrub(source.detail),
      fieldErrors: Object.fromEntries(Object.entries(source.fieldErrors).map(([k, v]) => [scrub(k), v.map(scrub)])),
      retryAfterSeconds: source.retryAfterSeconds,
      code: source.code,
    };
    return new ProlificApiError(init);
  }

  private emit(entry: RequestLogEntry): void {
    try {
      this.options.log?.(entry);
    } catch {
      // A broken logger must not change the outcome of a request.
    }
  }
}

function cancelled(mayHaveReachedServer: boolean): ProlificApiError {
  return new ProlificApiError({ kind: 'cancelled', mayHaveReachedServer, message: 'The request to Prolific was cancelled.' });
}

function invalid(message: string): ProlificApiError {
  return new ProlificApiError({ kind: 'invalidResponse', mayHaveReachedServer: true, message });
}

/** node-fetch puts the system error code on FetchError.code (or .errno); Node on .code. */
function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, errno } = error as { code?: unknown; errno?: unknown };
  if (typeof code === 'string' && code) return code;
  if (typeof errno === 'string' && errno) return errno;
  return undefined;
}

/** Frees the connection without waiting for (or trusting) a body nobody reads. */
function discard(response: Response): void {
  response.body?.resume();
}

/** zod/mini carries no English messages, so issues are worded here: "results.0.name: expected string". */
function describeIssues(error: z.core.$ZodError): string {
  const parts = error.issues.slice(0, 3).map((issue) => {
    const where = issue.path.length ? issue.path.map(String).join('.') : 'the answer';
    const what = issue.code === 'invalid_type' ? `expected ${issue.expected}` : issue.code.replace(/_/g, ' ');
    return `${where}: ${what}`;
  });
  const more = error.issues.length > 3 ? ` and ${error.issues.length - 3} more` : '';
  return clean(parts.join('; ') + more, 300);
}

function sentence(text: string): string {
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}
