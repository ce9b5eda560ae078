import assert from 'node:assert/strict';
import { makeNonce } from '../../src/host/nonce';
import { configureL10n } from '../../src/shared/l10n';
import { renderComposeHtml } from '../../src/webviews/compose/html';
import { parsePageState } from '../../src/webviews/apps/compose/hostMessages';
import { itIsASafePage, tagWithId } from '../support/pageHtml';

const base = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: 'abcdef0123456789abcdef0123456789',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/compose.css',
  mode: 'panel' as const,
};

describe('renderComposeHtml', () => {
  const html = renderComposeHtml(base);

  itIsASafePage((assets) => renderComposeHtml({ ...assets, mode: 'panel' }), base);

  it('names its language with a BCP 47 tag, also in the pseudo-locale, and has one (hidden) heading', () => {
    try {
      configureL10n(undefined, 'qps-ploc');
      assert.match(renderComposeHtml(base), /<html lang="en-XA">/);
      configureL10n(undefined, 'de');
      assert.match(renderComposeHtml(base), /<html lang="de">/);
    } finally {
      configureL10n(undefined);
    }
    assert.equal(html.match(/<h1 class="visually-hidden">Message a participant<\/h1>/g)?.length, 1);
  });

  it('has the three named, labelled controls with their error elements', () => {
    for (const [id, tag] of [
      ['recipient_id', 'input'],
      ['study_id', 'input'],
      ['body', 'textarea'],
    ] as const) {
      const el = tagWithId(html, id);
      assert.ok(el.startsWith(`<${tag}`), `${id} is a <${tag}>`);
      assert.ok(el.includes(`name="${id}"`), `${id} has name="${id}"`);
      assert.ok(html.includes(`<label for="${id}">`), `${id} has a label`);
      const describedBy = /aria-describedby="([^"]*)"/.exec(el)?.[1]?.split(' ') ?? [];
      assert.ok(describedBy.includes(`${id}-error`), `${id} is described by its error element`);
      assert.match(tagWithId(html, `${id}-error`), /aria-live="polite"/);
    }
    assert.match(tagWithId(html, 'recipient_id'), /autocomplete="off"/);
    // The study picker is a combobox over a listbox, described by the chosen study's name.
    const study = tagWithId(html, 'study_id');
    for (const attribute of ['role="combobox"', 'aria-controls="studies"', 'aria-expanded="false"', 'aria-autocomplete="list"'])
      assert.ok(study.includes(attribute), attribute);
    assert.match(study, /aria-describedby="study_id-detail /);
    assert.match(tagWithId(html, 'studies'), /^<ul [^>]*role="listbox"[^>]*aria-label="Your studies"[^>]*hidden/);
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
    assert.deepEqual(
      buttons.filter((b) => b.includes('type="submit"')).map((b) => /id="([^"]*)"/.exec(b)?.[1]),
      ['send'],
    );
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
    assert.deepEqual(
      [...order].sort((a, b) => a - b),
      order,
    );
  });

  it('has no duplicate ids', () => {
    const ids = [...html.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]);
    assert.equal(new Set(ids).size, ids.length);
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

// The page's check of the state it saved (src/webviews/apps/compose/hostMessages.ts): pure, so tested here.
describe('compose page: parsePageState', () => {
  it('reads the saved state only when it holds a whole draft, as a clean copy', () => {
    const draft = { recipient_id: 'a'.repeat(24), study_id: 'b'.repeat(24), body: 'Hi' };
    assert.deepEqual(parsePageState({ ...draft, other: 1 }), draft);
    for (const s of [undefined, null, 'Hi', [], { ...draft, body: 3 }, { recipient_id: 'x', study_id: 'y' }])
      assert.equal(parsePageState(s), null);
  });
});
