// A fake of the Prolific API on loopback, for unit, integration and UI tests and for manual runs
// (`npm run fake-api`). Only Node built-ins, so it runs anywhere the tests do.
//   routes.ts     the API endpoints          seed.ts       the sample data
//   faults.ts     injected failures and the rate limit
//   responses.ts  response descriptors and error shapes
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DEFAULT_FAULT_SEED,
  FaultList,
  RateLimiter,
  faultResponse,
  mulberry32,
  parseFaultRule,
  parseRateLimit,
  rateLimitedResponse,
} from './faults';
import { methodNotAllowed, flatError, nestedError, notFound, type ApiResponse, type ErrorDetail } from './responses';
import { receive, somebodyElsesConversation } from './conversations';
import { handleApi, type ApiState } from './routes';
import { createSeed, type SeedData } from './seed';

export interface FakeProlificOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 'fake-token-0123456789abcdef'. */
  token?: string;
  /** The data it serves; default createSeed(). The benchmarks add large studies to it. */
  seed?: SeedData;
  /**
   * The network's round trip: each API request (never /__fake/) is handled after `ms` plus or
   * minus up to `jitterMs` (uniform), drawn from a PRNG seeded with `seed` (default
   * DEFAULT_FAULT_SEED), so the same order of requests gets the same delays. Default none.
   */
  latency?: Latency;
  /** Whether conversations and broadcasts answer (default true); off, they answer 404 (see conversations.ts). */
  conversations?: boolean;
}

export interface Latency {
  ms: number;
  jitterMs?: number;
  seed?: number;
}

export interface RecordedRequest {
  method: string;
  /** Pathname only. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** Parsed JSON, or undefined when the body is empty or not JSON. */
  body: unknown;
  rawBody: string;
  /** Date.now() on arrival. */
  time: number;
  /**
   * What the fake did instead of answering normally: the kind of the injected fault it applied,
   * or 'limit' when the rate limit refused it. Absent for a request answered normally.
   */
  fault?: Fault['kind'] | 'limit';
  /** The injected fault it applied, exactly as injected: proof that the fault a test armed is the one that fired. */
  appliedFault?: Fault;
  /** The API's status for it once handled (also when the answer was then lost); absent while pending or when a fault answered instead. */
  handledStatus?: number;
}

export type Fault =
  /**
   * Any status; JSON body: `body` as given, else the documented nested error form with `detail`
   * (default: a sentence naming the injected status).
   */
  | { kind: 'status'; status: number; body?: unknown; detail?: ErrorDetail; headers?: Record<string, string> }
  /** 429, with Retry-After only when given. */
  | { kind: 'rateLimit'; retryAfterSeconds?: number }
  /** Wait, then answer (and record, and apply) normally. */
  | { kind: 'delay'; ms: number }
  /** Destroy the socket without any response, after reading the body; the request is not processed. */
  | { kind: 'reset' }
  /**
   * Process the request (a message is delivered and shows in sent()), then destroy the socket
   * instead of answering: delivered, but the client cannot know it.
   */
  | { kind: 'resetAfterProcessing' }
  /** Default 200; Content-Type application/json with a body that is not valid JSON. */
  | { kind: 'malformedJson'; status?: number }
  /** A text/html error page, e.g. a proxy's 502. */
  | { kind: 'html'; status: number }
  /** 200 with an empty body. */
  | { kind: 'empty200' };

export interface FaultRule {
  /** Exact pathname, e.g. '/api/v1/messages/'. */
  path: string;
  /** Default: any method. */
  method?: string;
  fault: Fault;
  /** How many times it is applied (matching requests, or those picked by `probability`); default unlimited. */
  times?: number;
  /**
   * From 0 to 1: applies to that fraction of matching requests, picked by a PRNG seeded with
   * `seed`, so the same order of requests gets the same faults. A request the draw spares goes on
   * to the next matching rule. Default: every matching request.
   */
  probability?: number;
  /** Seed for `probability` (any integer); default DEFAULT_FAULT_SEED. */
  seed?: number;
}

