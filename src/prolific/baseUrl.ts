// Checks the "prolific.apiBaseUrl" setting. The API token is sent to this address, so only
// https is accepted, except plain http to this machine (the fake server, a local proxy).
// Pure: no vscode.

import { l10n } from '../shared/l10n';

export type BaseUrlResult = { ok: true; url: URL } | { ok: false; message: string };

const SETTING = '"prolific.apiBaseUrl"';

/**
 * Returns the origin plus any path prefix, always ending in "/", ready for "api/v1/..." to be
 * appended. A trailing "/api/v1" is dropped because the client adds it itself.
 */
export function parseBaseUrl(value: string): BaseUrlResult {
  const text = value.trim();
  if (text === '') return fail(l10n.t('The setting {0} is empty; set it to https://api.prolific.com.', SETTING));
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail(l10n.t('The setting {0} is not a valid URL: {1}.', SETTING, quote(text)));
  }
  // Checked first, and the value is not echoed, so a password typed here is never shown.
  if (url.username || url.password) {
    return fail(l10n.t('The setting {0} must not contain a user name or password; the API token is the only credential.', SETTING));
  }
  if (url.protocol !== 'https:') {
    if (url.protocol !== 'http:' || !isLoopback(url.hostname)) {
      return fail(l10n.t('The setting {0} must use https (http is allowed only for localhost): {1}.', SETTING, quote(text)));
    }
  }
  // A lone "?" or "#" leaves search/hash empty and is harmless; anything after them is not.
  if (url.search || url.hash) {
    return fail(l10n.t('The setting {0} must not contain a query or fragment ("?" or "#"): {1}.', SETTING, quote(text)));
  }
  const prefix = url.pathname.replace(/\/+$/, '').replace(/\/api\/v1$/i, '');
  return { ok: true, url: new URL(`${url.origin}${prefix}/`) };
}

/** 127.0.0.0/8, localhost and [::1]. The URL parser has already normalised forms like "127.1". */
function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function fail(message: string): BaseUrlResult {
  return { ok: false, message };
}

function quote(text: string): string {
  const shown = text.length > 120 ? `${text.slice(0, 119)}…` : text;
  // Defensive: never repeat something that looks like credentials ("//user:pass@").
  return JSON.stringify(shown.replace(/\/\/[^/@]*@/, '//…@'));
}
