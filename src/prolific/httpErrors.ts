// What can go wrong in an exchange with Prolific, in words a user can read (http.ts uses these).
// Each error says whether the request may have reached the server, which decides whether
// anything may ever resend it.
import type { Response } from 'node-fetch';
import { STATUS_CODES } from 'node:http';
import { l10n } from '../shared/l10n';
import { ProlificApiError, clean, parseErrorBody, parseRetryAfter } from './errors';

/** Connection failures that prove the request was never sent. */
const NEVER_SENT: Record<string, () => string> = {
  ECONNREFUSED: () => l10n.t('connection refused'),
  ENOTFOUND: () => l10n.t('host not found'),
  EAI_AGAIN: () => l10n.t('DNS lookup failed'),
  EHOSTUNREACH: () => l10n.t('host unreachable'),
  ENETUNREACH: () => l10n.t('network unreachable'),
  // TLS failed during the handshake, before any HTTP bytes were written.
  CERT_HAS_EXPIRED: () => l10n.t('the server certificate has expired'),
  DEPTH_ZERO_SELF_SIGNED_CERT: () => l10n.t('the server certificate is self-signed'),
  SELF_SIGNED_CERT_IN_CHAIN: () => l10n.t('the server certificate is not trusted'),
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: () => l10n.t('the server certificate is not trusted'),
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: () => l10n.t('the server certificate is not trusted'),
  ERR_TLS_CERT_ALTNAME_INVALID: () => l10n.t('the server certificate is for another host'),
};

/** A non-2xx, non-redirect answer, worded; 429 and 4xx are refusals, a 5xx may have been acted on. */
export function httpError(response: Response, raw: string): ProlificApiError {
  const status = response.status;
  const parsed = parseErrorBody(status, response.headers.get('content-type'), raw);
  const title = parsed.title ?? STATUS_CODES[status] ?? (clean(response.statusText, 80) || l10n.t('Error'));
  const label = `${status} ${title}`;
  const detail = parsed.detail ? sentence(parsed.detail) : '';
  const common = { kind: 'http' as const, status, title, detail: parsed.detail, fieldErrors: parsed.fieldErrors };
  if (status === 429) {
    const retryAfterSeconds = parseRetryAfter(response.headers.get('retry-after'));
    const wait =
      retryAfterSeconds === undefined
        ? l10n.t('Wait a little before trying again.')
        : retryAfterSeconds === 1
          ? l10n.t('Wait 1 second before trying again.')
          : l10n.t('Wait {0} seconds before trying again.', retryAfterSeconds);
    const message = detail
      ? l10n.t('Prolific is receiving too many requests ({0}): {1} {2}', label, detail, wait)
      : l10n.t('Prolific is receiving too many requests ({0}). {1}', label, wait);
    return new ProlificApiError({ ...common, retryAfterSeconds, mayHaveReachedServer: false, message });
  }
  if (status >= 500) {
    // A 5xx may come after the server acted (e.g. a gateway timing out in front of it).
    const message = detail
      ? l10n.t('Prolific had a server error ({0}): {1}', label, detail)
      : l10n.t('Prolific had a server error ({0}).', label);
    return new ProlificApiError({ ...common, mayHaveReachedServer: true, message });
  }
  // A 4xx is a refusal: the request was not carried out.
  const message = detail
    ? l10n.t('Prolific rejected the request ({0}): {1}', label, detail)
    : l10n.t('Prolific rejected the request ({0}).', label);
  return new ProlificApiError({ ...common, mayHaveReachedServer: false, message });
}

/** A redirect, never followed: the token must not travel to another host. */
export function redirectError(response: Response, origin: string): ProlificApiError {
  const status = response.status;
  let target = '';
  try {
    const location = response.headers.get('location');
    if (location) target = clean(new URL(location, origin).origin, 200);
  } catch {
    // An unreadable Location only loses detail.
  }
  return new ProlificApiError({
    kind: 'redirect',
    status,
    // A 303 after a POST means "done, look elsewhere": the request may have been carried out.
    mayHaveReachedServer: true,
    message: target
      ? l10n.t(
          'The server at {0} answered with a redirect ({1}) to {2}; it was not followed, so the API token was not sent there.',
          origin,
          status,
          target,
        )
      : l10n.t(
          'The server at {0} answered with a redirect ({1}); it was not followed, so the API token was not sent there.',
          origin,
          status,
        ),
  });
}

export function timeoutError(timeoutMs: number): ProlificApiError {
  const seconds = Math.round(timeoutMs / 100) / 10;
  return new ProlificApiError({
    kind: 'timeout',
    mayHaveReachedServer: true,
    message:
      seconds === 1 ? l10n.t('Prolific did not answer within 1 second.') : l10n.t('Prolific did not answer within {0} seconds.', seconds),
  });
}

/** A failure below HTTP: refused before sending (never sent), or lost after (may have been). */
export function networkError(error: unknown, origin: string): ProlificApiError {
  const code = errorCode(error);
  const where = origin;
  if (code && NEVER_SENT[code]) {
    return new ProlificApiError({
      kind: 'network',
      code,
      mayHaveReachedServer: false,
      message: l10n.t('Could not connect to {0} ({1}).', where, NEVER_SENT[code]()),
    });
  }
  if (code?.startsWith('HPE_')) {
    return new ProlificApiError({
      kind: 'invalidResponse',
      code,
      mayHaveReachedServer: true,
      message: l10n.t('The server at {0} sent an answer that is not valid HTTP.', where),
    });
  }
  const reset = code === 'ECONNRESET' || code === 'EPIPE' || code === 'ERR_STREAM_PREMATURE_CLOSE';
  const message = reset
    ? l10n.t("The connection to {0} was closed before Prolific's answer arrived (connection reset).", where)
    : code === 'ETIMEDOUT'
      ? l10n.t('The connection to {0} timed out.', where)
      : code
        ? l10n.t('Could not reach {0} ({1}).', where, clean(code, 40))
        : l10n.t('Could not reach {0}.', where);
  return new ProlificApiError({ kind: 'network', code, mayHaveReachedServer: true, message });
}

export function cancelled(mayHaveReachedServer: boolean): ProlificApiError {
  return new ProlificApiError({ kind: 'cancelled', mayHaveReachedServer, message: l10n.t('The request to Prolific was cancelled.') });
}

export function invalid(message: string): ProlificApiError {
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

function sentence(text: string): string {
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}