/** A server-wide token bucket; requests beyond it get 429 with Retry-After and are not processed. */
export interface RateLimit {
  /** The refill rate. */
  requestsPerSecond: number;
  /** Bucket size: requests that may come at once after a quiet spell. Default one second's worth (at least 1). */
  burst?: number;
  /** Exact pathname it covers; default every API path (never /__fake/). */
  path?: string;
}

export interface SentMessage {
  recipient_id: string;
  body: string;
  study_id: string | null;
  via: 'single' | 'bulk' | 'group' | 'conversation' | 'broadcast';
  /** The conversation it went into, when it was sent into one (a started conversation, a reply in one, a broadcast). */
  conversation_id?: string;
  time: number;
}

export interface FakeProlific {
  /** E.g. 'http://127.0.0.1:41234' (no trailing slash). */
  readonly url: string;
  readonly token: string;
  /** Every API request in arrival order, including faulted ones; never /__fake/ ones. */
  readonly requests: RecordedRequest[];
  /** Messages actually accepted, one entry per recipient (bulk and group sends expand; an ID repeated in a bulk request is there each time). */
  sent(): SentMessage[];
  inject(rule: FaultRule): void;
  clearFaults(): void;
  /**
   * Accepts this token too, as another token of the same researcher, until reset(): a test can
   * then check a token the fake would take and know that a 401 came from an injected fault.
   */
  acceptToken(token: string): void;
  /** Turns conversations and broadcasts on or off (404), until reset(), which restores the option's choice. */
  setConversations(enabled: boolean): void;
  /** A participant's message to the researcher: a reply in a conversation, or in their own thread. */
  receive(from: string, body: string, conversationId?: string): void;
  /** Replaces any earlier limit, with a full bucket. Checked before faults. */
  setRateLimit(limit: RateLimit): void;
  clearRateLimit(): void;
  /** Clears requests, sent messages, faults, the rate limit and accepted tokens; keeps the seed data. */
  reset(): void;
  /** Also destroys open sockets, so it never hangs. */
  close(): Promise<void>;
}

export const DEFAULT_TOKEN = 'fake-token-0123456789abcdef';

/** Bulk sends of 4,000 IDs are ~110 kB; anything near this limit is a client bug. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export async function startFakeProlific(options: FakeProlificOptions = {}): Promise<FakeProlific> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  // Attached in the same tick as 'listening', so no request can arrive before the handler.
  return new FakeProlificServer(
    server,
    url,
    options.token ?? DEFAULT_TOKEN,
    options.seed ?? createSeed(),
    latencyDraw(options.latency),
    options.conversations ?? true,
  );
}

/** The delay of each request in turn, or undefined for none. */
export function latencyDraw(latency: Latency | undefined): (() => number) | undefined {
  if (!latency) return undefined;
  const { ms, jitterMs = 0, seed = DEFAULT_FAULT_SEED } = latency;
  if (!(ms >= 0 && jitterMs >= 0 && jitterMs <= ms))
    throw new RangeError('latency: ms and jitterMs must be numbers with 0 <= jitterMs <= ms');
  const random = mulberry32(seed);
  return () => ms + (2 * random() - 1) * jitterMs;
}

class FakeProlificServer implements FakeProlific {
  readonly requests: RecordedRequest[] = [];
  private readonly sentMessages: SentMessage[] = [];
  private readonly faults = new FaultList();
  private limiter: RateLimiter | undefined;
  private readonly state: ApiState;
  /** Callbacks that end pending `delay` faults early, so close() does not wait for them. */
  private readonly pendingDelays = new Set<() => void>();
  private closing: Promise<void> | undefined;

