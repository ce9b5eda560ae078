import assert from 'node:assert/strict';
import { makeNonce, renderComposeHtml } from '../../src/compose/html';

const base = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: 'abcdef0123456789abcdef0123456789',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/compose.css',
  mode: 'panel' as const,
};

/** The decoded content of the CSP meta tag. */
function cspOf(html: string): string {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(m, 'a CSP meta tag');
  return m[1]!.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

/** The opening tag of the element with this id. */
function tagWithId(html: string, id: string): string {
  const m = new RegExp(`<[a-z]+\\b[^>]*\\bid="${id}"[^>]*>`).exec(html);
  assert.ok(m, `an element with id="${id}"`);
  return m[0];
}

describe('renderComposeHtml', () => {
  const html = renderComposeHtml(base);

  it('sets a strict CSP with the nonce and nothing unsafe', () => {
    const csp = cspOf(html);
    assert.ok(csp.includes("default-src 'none'"));
    assert.ok(csp.includes(`style-src ${base.cspSource}`));
    assert.ok(csp.includes(`script-src 'nonce-${base.nonce}'`));
    assert.ok(csp.includes(`font-src ${base.cspSource}`));
    assert.ok(csp.includes(`img-src ${base.cspSource}`));
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.doesNotMatch(html, /unsafe-inline|unsafe-eval/);
  });

  it('loads exactly one script, with the nonce, and the style sheet', () => {
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    assert.equal(scripts.length, 1);
    assert.ok(scripts[0]!.includes(`nonce="${base.nonce}"`));
    assert.ok(scripts[0]!.includes(`src="${base.scriptUri}"`));
    assert.match(html, /<script\b[^>]*><\/script>/, 'the script tag has no inline code');
    assert.ok(html.includes(`<link rel="stylesheet" href="${base.styleUri}">`));
    // Linked before the page's sheet rather than @import-ed from it, so both load at once.
    assert.ok(html.includes(`<link rel="stylesheet" href="https://file+.vscode-resource.vscode-cdn.net/ext/media/base.css">\n  <link rel="stylesheet" href="${base.styleUri}">`));
  });

  it('has no inline styles (the CSP would block them)', () => {
    assert.doesNotMatch(html, /\sstyle\s*=/i);
    assert.doesNotMatch(html, /<style\b/i);
  });

  it('has the three named, labelled controls with their error elements', () => {
    for (const [id, tag] of [['recipient_id', 'input'], ['study_id', 'input'], ['body', 'textarea']] as const) {
      const el = tagWithId(html, id);
      assert.ok(el.startsWith(`<${tag}`), `${id} is a <${tag}>`);
      assert.ok(el.includes(`name="${id}"`), `${id} has name="${id}"`);
      assert.ok(html.includes(`<label for="${id}">`), `${id} has a label`);
      const describedBy = /aria-describedby="([^"]*)"/.exec(el)?.[1]?.split(' ') ?? [];
      assert.ok(describedBy.includes(`${id}-error`), `${id} is described by its error element`);
      assert.match(tagWithId(html, `${id}-error`), /aria-live="polite"/);
    }
    assert.match(tagWithId(html, 'recipient_id'), /autocomplete="off"/);
    assert.match(tagWithId(html, 'study_id'), /list="studies"/);
    assert.match(html, /<datalist id="studies">/);
    assert.match(tagWithId(html, 'status'), /role="status"/);
  });

  it('has a submit button whose text is exactly "Send" and the shortcut hint', () => {
    const m = /<button\b([^>]*\bid="send"[^>]*)>([^<]*)<\/button>/.exec(html);
    assert.ok(m);
    assert.match(m[1]!, /type="submit"/);
    assert.equal(m[2], 'Send');
    assert.ok(html.includes('Ctrl+Enter to send'));
  });

  it('gives every button a type, and only Send submits the form', () => {
    const buttons = html.match(/<button\b[^>]*>/g) ?? [];
    assert.ok(buttons.length >= 2);
    for (const b of buttons) assert.match(b, /\btype="(submit|button)"/, `${b} has a type`);
    assert.deepEqual(buttons.filter((b) => b.includes('type="submit"')).map((b) => /id="([^"]*)"/.exec(b)?.[1]), ['send']);
    assert.match(tagWithId(html, 'clear-audience'), /type="button"/);
  });

  it('wraps the recipient field in a row the page can hide, keeping the input', () => {
    const row = tagWithId(html, 'recipient-field');
    assert.doesNotMatch(row, /\bhidden\b/, 'one participant is the default');
    const start = html.indexOf(row);
    assert.ok(html.indexOf('id="recipient_id"') > start && html.indexOf('id="recipient_id-error"') > start);
  });

  it('has the sections for sending to a list, each hidden until the host sets one', () => {
    for (const id of ['audience', 'audience-duplicates', 'audience-invalid', 'audience-ids', 'columns', 'preview']) {
      assert.match(tagWithId(html, id), /\shidden[\s>]/, `#${id} is hidden by default`);
    }
    assert.match(tagWithId(html, 'audience'), /aria-labelledby="audience-title"/);
    assert.match(html, /<h2 id="audience-title"[^>]*>Recipients<\/h2>/);
    assert.match(tagWithId(html, 'audience-summary'), /aria-live="polite"/);
    assert.ok(tagWithId(html, 'audience-ids').startsWith('<details'));
    assert.match(html, /<summary>Show participants<\/summary>/);
    assert.match(html, /id="clear-audience"[^>]*>Send to one participant instead<\/button>/);
    assert.match(tagWithId(html, 'preview'), /aria-labelledby="preview-title"/);
    assert.match(tagWithId(html, 'preview-errors'), /role="alert"/);
    assert.ok(html.includes('Personalize with {{column}}:'));
    // In the order the user reads them: recipients, study, message, preview, Send.
    const order = ['audience', 'study_id', 'body', 'preview', 'send'].map((id) => html.indexOf(`id="${id}"`));
    assert.deepEqual([...order].sort((a, b) => a - b), order);
  });

  it('has no duplicate ids', () => {
    const ids = [...html.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('escapes the values it interpolates into attributes', () => {
    const evil = renderComposeHtml({
      cspSource: `x" onload="alert(1)`,
      nonce: `n"><script>alert(2)</script>`,
      scriptUri: `https://a/b.js?x="><img src=x onerror=alert(3)>&y='1'`,
      styleUri: `https://a/c.css"><script>alert(4)</script>`,
      mode: 'view',
    });
    assert.doesNotMatch(evil, /alert\(\d\)<\/script>/);
    assert.doesNotMatch(evil, /<img\b/);
    assert.doesNotMatch(evil, /"\s*onload=/);
    assert.equal((evil.match(/<script\b/g) ?? []).length, 1);
    assert.ok(evil.includes('x&quot; onload=&quot;alert(1)'));
    assert.ok(evil.includes('src="https://a/b.js?x=&quot;&gt;&lt;img src=x onerror=alert(3)&gt;&amp;y=&#39;1&#39;"'));
  });

  it('marks the mode on <body> for the layout, and nothing else', () => {
    assert.match(renderComposeHtml({ ...base, mode: 'view' }), /<body class="mode-view"/);
    assert.match(html, /<body class="mode-panel"/);
    // A value outside the type (from an untyped caller) still renders a known layout.
    const odd = renderComposeHtml({ ...base, mode: '"><x' as unknown as 'panel' });
    assert.match(odd, /<body class="mode-panel"/);
  });
});

describe('makeNonce', () => {
  it('returns 32 URL- and CSP-safe characters, different each time', () => {
    const a = makeNonce();
    const b = makeNonce();
    assert.match(a, /^[0-9a-f]{32}$/);
    assert.notEqual(a, b);
  });
});
