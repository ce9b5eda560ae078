// The HTTP exchange under the API client: one request per call under one deadline, cancellable,
// never retried (a POST that timed out may still have sent the message), never following a
// redirect (the token must not travel to another host), its body decoded against a schema, and
// every failure turned into a ProlificApiError whose message is a sentence a user can read and
// never contains the token. It knows no endpoint: client.ts names the paths.
import { l10n } from '../shared/l10n';
import fetch, { type Response } from 'node-fetch';
import * as z from 'zod/mini';
import { ProlificApiError, clean, type ApiResource, type ProlificApiErrorInit } from './errors';
import { cancelled, httpError, invalid, networkError, redirectError, timeoutError } from './httpErrors';

export interface RequestLogEntry {
  method: string;
  /** Path of the request URL, without scheme or host. Never the token. */
  path: string;
  status?: number;
  durationMs: number;
  error?: string;
  /** A request that succeeded but lost something on the way, e.g. messages that could not be read. */
  warning?: string;
}

export interface HttpOptions {
  /** As returned by parseBaseUrl: origin plus optional path prefix. */
  baseUrl: URL;
  token: string;
  timeoutMs: number;
  userAgent: string;
  log?: (entry: RequestLogEntry) => void;
}

export type Method = 'GET' | 'POST';

/** One request to make. */
export interface Call {
  method: Method;
  url: URL;
  /** The API path without query, for error messages. */
  label: string;
  body?: unknown;
  /** What the path or body names by ID; set on the error, so a 404 can say what is missing. */
  resource?: ApiResource;
  signal?: AbortSignal;
}

/** Where a page says the next one is (see Page in schemas.ts). */
export interface PageLinks {
  _links?: { next?: { href?: string | null } | null } | null;
  next?: string | null;
}

/**
 * A list longer than this is taken for a server bug: 1000 pages of 20 is 20,000 submissions. An
 * error beats a truncated list, which would silently leave participants out of a message.
 */
const MAX_PAGES = 1000;

/** Requests to one base URL with one token. */
export class HttpExchange {
  private readonly origin: string;
  private readonly prefix: string;

  constructor(private readonly options: HttpOptions) {
    // origin drops any user:pass@, query and hash; the prefix keeps a proxy path.
    this.origin = options.baseUrl.origin;
    this.prefix = options.baseUrl.pathname.replace(/\/+$/, '');
  }

  /** A request to `path` (an API path without query) on the base URL. */
  call(method: Method, path: string, extra: Omit<Call, 'method' | 'url' | 'label'> & { query?: URLSearchParams } = {}): Call {
    const { query, ...rest } = extra;
    const url = new URL(`${this.origin}${this.prefix}${path}`);
    if (query?.size) url.search = query.toString();
    return { method, url, label: path, ...rest };
  }

  /**
   * Reads page after page (sequentially, as Prolific asks) until the next link is null. The next
   * link comes from the server, so it is followed only on the base URL's origin: the token is
   * never sent anywhere else. A repeated link or too many pages is an error, not a short list.
   */
  async readPages<P extends PageLinks, T>(
    first: Call,
    schema: z.ZodMiniType<P>,
    itemsOf: (page: P) => T[],
    warningOf?: (page: P) => string | undefined,
  ): Promise<T[]> {
    const items: T[] = [];
    const seen = new Set<string>();
    let call: Call | undefined = first;
    for (let pages = 1; call !== undefined; pages++) {
      seen.add(call.url.href);
      const page: P = await this.perform(call, schema, warningOf);
      items.push(...itemsOf(page));
      // An empty string is read as "no next page", like null.
      const next: string | undefined = page._links?.next?.href || page.next || undefined;
      call = next === undefined ? undefined : { ...call, url: this.nextPage(next, call, seen, pages) };
    }
    return items;
  }

  private nextPage(href: string, current: Call, seen: Set<string>, pages: number): URL {
    const answer = current.label;
    let next: URL;
    try {
      next = new URL(href, current.url);
    } catch {
      throw this.redact(invalid(l10n.t("Prolific's answer to GET {0} links to a next page that is not a valid address.", answer)));
    }
    if (next.origin !== this.origin) {
      // Only the origin is named: the rest of a foreign link is the server's text, not ours to show.
      const other = next.origin === 'null' ? l10n.t('an address that is not a web server') : clean(next.origin, 200);
      throw this.redact(
        invalid(
          l10n.t(
            "Prolific's answer to GET {0} links its next page to {1}, not {2}; it was not followed, so the API token was not sent there.",
            answer,
            other,
            this.origin,
          ),
        ),
      );
    }
    next.username = '';
    next.password = '';
    next.hash = '';
    if (seen.has(next.href))
      throw invalid(
        l10n.t("Prolific's answer to GET {0} links back to a page already read, so the list could not be read to the end.", answer),
      );
    if (pages >= MAX_PAGES)
      throw invalid(l10n.t("Prolific's answer to GET {0} has more than {1} pages; reading stopped there.", answer, MAX_PAGES));
    return next;
  }