  constructor(
    private readonly server: Server,
    readonly url: string,
    readonly token: string,
    private readonly seed: SeedData,
    private readonly latency: (() => number) | undefined,
    private readonly conversationsByDefault: boolean,
  ) {
    this.state = {
      seed: this.seed,
      messages: [...this.seed.messages],
      sent: this.sentMessages,
      token,
      otherTokens: new Set(),
      baseUrl: url,
      conversationsEnabled: conversationsByDefault,
      conversations: [somebodyElsesConversation()],
      broadcasts: [],
    };
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.onRequest(req, res).catch((error: unknown) => {
        // A client that hangs up mid-body is routine in fault tests; anything else is a bug here.
        if (req.destroyed) return;
        console.error('[fake-prolific] handler failed:', error);
        send(res, nestedError(500, 'A server error occurred.'));
      });
    });
  }

  sent(): SentMessage[] {
    return this.sentMessages.map((m) => ({ ...m }));
  }

  inject(rule: FaultRule): void {
    this.faults.add(rule);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  acceptToken(token: string): void {
    if (typeof token !== 'string' || token.trim() === '') throw new TypeError('token must be a non-empty string');
    this.state.otherTokens.add(token);
  }

  setConversations(enabled: boolean): void {
    this.state.conversationsEnabled = enabled;
  }

  receive(from: string, body: string, conversationId?: string): void {
    receive(this.state, from, body, conversationId);
  }

  setRateLimit(limit: RateLimit): void {
    this.limiter = new RateLimiter(limit);
  }

  clearRateLimit(): void {
    this.limiter = undefined;
  }

  reset(): void {
    // Emptied in place: callers may hold on to `requests`.
    this.requests.length = 0;
    this.sentMessages.length = 0;
    this.faults.clear();
    this.limiter = undefined;
    this.state.otherTokens.clear();
    // Sent messages also left the inbox store; restore it to the seed.
    this.state.messages = [...this.seed.messages];
    this.state.conversationsEnabled = this.conversationsByDefault;
    this.state.conversations = [somebodyElsesConversation()];
    this.state.broadcasts = [];
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const end of this.pendingDelays) end();
      this.server.close(() => resolve());
      // Keep-alive and in-flight connections would otherwise keep close() waiting.
      this.server.closeAllConnections();
    });
    return this.closing;
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const time = Date.now();
    const rawBody = await readBody(req);
    if (rawBody === undefined) return send(res, nestedError(413, `Request body larger than ${MAX_BODY_BYTES} bytes.`));
    let url: URL;
    try {
      // Concatenated rather than resolved, so a path like "//x" is not taken for a host.
      url = new URL(`http://fake-prolific${req.url ?? '/'}`);
    } catch {
      return send(res, flatError(400, 'Bad request URL.'));
    }
    const method = (req.method ?? 'GET').toUpperCase();
    if (url.pathname.startsWith('/__fake/')) return send(res, this.control(method, url.pathname, rawBody));

    const query = Object.fromEntries(url.searchParams);
    const headers = flattenHeaders(req.headers);
    const recorded: RecordedRequest = { method, path: url.pathname, query, headers, body: parseJson(rawBody), rawBody, time };
    this.requests.push(recorded);
    if (this.latency) {
      await this.wait(this.latency());
      if (this.closing) return;
    }

    // The rate limit and then the faults come before authentication and routing: they stand for
    // what sits in front of the app. A request the limit refuses takes no part in fault draws.
    const retryAfter = this.limiter?.take(url.pathname);
    if (retryAfter !== undefined) {
      recorded.fault = 'limit';
      return send(res, rateLimitedResponse(retryAfter));
    }
    const fault = this.faults.take(method, url.pathname);
    if (fault) {
      recorded.fault = fault.kind;
      recorded.appliedFault = fault;
    }
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'delay') {
      await this.wait(fault.ms);
      if (this.closing) return;
    } else if (fault && fault.kind !== 'resetAfterProcessing') {
      return send(res, faultResponse(fault));
    }
    const response = handleApi(this.state, { method, path: url.pathname, query, headers, rawBody });
    recorded.handledStatus = response.status;
    if (fault?.kind === 'resetAfterProcessing') {
      // Processed (and recorded in sent()), but the answer never leaves.
      req.socket.destroy();
      return;
    }
    send(res, response);
  }

  private wait(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const end = (): void => {
        clearTimeout(timer);
        this.pendingDelays.delete(end);
        resolve();
      };
      const timer = setTimeout(end, ms);
      this.pendingDelays.add(end);
    });
  }

  /** /__fake/ endpoints let tests in another process (VS Code, UI tests) drive the fake. */
  private control(method: string, path: string, rawBody: string): ApiResponse {
    const allow = (methods: string[]): ApiResponse | undefined =>
      methods.includes(method) ? undefined : methodNotAllowed(method, methods);
    switch (path) {
      case '/__fake/requests':
        return allow(['GET']) ?? { status: 200, json: this.requests };
      case '/__fake/sent':
        return allow(['GET']) ?? { status: 200, json: this.sent() };
      case '/__fake/faults': {
        const refused = allow(['GET', 'POST', 'DELETE']);
        if (refused) return refused;
        if (method === 'GET') return { status: 200, json: this.faults.list() };
        if (method === 'DELETE') {
          this.clearFaults();
          return { status: 204 };
        }
        try {
          this.inject(parseFaultRule(JSON.parse(rawBody)));
        } catch (error) {
          return flatError(400, `Invalid fault rule: ${(error as Error).message}`);
        }
        return { status: 204 };
      }
      case '/__fake/limits': {
        const refused = allow(['GET', 'POST', 'DELETE']);
        if (refused) return refused;
        if (method === 'GET') return { status: 200, json: this.limiter?.limit ?? null };
        if (method === 'DELETE') {
          this.clearRateLimit();
          return { status: 204 };
        }
        try {
          this.setRateLimit(parseRateLimit(JSON.parse(rawBody)));
        } catch (error) {
          return flatError(400, `Invalid rate limit: ${(error as Error).message}`);
        }
        return { status: 204 };
      }
      case '/__fake/tokens': {
        if (method !== 'POST') return methodNotAllowed(method, ['POST']);
        try {
          this.acceptToken((JSON.parse(rawBody) as { token: string }).token);
        } catch (error) {
          return flatError(400, `Invalid token: ${(error as Error).message}`);
        }
        return { status: 204 };
      }
      case '/__fake/conversations': {
        if (method !== 'POST') return methodNotAllowed(method, ['POST']);
        const { enabled } = (parseJson(rawBody) ?? {}) as { enabled?: unknown };
        if (typeof enabled !== 'boolean') return flatError(400, 'Expected {"enabled": true or false}.');
        this.setConversations(enabled);
        return { status: 204 };
      }
      case '/__fake/replies': {
        if (method !== 'POST') return methodNotAllowed(method, ['POST']);
        try {
          const { from, body, conversation_id } = parseJson(rawBody) as { from: string; body: string; conversation_id?: string };
          this.receive(from, body, conversation_id);
        } catch (error) {
          return flatError(400, `Invalid reply: ${(error as Error).message}`);
        }
        return { status: 204 };
      }
      case '/__fake/reset':
        if (method !== 'POST') return methodNotAllowed(method, ['POST']);
        this.reset();
        return { status: 204 };
      default:
        return notFound();
    }
  }
}

/** The body as UTF-8, or undefined when it exceeds MAX_BODY_BYTES (the rest is drained and dropped). */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(raw: string): unknown {
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function send(res: ServerResponse, response: ApiResponse): void {
  // The client may be gone (reset fault, close()), or a failing handler may already have answered.
  if (res.headersSent || res.destroyed) return;
  let payload = '';
  if (response.json !== undefined) {
    payload = JSON.stringify(response.json);
    res.setHeader('Content-Type', 'application/json');
  } else if (response.text !== undefined) {
    payload = response.text;
  }
  // setHeader is case-insensitive, so a fault's own headers replace the defaults.
  for (const [name, value] of Object.entries(response.headers ?? {})) res.setHeader(name, value);
  const bodyless = response.status === 204 || response.status === 205 || response.status === 304;
  if (!bodyless) res.setHeader('Content-Length', Buffer.byteLength(payload));
  res.writeHead(response.status);
  res.end(bodyless ? undefined : payload);
}
