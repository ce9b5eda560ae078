// Fault rules: which requests get a broken answer, and what that answer looks like; and the
// server-wide rate limit (a token bucket) that answers 429 to requests beyond it.
import { STATUS_CODES } from 'node:http';
import type { Fault, FaultRule, RateLimit } from './server';
import { nestedError, type ApiResponse, type ErrorDetail } from './responses';

interface ActiveRule {
  rule: FaultRule;
  /** Undefined means unlimited. */
  remaining: number | undefined;
  /** Only for rules with a probability: decides, request by request, whether the rule applies. */
  random: (() => number) | undefined;
}

/** The seed of a probabilistic rule that names none, so an unseeded rule is reproducible too. */
export const DEFAULT_FAULT_SEED = 1;

export class FaultList {
  private rules: ActiveRule[] = [];

  add(rule: FaultRule): void {
    const valid = parseFaultRule(rule);
    const random = valid.probability === undefined ? undefined : mulberry32(valid.seed ?? DEFAULT_FAULT_SEED);
    this.rules.push({ rule: valid, remaining: valid.times, random });
  }

  clear(): void {
    this.rules = [];
  }

  /**
   * The first matching rule that applies wins; applying it counts against its `times`. A rule
   * with a probability draws once for every matching request that reaches it: when the draw
   * says no, the request goes on to the next matching rule (so several random rules can share a
   * path) and its `times` is untouched, i.e. `times` counts faults actually applied.
   */
  take(method: string, path: string): Fault | undefined {
    for (let index = 0; index < this.rules.length; index++) {
      const active = this.rules[index];
      const { rule } = active;
      if (rule.path !== path || (rule.method !== undefined && rule.method.toUpperCase() !== method.toUpperCase())) continue;
      if (active.random && rule.probability !== undefined && !(active.random() < rule.probability)) continue;
      if (active.remaining !== undefined) {
        active.remaining -= 1;
        if (active.remaining <= 0) this.rules.splice(index, 1);
      }
      return rule.fault;
    }
    return undefined;
  }

  /** The rules still in force, with `times` showing what is left of each. */
  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r.rule, ...(r.remaining === undefined ? {} : { times: r.remaining }) }));
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return isRecord(value) && Object.values(value).every((v) => typeof v === 'string');
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function isErrorDetail(value: unknown): value is ErrorDetail {
  return typeof value === 'string' || isStringArray(value) || (isRecord(value) && Object.values(value).every(isStringArray));
}

function isStatus(value: unknown): value is number {
  // node:http refuses to write other codes; 1xx would not end the exchange.
  return Number.isInteger(value) && (value as number) >= 200 && (value as number) <= 599;
}

function parseFault(value: unknown): Fault {
  if (!isRecord(value)) throw new TypeError('fault must be an object');
  switch (value.kind) {
    case 'status':
      if (!isStatus(value.status)) throw new TypeError('fault.status must be an integer from 200 to 599');
      if (value.headers !== undefined && !isStringRecord(value.headers)) throw new TypeError('fault.headers must map names to strings');
      if (value.detail !== undefined && !isErrorDetail(value.detail))
        throw new TypeError('fault.detail must be a string, an array of strings or a map of field names to arrays of strings');
      if (value.detail !== undefined && value.body !== undefined)
        throw new TypeError('fault.detail goes into the nested error body; give it or body, not both');
      return {
        kind: 'status',
        status: value.status,
        ...(value.body !== undefined ? { body: value.body } : {}),
        ...(value.detail !== undefined ? { detail: value.detail } : {}),
        ...(value.headers !== undefined ? { headers: value.headers } : {}),
      };
    case 'rateLimit':
      if (value.retryAfterSeconds === undefined) return { kind: 'rateLimit' };
      if (!Number.isInteger(value.retryAfterSeconds) || (value.retryAfterSeconds as number) < 0) {
        throw new TypeError('fault.retryAfterSeconds must be a non-negative integer');
      }
      return { kind: 'rateLimit', retryAfterSeconds: value.retryAfterSeconds as number };
    case 'delay':
      if (typeof value.ms !== 'number' || !Number.isFinite(value.ms) || value.ms < 0)
        throw new TypeError('fault.ms must be a non-negative number');
      return { kind: 'delay', ms: value.ms };
    case 'reset':
      return { kind: 'reset' };
    case 'resetAfterProcessing':
      return { kind: 'resetAfterProcessing' };
    case 'malformedJson':
      if (value.status === undefined) return { kind: 'malformedJson' };
      if (!isStatus(value.status)) throw new TypeError('fault.status must be an integer from 200 to 599');
      return { kind: 'malformedJson', status: value.status };
    case 'html':
      if (!isStatus(value.status)) throw new TypeError('fault.status must be an integer from 200 to 599');
      return { kind: 'html', status: value.status };
    case 'empty200':
      return { kind: 'empty200' };
    default:
      throw new TypeError(`unknown fault kind: ${JSON.stringify(value.kind)}`);
  }
}

