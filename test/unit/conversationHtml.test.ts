import assert from 'node:assert/strict';
import { renderConversationHtml } from '../../src/webviews/conversation/html';
import { parseHostMessage, parsePageState } from '../../src/webviews/apps/conversation/hostMessages';
import { itIsASafePage, tagWithId } from '../support/pageHtml';

const base = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: 'abcdef0123456789abcdef0123456789',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/conversation.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/conversation.css',
  title: 'Participant 5f3a1b2c3d4e5f6a7b8c9d0e',
};

describe('renderConversationHtml', () => {
  const html = renderConversationHtml(base);

  itIsASafePage((assets) => renderConversationHtml({ ...assets, title: base.title }), base);

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
    assert.deepEqual(
      buttons.filter((b) => b.includes('type="submit"')).map((b) => /id="([^"]*)"/.exec(b)?.[1]),
      ['send'],
    );
  });

  it('has the status line, the thread (a list that announces new messages) and the empty-thread note (hidden)', () => {
    assert.match(tagWithId(html, 'status'), /role="status"/);
    const thread = tagWithId(html, 'thread');
    assert.ok(thread.startsWith('<ol'));
    // No role="log": it would hide the list from assistive technology, and its <li> items with it (axe-core: listitem).
    assert.doesNotMatch(thread, /role=/);
    assert.match(thread, /aria-live="polite"/);
    assert.match(tagWithId(html, 'empty'), /\shidden[\s>]/);
    assert.ok(html.includes('No messages with this participant in the last 30 days or in the local history.'));
    // Header, thread, reply box: the order the user reads them.
    const order = ['heading', 'refresh', 'status', 'thread', 'reply', 'send'].map((id) => html.indexOf(`id="${id}"`));
    assert.deepEqual(
      [...order].sort((a, b) => a - b),
      order,
    );
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
});

// The page's checks of what the host sends (src/webviews/apps/conversation/hostMessages.ts): pure, so tested here.
describe('conversation page: parseHostMessage', () => {
  const message = {
    id: 'm1',
    senderId: 'p'.repeat(24),
    body: '<img src=x onerror=alert(1)>',
    createdAt: '2025-03-01T10:00:00Z',
  };
  const thread = {
    participantId: 'p'.repeat(24),
    subject: 'Your payment',
    myId: 'r'.repeat(24),
    messages: [message],
    studyId: 's'.repeat(24),
    studyName: 'Pilot',
    categoryLabel: 'Feedback',
    loading: false,
    error: null,
  };

  it('accepts every message of the protocol, as clean copies', () => {
    for (const m of [
      { type: 'thread', thread },
      {
        type: 'thread',
        thread: {
          ...thread,
          myId: null,
          messages: [],
          studyId: null,
          studyName: null,
          categoryLabel: null,
          loading: true,
          error: 'Offline.',
        },
      },
      { type: 'replyResult', requestId: 3, ok: true },
      { type: 'replyResult', requestId: 4, ok: false, error: 'Not sent.' },
      { type: 'delivered', body: 'Thanks!' },
    ]) {
      assert.deepEqual(parseHostMessage(m), m);
    }
    const extra = parseHostMessage({
      type: 'thread',
      extra: 1,
      thread: { ...thread, extra: 2, messages: [{ ...message, extra: 3, channelId: 'c1', category: 'feedback' }] },
    });
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
      { type: 'thread', thread: { ...thread, categoryLabel: 7 } },
      { type: 'replyResult', ok: true },
      { type: 'replyResult', requestId: 1.5, ok: true },
      { type: 'replyResult', requestId: 1, ok: 'yes' },
      { type: 'replyResult', requestId: 1, ok: false, error: { text: 'x' } },
      { type: 'delivered' },
      { type: 'delivered', body: 7 },
    ];
    for (const m of rejected) assert.equal(parseHostMessage(m), null, JSON.stringify(m));
  });

  it('reads the saved state only when it holds a reply string', () => {
    assert.deepEqual(parsePageState({ reply: 'Hi', other: 1 }), { reply: 'Hi' });
    for (const s of [undefined, null, 'Hi', { reply: 3 }, []]) assert.equal(parsePageState(s), null);
  });
});
