// What every webview page's HTML shares: the nonce, escaping, and the Content Security Policy.
// Pure (no vscode import), so the pages' HTML can be unit-tested in plain Node.
import { randomBytes } from 'node:crypto';
import { activeL10nBundle, l10nLanguage } from './core/l10n';

/** 32 hex characters (128 random bits): a CSP nonce an injected script cannot guess. */
export function makeNonce(): string {
  return randomBytes(16).toString('hex');
}

/** Escapes for both attribute values and text, so a URI, cspSource or title cannot close the quote or open a tag. */
export function esc(value: string): string {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * No 'unsafe-inline' / 'unsafe-eval': styles come only from the style sheet, scripts only with
 * the nonce. form-action 'none' stops a native form submission (Enter pressed before the script
 * has loaded) from navigating the webview away; the scripts handle submit themselves.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [`default-src 'none'`, `style-src ${cspSource}`, `script-src 'nonce-${nonce}'`, `font-src ${cspSource}`, `img-src ${cspSource}`, `form-action 'none'`].join('; ');
}

/** The value of <html lang>: VS Code's display language. */
export function pageLang(): string {
  return esc(l10nLanguage());
}

/**
 * The translations for the page script (read by src/webview/pageL10n.ts), as a data block that
 * never runs; nothing in English. `<` is escaped so no text can close the element.
 */
export function pageL10nBundle(): string {
  const bundle = activeL10nBundle();
  if (!bundle) return '';
  return `<script type="application/json" id="l10n-bundle">${JSON.stringify(bundle).replace(/</g, '\\u003c')}</script>\n  `;
}

/** The <head> both pages use: charset, CSP, viewport, the style sheets and the title. */
export function pageHead(o: { cspSource: string; nonce: string; styleUri: string; title: string }): string {
  // media/base.css, next to the page's own sheet, is linked rather than @import-ed from it: both
  // then load at once, where an @import is fetched only once the sheet holding it has arrived
  // (and the page script, which marks the page ready, waits for every sheet).
  const baseStyleUri = URL.canParse(o.styleUri) ? new URL('base.css', o.styleUri).href : o.styleUri.replace(/[^/]*$/, 'base.css');
  return `<head>
  <meta charset="utf-8">
  <meta http-equiv="Content-Security-Policy" content="${esc(contentSecurityPolicy(o.cspSource, o.nonce))}">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="stylesheet" href="${esc(baseStyleUri)}">
  <link rel="stylesheet" href="${esc(o.styleUri)}">
  <title>${esc(o.title)}</title>
</head>`;
}
