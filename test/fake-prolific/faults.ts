// Fault rules: which requests get a broken answer, and what that answer looks like.
import { STATUS_CODES } from 'node:http';
import type { Fault, FaultRule } from './server';
import { nestedError, type ApiResponse } from './responses';

interface ActiveRule {
  rule: FaultRule;
  /** Undefined means unlimited. */
  remaining: number | undefined;
}

export class FaultList {
  private rules: ActiveRule[] = [];

  add(rule: FaultRule): void {
    const valid = parseFaultRule(rule);
    this.rules.push({ rule: valid, remaining: valid.times });
  }

  clear(): void {
    this.rules = [];
  }

  /** The first matching rule wins; using it counts against its `times`. */
  take(method: string, path: string): Fault | undefined {
    const index = this.rules.findIndex(
      (r) => r.rule.path === path && (r.rule.method === undefined || r.rule.method.toUpperCase() === method.toUpperCase()),
    );
    if (index < 0) return undefined;
    const active = this.rules[index];
    if (active.remaining !== undefined) {
      active.remaining -= 1;
      if (active.remaining <= 0) this.rules.splice(index, 1);
    }
    return active.rule.fault;
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
      return {
        kind: 'status',
        status: value.status,
        ...(value.body !== undefined ? { body: value.body } : {}),
        ...(value.headers !== undefined ? { headers: value.headers } : {}),
      };
    case 'rateLimit':
      if (value.retryAfterSeconds === undefined) return { kind: 'rateLimit' };
      if (!Number.isInteger(value.retryAfterSeconds) || (value.retryAfterSeconds as number) < 0) {
        throw new TypeError('fault.retryAfterSeconds must be a non-negative integer');
      }
      return { kind: 'rateLimit', retryAfterSeconds: value.retryAfterSeconds as number };
    case 'delay':
      if (typeof value.ms !== 'number' || !Number.isFinite(value.ms) || value.ms < 0) throw new TypeError('fault.ms must be a non-negative number');
      return { kind: 'delay', ms: value.ms };
    case 'reset':
      return { kind: 'reset' };
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
  return {
    path: value.path,
    ...(value.method !== undefined ? { method: value.method as string } : {}),
    fault: parseFault(value.fault),
    ...(value.times !== undefined ? { times: value.times as number } : {}),
  };
}

function htmlPage(status: number, title: string): string {
  // Mimics what a proxy in front of the API serves when the app behind it is down.
  return `<!DOCTYPE html>\n<html>\n<head><title>${status} ${title}</title></head>\n<body>\n<center><h1>${status} ${title}</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n`;
}

/** The answer for every fault except `delay` and `reset`, which the server handles at the socket level. */
export function faultResponse(fault: Exclude<Fault, { kind: 'delay' } | { kind: 'reset' }>): ApiResponse {
  switch (fault.kind) {
    case 'status': {
      // These statuses forbid a body; sending one would corrupt the connection.
      if (fault.status === 204 || fault.status === 205 || fault.status === 304) {
        return { status: fault.status, ...(fault.headers ? { headers: fault.headers } : {}) };
      }
      const base = fault.body !== undefined ? { status: fault.status, json: fault.body } : nestedError(fault.status, defaultDetail(fault.status));
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

function defaultDetail(status: number): string {
  return status >= 500 ? 'A server error occurred.' : `Injected ${status} response.`;
}
