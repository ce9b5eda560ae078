// What the compose and conversation pages' HTML tests both check: the CSP, the one nonced script,
// no inline styles, and the escaping of what the host interpolates (src/webviews/html.ts).
// itIsASafePage adds these as tests to the describe block it is called in.
import assert from 'node:assert/strict';
import type { PageAssets } from '../../src/webviews/html';

/** The decoded content of the CSP meta tag. */
function cspOf(html: string): string {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(m, 'a CSP meta tag');
  return m[1]!
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

/** The opening tag of the element with this id. */
export function tagWithId(html: string, id: string): string {
  const m = new RegExp(`<[a-z0-9]+\\b[^>]*\\bid="${id}"[^>]*>`).exec(html);
  assert.ok(m, `an element with id="${id}"`);
  return m[0];
}

/** A strict CSP with the nonce and nothing unsafe: nothing but the nonce lets a script in. */
function assertStrictCsp(html: string, base: PageAssets): void {
  const csp = cspOf(html);
  assert.ok(csp.includes("default-src 'none'"));
  assert.ok(csp.includes(`style-src ${base.cspSource}`));
  assert.ok(csp.includes(`script-src 'nonce-${base.nonce}'`));
  assert.ok(csp.includes(`font-src ${base.cspSource}`));
  assert.ok(csp.includes(`img-src ${base.cspSource}`));
  assert.ok(csp.includes("form-action 'none'"));
  assert.doesNotMatch(csp, /unsafe-/);
  assert.doesNotMatch(html, /unsafe-/);
  // No host, no wildcard, no data:.
  assert.equal(/script-src ([^;]*)/.exec(csp)?.[1]?.trim(), `'nonce-${base.nonce}'`);
}

/** Exactly one script, with the nonce and no inline code, and the style sheet. */
function assertOneNoncedScript(html: string, base: PageAssets): void {
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  assert.equal(scripts.length, 1);
  assert.ok(scripts[0]!.includes(`nonce="${base.nonce}"`));
  assert.ok(scripts[0]!.includes(`src="${base.scriptUri}"`));
  assert.match(html, /<script\b[^>]*><\/script>/, 'the script tag has no inline code');
  assert.ok(html.includes(`<link rel="stylesheet" href="${base.styleUri}">`));
  // Linked before the page's sheet rather than @import-ed from it, so both load at once.
  assert.ok(
    html.includes(
      `<link rel="stylesheet" href="${new URL('base.css', base.styleUri).href}">\n  <link rel="stylesheet" href="${base.styleUri}">`,
    ),
  );
}

/** Hostile assets cannot close a quote, open a tag or add a script. */
function assertEscapesAssets(render: (assets: PageAssets) => string): void {
  const evil = render({
    cspSource: `x" onload="alert(1)`,
    nonce: `n"><script>alert(2)</script>`,
    scriptUri: `https://a/b.js?x="><img src=x onerror=alert(3)>&y='1'`,
    styleUri: `https://a/c.css"><script>alert(4)</script>`,
  });
  assert.doesNotMatch(evil, /alert\(\d\)<\/script>/);
  assert.doesNotMatch(evil, /<img\b/);
  assert.doesNotMatch(evil, /"\s*onload=/);
  assert.equal((evil.match(/<script\b/g) ?? []).length, 1);
  assert.ok(evil.includes('x&quot; onload=&quot;alert(1)'));
  assert.ok(evil.includes('src="https://a/b.js?x=&quot;&gt;&lt;img src=x onerror=alert(3)&gt;&amp;y=&#39;1&#39;"'));
}

/** No inline styles or inline event handlers: the CSP would block them. */
function assertNoInlineStyleOrHandlers(html: string): void {
  assert.doesNotMatch(html, /\sstyle\s*=/i);
  assert.doesNotMatch(html, /<style\b/i);
  assert.doesNotMatch(html, /\son[a-z]+\s*=/i);
  assert.doesNotMatch(html, /javascript:/i);
}

/** The tests every page's HTML passes; call inside the page's describe block. */
export function itIsASafePage(render: (assets: PageAssets) => string, base: PageAssets): void {
  const html = render(base);

  it('sets a strict CSP with the nonce and nothing unsafe', () => {
    assertStrictCsp(html, base);
  });

  it('loads exactly one script, with the nonce, and the style sheet', () => {
    assertOneNoncedScript(html, base);
  });

  it('has no inline styles or inline event handlers (the CSP would block them)', () => {
    assertNoInlineStyleOrHandlers(html);
  });

  it('escapes the values it interpolates into attributes', () => {
    assertEscapesAssets(render);
  });
}