  /**
   * One request, logged. With a schema the body is read and checked; without one any 2xx
   * resolves and the body is not read.
   * @param warningOf For the log: what a successful answer lost on the way, if anything.
   */
  perform<T>(call: Call, schema: z.ZodMiniType<T>, warningOf?: (result: T) => string | undefined): Promise<T>;
  perform(call: Call, schema: undefined): Promise<void>;
  async perform<T>(call: Call, schema: z.ZodMiniType<T> | undefined, warningOf?: (result: T) => string | undefined): Promise<T | void> {
    const { method, url } = call;
    const started = performance.now();
    let status: number | undefined;
    try {
      const response = await this.exchange(url, method, call.body, schema !== undefined, call.signal);
      status = response.status;
      if (schema === undefined) {
        this.emit({ method, path: url.pathname, status, durationMs: performance.now() - started });
        return;
      }
      const result = decode(response.text, schema, method, call.label, status);
      const warning = warningOf?.(result);
      this.emit({ method, path: url.pathname, status, durationMs: performance.now() - started, ...(warning ? { warning } : {}) });
      return result;
    } catch (error) {
      const failure = this.redact(error, call.resource);
      this.emit({
        method,
        path: url.pathname,
        status: status ?? failure.status,
        durationMs: performance.now() - started,
        error: failure.message,
      });
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
    const deadline = new Deadline(this.options.timeoutMs, signal);

    // From here on a timeout or cancellation cannot prove the request was not sent, so both
    // report mayHaveReachedServer; only the connection errors in NEVER_SENT can.
    const classify = (error: unknown): ProlificApiError => {
      if (error instanceof ProlificApiError) return error;
      if (deadline.reason === 'timeout') return timeoutError(this.options.timeoutMs);
      if (deadline.reason === 'cancelled') return cancelled(true);
      return networkError(error, this.origin);
    };

    try {
      let response: Response;
      try {
        response = await fetch(url.href, {
          method,
          headers: this.headers(body !== undefined),
          body: body === undefined ? undefined : JSON.stringify(body),
          redirect: 'manual',
          signal: deadline.signal,
        });
      } catch (error) {
        throw classify(error);
      }
      return await this.readAnswer(response, wantBody, classify);
    } finally {
      deadline.dispose();
    }
  }

  /** The status and (when wanted) the body of a 2xx; any other answer is thrown as a ProlificApiError. */
  private async readAnswer(
    response: Response,
    wantBody: boolean,
    classify: (error: unknown) => ProlificApiError,
  ): Promise<{ status: number; text: string }> {
    if (response.status >= 300 && response.status < 400) {
      discard(response);
      throw redirectError(response, this.origin);
    }
    if (response.status < 200 || response.status >= 400) {
      // The status is the answer; a body lost to a reset or the deadline only costs detail.
      const raw = await response.text().catch(() => '');
      throw httpError(response, raw);
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

  /** Last line of defence: a server echoing the token back (or any surprise) cannot leak it. */
  private redact(error: unknown, resource?: ApiResource): ProlificApiError {
    const source = error instanceof ProlificApiError ? error : networkError(error, this.origin);
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
      resource: source.resource ?? resource,
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

/**
 * The request's deadline and the caller's cancellation, on one signal for fetch. `reason` says
 * which fired first, so a failure can be told apart from either.
 */
class Deadline {
  reason: 'timeout' | 'cancelled' | undefined;
  private readonly controller = new AbortController();
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly onCallerAbort = () => this.abort('cancelled');

  constructor(
    timeoutMs: number,
    private readonly caller: AbortSignal | undefined,
  ) {
    this.timer = setTimeout(() => this.abort('timeout'), timeoutMs);
    caller?.addEventListener('abort', this.onCallerAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.caller?.removeEventListener('abort', this.onCallerAbort);
  }

  private abort(why: 'timeout' | 'cancelled'): void {
    this.reason ??= why;
    this.controller.abort();
  }
}

function decode<T>(text: string, schema: z.ZodMiniType<T>, method: Method, path: string, status: number): T {
  const where = `${method} ${path}`;
  if (text.trim() === '') {
    throw invalid(l10n.t('Prolific answered {0} with an empty body to {1}, where data was expected.', status, where));
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalid(l10n.t('Prolific answered {0} to {1} with a body that is not valid JSON.', status, where));
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    throw invalid(l10n.t("Prolific's answer to {0} is not in the expected format ({1}).", where, describeIssues(result.error)));
  }
  return result.data;
}

/** zod/mini carries no English messages, so issues are worded here: "results.0.name: expected string". */
export function describeIssues(error: z.core.$ZodError): string {
  const parts = error.issues.slice(0, 3).map((issue) => {
    const where = issue.path.length ? issue.path.map(String).join('.') : 'the answer';
    // Custom checks (see Message in schemas.ts) carry their own words.
    const what =
      issue.code === 'invalid_type'
        ? `expected ${issue.expected}`
        : issue.code === 'custom' && issue.message
          ? issue.message
          : issue.code.replace(/_/g, ' ');
    return `${where}: ${what}`;
  });
  const more = error.issues.length > 3 ? ` and ${error.issues.length - 3} more` : '';
  return clean(parts.join('; ') + more, 300);
}

/** Frees the connection without waiting for (or trusting) a body nobody reads. */
function discard(response: Response): void {
  response.body?.resume();
}
