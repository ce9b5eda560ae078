// What both pages' HTML shares: escaping, the Content Security Policy, the <head>, the language and
// the translations for the page script. Pure (no vscode, no node:), so the pages' HTML can be
// unit-tested in plain Node; the host makes the nonce (src/host/webviewHost.ts).
import { activeL10nBundle, l10nLanguage } from '../shared/l10n';

/** What the host passes to render a page: where its files come from and the nonce of this render. */
export interface PageAssets {
  /** `webview.cspSource`: the origin the style sheet and fonts may come from. */
  cspSource: string;
  /** Fresh per render; the only script allowed to run carries it. */
  nonce: string;
  /** The page script (`dist/…js`) as a webview URI. */
  scriptUri: string;
  /** The page's style sheet (`media/…css`) as a webview URI. */
  styleUri: string;
}

/** Escapes for both attribute values and text, so a URI, cspSource or title cannot close the quote or open a tag. */
export function esc(value: string): string {
  return String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * No 'unsafe-inline' / 'unsafe-eval': styles come only from the style sheet, scripts only with
 * the nonce. form-action 'none' stops a native form submission (Enter pressed before the script
 * has loaded) from navigating the webview away; the scripts handle submit themselves.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    `style-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource}`,
    `form-action 'none'`,
  ].join('; ');
}

/**
 * The value of <html lang>: VS Code's display language. VS Code's pseudo-locale "qps-ploc" is
 * not a BCP 47 tag, so a screen reader could not pick a voice for it; its text is accented
 * English, which "en-XA" (BCP 47's pseudo-locale region for it) says.
 */
export function pageLang(): string {
  const language = l10nLanguage();
  return esc(language === 'qps-ploc' ? 'en-XA' : language);
}

/**
 * The translations for the page script (read by src/webviews/apps/shared/pageL10n.ts), as a data block that
 * never runs; nothing in English. `<` is escaped so no text can close the element.
 */
export function pageL10nBundle(): string {
  const bundle = activeL10nBundle();
  if (!bundle) return '';
  return `<script type="application/json" id="l10n-bundle">${JSON.stringify(bundle).replace(/</g, '\\u003c')}</script>\n  `;
}

/** The <head> both pages use: charset, CSP, viewport, the style sheet and the title. */
export function pageHead(o: PageAssets & { title: string }): string {
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

/** The end of both pages' <body>: the translations, then the one script, which carries the nonce. */
export function pageScripts(o: PageAssets): string {
  return `${pageL10nBundle()}<script nonce="${esc(o.nonce)}" src="${esc(o.scriptUri)}"></script>`;
}
