import assert from 'node:assert/strict';
import { makeNonce as composeMakeNonce } from '../../src/compose/html';
import { makeNonce, renderConversationHtml } from '../../src/inbox/conversationHtml';
import { parseConversationHostMessage, parseConversationState } from '../../src/webview/conversationMessages';

const base = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: 'abcdef0123456789abcdef0123456789',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/conversation.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/conversation.css',
  title: 'Participant 5f3a1b2c3d4e5f6a7b8c9d0e',
};

/** The decoded content of the CSP meta tag. */
function cspOf(html: string): string {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(m, 'a CSP meta tag');
  return m[1]!.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

/** The opening tag of the element with this id. */
function tagWithId(html: string, id: string): string {
  const m = new RegExp(`<[a-z0-9]+\\b[^>]*\\bid="${id}"[^>]*>`).exec(html);
  assert.ok(m, `an element with id="${id}"`);
  return m[0];
}

describe('renderConversationHtml', () => {
  const html = renderConversationHtml(base);

  it('sets a strict CSP with the nonce and nothing unsafe', () => {
    const csp = cspOf(html);
    assert.ok(csp.includes("default-src 'none'"));
    assert.ok(csp.includes(`style-src ${base.cspSource}`));
    assert.ok(csp.includes(`script-src 'nonce-${base.nonce}'`));
    assert.ok(csp.includes(`font-src ${base.cspSource}`));
    assert.ok(csp.includes(`img-src ${base.cspSource}`));
    assert.ok(csp.includes("form-action 'none'"));
    assert.doesNotMatch(csp, /unsafe-/);
    assert.doesNotMatch(html, /unsafe-/);
    // Nothing but the nonce lets a script in: no host, no wildcard, no data:.
    const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1]?.trim();
    assert.equal(scriptSrc, `'nonce-${base.nonce}'`);
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

  it('has no inline styles or inline event handlers (the CSP would block them)', () => {
    assert.doesNotMatch(html, /\sstyle\s*=/i);
    assert.doesNotMatch(html, /<style\b/i);
    assert.doesNotMatch(html, /\son[a-z]+\s*=/i);
    assert.doesNotMatch(html, /javascript:/i);
  });

  it('has the reply textarea, labelled, with its error element', () => {
    const box = tagWithId(html, 'reply');
    assert.ok(box.startsWith('<textarea'));
    assert.match(box, /\bname="body"/);
    assert.match(box, /\baria-label="Reply"/);
    const describedBy = /aria-describedby="([^"]*)"/.exec(box)?.[1]?.split(' ') ?? [];
    assert.ok(describedBy.includes('reply-error'));
    assert.match(tagWithId(html, 'reply-error'), /aria-live="polite"/);
  });

  it('has a submit button whose text is exactly "Send", after the textarea, in the reply form', () => {
    const m = /<button\b([^>]*\bid="send"[^>]*)>([^<]*)<\/button>/.exec(html);
    assert.ok(m);
    assert.match(m[1]!, /type="submit"/);
    assert.equal(m[2], 'Send');
    const form = html.indexOf('id="reply-form"');
    assert.ok(form >= 0 && form < html.indexOf('id="reply"') && html.indexOf('id="reply"') < html.indexOf('id="send"'));
    assert.match(tagWithId(html, 'reply-form'), /\bnovalidate\b/);
    assert.ok(html.includes('Ctrl+Enter to send'));
  });

  it('has Refresh and Open in Prolific buttons that do not submit, and only Send submits', () => {
    assert.match(html, /<button type="button" id="refresh"[^>]*>Refresh<\/button>/);
    assert.match(html, /<button type="button" id="open"[^>]*>Open in Prolific<\/button>/);
    const buttons = html.match(/<button\b[^>]*>/g) ?? [];
    for (const b of buttons) assert.match(b, /\btype="(submit|button)"/, `${b} has a type`);
    assert.deepEqual(buttons.filter((b) => b.includes('type="submit"')).map((b) => /id="([^"]*)"/.exec(b)?.[1]), ['send']);
  });

  it('has the status line, the thread log and the empty-thread note (hidden)', () => {
    assert.match(tagWithId(html, 'status'), /role="status"/);
    const thread = tagWithId(html, 'thread');
    assert.ok(thread.startsWith('<ol'));
    assert.match(thread, /role="log"/);
    assert.match(thread, /aria-live="polite"/);
    assert.match(tagWithId(html, 'empty'), /\shidden[\s>]/);
    assert.ok(html.includes('No messages with this participant in the last 30 days or in the local history.'));
    // Header, thread, reply box: the order the user reads them.
    const order = ['heading', 'refresh', 'status', 'thread', 'reply', 'send'].map((id) => html.indexOf(`id="${id}"`));
    assert.deepEqual([...order].sort((a, b) => a - b), order);
  });

  it('has no duplicate ids', () => {
    const ids = [...html.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('shows the title in <title> and the heading, escaped', () => {
    assert.ok(html.includes(`<title>${base.title}</title>`));
    assert.ok(html.includes(`<h1 id="heading" class="heading">${base.title}</h1>`));
    const evil = renderConversationHtml({ ...base, title: `</title><script>alert(1)</script><img src=x onerror=alert(2)> & "q" 'a'` });
    assert.equal((evil.match(/<script\b/g) ?? []).length, 1);
    assert.doesNotMatch(evil, /<img\b/);
    assert.doesNotMatch(evil, /alert\(1\)<\/script>/);
    const escaped = '&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt; &amp; &quot;q&quot; &#39;a&#39;';
    assert.ok(evil.includes(`<title>${escaped}</title>`));
    assert.ok(evil.includes(`>${escaped}</h1>`));
  });

  it('escapes the values it interpolates into attributes', () => {
    const evil = renderConversationHtml({
      cspSource: `x" onload="alert(1)`,
      nonce: `n"><script>alert(2)</script>`,
      scriptUri: `https://a/b.js?x="><img src=x onerror=alert(3)>&y='1'`,
      styleUri: `https://a/c.css"><script>alert(4)</script>`,
      title: 'T',
    });
    assert.doesNotMatch(evil, /alert\(\d\)<\/script>/);
    assert.doesNotMatch(evil, /<img\b/);
    assert.doesNotMatch(evil, /"\s*onload=/);
    assert.equal((evil.match(/<script\b/g) ?? []).length, 1);
    assert.ok(evil.includes('x&quot; onload=&quot;alert(1)'));
    assert.ok(evil.includes('src="https://a/b.js?x=&quot;&gt;&lt;img src=x onerror=alert(3)&gt;&amp;y=&#39;1&#39;"'));
  });

  it('uses the compose page’s nonce maker', () => {
    assert.equal(makeNonce, composeMakeNonce);
    assert.match(makeNonce(), /^[0-9a-f]{32}$/);
  });
});

// The page's checks of what the host sends (src/webview/conversationMessages.ts): pure, so tested here.
describe('parseConversationHostMessage', () => {
  const message = {
    id: 'm1',
    senderId: 'p'.repeat(24),
    body: '<img src=x onerror=alert(1)>',
    createdAt: '2025-03-01T10:00:00Z',
    channelId: null,
    studyId: 's'.repeat(24),
    category: 'feedback',
  };
  const thread = {
    participantId: 'p'.repeat(24),
    myId: 'r'.repeat(24),
    messages: [message],
    studyId: 's'.repeat(24),
    studyName: 'Pilot',
    category: 'feedback',
    loading: false,
    error: null,
  };

  it('accepts every message of the protocol, as clean copies', () => {
    for (const m of [
      { type: 'thread', thread },
      { type: 'thread', thread: { ...thread, myId: null, messages: [], studyId: null, studyName: null, category: null, loading: true, error: 'Offline.' } },
      { type: 'replyResult', requestId: 3, ok: true },
      { type: 'replyResult', requestId: 4, ok: false, error: 'Not sent.' },
    ]) {
      assert.deepEqual(parseConversationHostMessage(m), m);
    }
    const extra = parseConversationHostMessage({ type: 'thread', extra: 1, thread: { ...thread, extra: 2, messages: [{ ...message, extra: 3 }] } });
    assert.deepEqual(extra, { type: 'thread', thread });
  });

  it('rejects malformed and unknown messages', () => {
    const rejected: unknown[] = [
      null,
      'thread',
      [],
      {},
      { type: 'unknown' },
      { type: 'thread' },
      { type: 'thread', thread: { ...thread, participantId: 7 } },
      { type: 'thread', thread: { ...thread, participantId: '' } },
      { type: 'thread', thread: { ...thread, loading: 'no' } },
      { type: 'thread', thread: { ...thread, messages: 'none' } },
      { type: 'thread', thread: { ...thread, messages: [message, { ...message, body: 5 }] } },
      { type: 'thread', thread: { ...thread, messages: [{ ...message, createdAt: undefined }] } },
      { type: 'thread', thread: { ...thread, messages: [null] } },
      { type: 'thread', thread: { ...thread, error: 42 } },
      { type: 'replyResult', ok: true },
      { type: 'replyResult', requestId: 1.5, ok: true },
      { type: 'replyResult', requestId: 1, ok: 'yes' },
      { type: 'replyResult', requestId: 1, ok: false, error: { text: 'x' } },
    ];
    for (const m of rejected) assert.equal(parseConversationHostMessage(m), null, JSON.stringify(m));
  });

  it('reads the saved state only when it holds a reply string', () => {
    assert.deepEqual(parseConversationState({ reply: 'Hi', other: 1 }), { reply: 'Hi' });
    for (const s of [undefined, null, 'Hi', { reply: 3 }, []]) assert.equal(parseConversationState(s), null);
  });
});
