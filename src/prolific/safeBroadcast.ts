// Sends a broadcast so that it can be retried: its ID is chosen before the first attempt, and a
// broadcast with an ID Prolific already has is answered with that broadcast, not made again
// (docs/prolific-api/messages.md § 6). So an attempt that may have reached the server (a timeout,
// a reset connection, a 5xx, an answer that could not be read) is retried with the same ID, which
// no other send may do: a bulk message resent after a timeout may reach everyone twice.
import { randomUUID } from 'node:crypto';
import type { ConversationsApi } from './conversationsApi';
import type { Broadcast, BroadcastRequest } from './conversationSchemas';
import { sleep } from '../shared/sleep';
import { ProlificApiError } from './errors';

export interface BroadcastRetryOptions {
  signal?: AbortSignal;
  /** Attempts in all, the first included (default 4). */
  attempts?: number;
  /** The wait before retry n (1-based) is `backoffMs * 2^(n-1)` (default 1000), or a 429's Retry-After. */
  backoffMs?: number;
  /** Told of each retry before its wait: to log it, or show it. */
  onRetry?: (retry: { attempt: number; error: ProlificApiError; waitMs: number }) => void;
}

/** Attempts in all, the first included, unless told otherwise. */
export const BROADCAST_ATTEMPTS = 4;

/** A new broadcast ID: made once per broadcast, stored with the run before the first attempt. */
export function newBroadcastId(): string {
  return randomUUID();
}

/** The broadcast, after at most `attempts` attempts with the same `request.id`; the last error otherwise. */
export async function sendBroadcastSafely(
  api: ConversationsApi,
  request: BroadcastRequest,
  options: BroadcastRetryOptions = {},
): Promise<Broadcast> {
  const { signal, attempts = BROADCAST_ATTEMPTS, backoffMs = 1000, onRetry } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await api.broadcast(request, signal);
    } catch (error) {
      if (!(error instanceof ProlificApiError) || attempt >= attempts || !worthRetrying(error)) throw error;
      const waitMs = error.status === 429 && error.retryAfterSeconds ? error.retryAfterSeconds * 1000 : backoffMs * 2 ** (attempt - 1);
      onRetry?.({ attempt, error, waitMs });
      await sleep(waitMs, signal);
      if (signal?.aborted) throw error;
    }
  }
}

/** What another attempt may cure: the server's trouble or the network's, never a refusal of the request itself. */
export function worthRetrying(error: ProlificApiError): boolean {
  switch (error.kind) {
    case 'timeout':
    case 'network':
    case 'invalidResponse':
      return true;
    case 'http':
      return error.status === 429 || (error.status !== undefined && error.status >= 500);
    default:
      return false;
  }
}