/** Validates a rule from a test or from JSON over HTTP; throws a TypeError saying what is wrong. */
export function parseFaultRule(value: unknown): FaultRule {
  if (!isRecord(value)) throw new TypeError('a fault rule must be an object');
  if (typeof value.path !== 'string' || !value.path.startsWith('/')) throw new TypeError('path must be a pathname starting with "/"');
  if (value.method !== undefined && typeof value.method !== 'string') throw new TypeError('method must be a string');
  if (value.times !== undefined && (!Number.isInteger(value.times) || (value.times as number) < 1)) {
    throw new TypeError('times must be a positive integer');
  }
  if (value.probability !== undefined && (typeof value.probability !== 'number' || !(value.probability >= 0 && value.probability <= 1))) {
    throw new TypeError('probability must be a number from 0 to 1');
  }
  if (value.seed !== undefined) {
    if (!Number.isSafeInteger(value.seed)) throw new TypeError('seed must be an integer');
    if (value.probability === undefined) throw new TypeError('seed needs a probability: it seeds the draws that apply the rule');
  }
  return {
    path: value.path,
    ...(value.method !== undefined ? { method: value.method as string } : {}),
    fault: parseFault(value.fault),
    ...(value.times !== undefined ? { times: value.times as number } : {}),
    ...(value.probability !== undefined ? { probability: value.probability as number } : {}),
    ...(value.seed !== undefined ? { seed: value.seed as number } : {}),
  };
}

/**
 * mulberry32: a small, fast 32-bit PRNG, plenty for spreading faults; values in [0, 1). The
 * same seed gives the same draws, so a run with random faults can be repeated exactly (given
 * the same order of requests).
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Validates a rate limit from a test or from JSON over HTTP; throws a TypeError saying what is wrong. */
export function parseRateLimit(value: unknown): RateLimit {
  if (!isRecord(value)) throw new TypeError('a rate limit must be an object');
  const { requestsPerSecond, burst, path } = value;
  if (typeof requestsPerSecond !== 'number' || !Number.isFinite(requestsPerSecond) || requestsPerSecond <= 0) {
    throw new TypeError('requestsPerSecond must be a positive number');
  }
  if (burst !== undefined && (!Number.isInteger(burst) || (burst as number) < 1)) throw new TypeError('burst must be a positive integer');
  if (path !== undefined && (typeof path !== 'string' || !path.startsWith('/')))
    throw new TypeError('path must be a pathname starting with "/"');
  return {
    requestsPerSecond,
    ...(burst !== undefined ? { burst: burst as number } : {}),
    ...(path !== undefined ? { path: path as string } : {}),
  };
}

/**
 * A token bucket: holds up to `burst` tokens (default: one second's worth, at least 1), starts
 * full and refills at `requestsPerSecond`. Each request it covers takes a token; one that finds
 * none is refused, and told how long until the next token in whole seconds, at least 1 (what
 * Retry-After can express).
 */
export class RateLimiter {
  readonly limit: RateLimit;
  private readonly capacity: number;
  private tokens: number;
  private refilledAt: number;

  constructor(
    limit: RateLimit,
    /** Milliseconds, monotonic; a parameter so tests can drive time. */
    private readonly now: () => number = () => performance.now(),
  ) {
    this.limit = parseRateLimit(limit);
    this.capacity = this.limit.burst ?? Math.max(1, Math.ceil(this.limit.requestsPerSecond));
    this.tokens = this.capacity;
    this.refilledAt = this.now();
  }

  /** Undefined when the request may go ahead (it took a token), else the Retry-After in seconds. */
  take(path: string): number | undefined {
    if (this.limit.path !== undefined && this.limit.path !== path) return undefined;
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.refilledAt) / 1000) * this.limit.requestsPerSecond);
    this.refilledAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - this.tokens) / this.limit.requestsPerSecond));
  }
}

/** The 429 for a request beyond the rate limit, worded like Django REST framework's throttle. */
export function rateLimitedResponse(retryAfterSeconds: number): ApiResponse {
  const unit = retryAfterSeconds === 1 ? 'second' : 'seconds';
  return {
    ...nestedError(429, `Request was throttled. Expected available in ${retryAfterSeconds} ${unit}.`),
    headers: { 'Retry-After': String(retryAfterSeconds) },
  };
}

function htmlPage(status: number, title: string): string {
  // Mimics what a proxy in front of the API serves when the app behind it is down.
  return `<!DOCTYPE html>\n<html>\n<head><title>${status} ${title}</title></head>\n<body>\n<center><h1>${status} ${title}</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n`;
}

/** The answer for every fault except `delay` and the resets, which the server handles at the socket level. */
export function faultResponse(
  fault: Exclude<Fault, { kind: 'delay' } | { kind: 'reset' } | { kind: 'resetAfterProcessing' }>,
): ApiResponse {
  switch (fault.kind) {
    case 'status': {
      // These statuses forbid a body; sending one would corrupt the connection.
      if (fault.status === 204 || fault.status === 205 || fault.status === 304) {
        return { status: fault.status, ...(fault.headers ? { headers: fault.headers } : {}) };
      }
      const base =
        fault.body !== undefined
          ? { status: fault.status, json: fault.body }
          : nestedError(fault.status, fault.detail ?? defaultDetail(fault.status));
      return { ...base, ...(fault.headers ? { headers: fault.headers } : {}) };
    }
    case 'rateLimit': {
      const response = nestedError(429, 'Request was throttled.');
      if (fault.retryAfterSeconds !== undefined) response.headers = { 'Retry-After': String(fault.retryAfterSeconds) };
      return response;
    }
    case 'malformedJson':
      return {
        status: fault.status ?? 200,
        headers: { 'Content-Type': 'application/json' },
        text: '{"results": [{"id": "5f8d0c3e4b2a1c0012345678", "body": "trunc',
      };
    case 'html':
      return {
        status: fault.status,
        headers: { 'Content-Type': 'text/html; charset=utf-8' },
        text: htmlPage(fault.status, STATUS_CODES[fault.status] ?? 'Error'),
      };
    case 'empty200':
      // Claims JSON but sends nothing: the trap for clients that parse every 200.
      return { status: 200, headers: { 'Content-Type': 'application/json' }, text: '' };
  }
}

export function defaultDetail(status: number): string {
  return status >= 500 ? 'A server error occurred.' : `Injected ${status} response.`;
}
