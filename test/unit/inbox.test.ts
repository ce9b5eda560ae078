// The inbox's pure parts: normalising API messages, grouping them into conversations, the list
// preview, and the on-disk cache's merge and (de)serialisation.
import assert from 'node:assert/strict';
import { groupConversations, preview, threadFor } from '../../src/features/inbox/conversations';
import {
  allCached,
  cachedThread,
  emptyCache,
  mergeMessages,
  ownerOf,
  parseCacheFile,
  readStoredMessage,
  serializeCache,
  withReadHere,
  type CacheFile,
} from '../../src/features/inbox/messageCache';
import { normalizeMessage } from '../../src/prolific/messages';
import type { InboxMessage } from '../../src/prolific/messageTypes';

const ME = 'researcher';
const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.parse('2026-03-01T12:00:00.000Z');

let counter = 0;
/** A message `minutes` after T0 (negative: before). */
function msg(senderId: string, minutes: number, extra: Partial<InboxMessage> = {}): InboxMessage {
  return {
    id: `m${++counter}`,
    senderId,
    body: `from ${senderId} at ${minutes}`,
    createdAt: new Date(T0 + minutes * 60_000).toISOString(),
    channelId: null,
    studyId: null,
    category: null,
    ...extra,
  };
}

const ids = (messages: InboxMessage[]) => messages.map((m) => m.id);

describe('normalizeMessage', () => {
  const base = { id: 'x', body: 'b', channel_id: 'c', data: { study_id: 's', category: 'feedback' } };

  it('reads both field-name variants into one shape', () => {
    const documented = normalizeMessage({ ...base, sender_id: 'p1', sent_at: '2026-03-01T12:00:00Z' });
    const observed = normalizeMessage({ ...base, sender: 'p1', datetime_created: '2026-03-01T12:00:00.000000Z' });
    const expected: InboxMessage = {
      id: 'x',
      senderId: 'p1',
      body: 'b',
      createdAt: '2026-03-01T12:00:00.000Z',
      channelId: 'c',
      studyId: 's',
      category: 'feedback',
    };
    assert.deepEqual(documented, expected);
    assert.deepEqual(observed, expected);
  });

  it('an empty field counts as missing, so the other variant is used', () => {
    assert.equal(
      normalizeMessage({ ...base, sender_id: '', sender: 'p2', datetime_created: '', sent_at: '2026-03-01T12:00:00Z' })?.senderId,
      'p2',
    );
  });

  it('null without a sender or a readable time, or for something that is not a message', () => {
    for (const raw of [
      { ...base, sent_at: '2026-03-01T12:00:00Z' },
      { ...base, sender: 'p' },
      { ...base, sender: 'p', sent_at: '1' },
      { ...base, sender: 'p', sent_at: '2026-02-30T25:00:00Z' },
      { ...base, id: '', sender: 'p', sent_at: '2026-03-01T12:00:00Z' },
      null,
      [],
      'message',
    ]) {
      assert.equal(normalizeMessage(raw), null, JSON.stringify(raw));
    }
  });

  it('keeps the body exactly, markup, newlines and emoji included', () => {
    const body = '<img src=x onerror="alert(1)">\r\n  👍🏽 &amp; \u202e';
    assert.equal(normalizeMessage({ ...base, sender: 'p', sent_at: '2026-03-01T12:00:00Z', body })?.body, body);
  });
});

describe('threadFor and groupConversations', () => {
  it("threadFor attributes the researcher's own messages to the participant asked for", () => {
    const question = msg('p1', 0, { studyId: 's1', category: 'payment-timing', channelId: 'c1' });
    const reply = msg(ME, 5);
    const thread = threadFor('p1', [reply, question], new Set([question.id, reply.id]));
    assert.deepEqual(thread, {
      participantId: 'p1',
      messages: [question, reply],
      // The researcher's own message is never "unread".
      unreadIds: [question.id],
      readHereIds: [],
      // From the latest message naming one: the reply names none.
      studyId: 's1',
      category: 'payment-timing',
      channelId: 'c1',
    });
  });

  it('threadFor de-duplicates by id (the later copy wins) and orders oldest first', () => {
    const a = msg('p1', 10);
    const b = msg('p1', -10);
    const sameTime = [msg('p1', 0), msg('p1', 0)];
    const thread = threadFor('p1', [a, sameTime[1], b, sameTime[0], { ...a, body: 'edited' }], new Set());
    assert.deepEqual(ids(thread.messages), [b.id, sameTime[0].id, sameTime[1].id, a.id]);
    assert.equal(thread.messages[3].body, 'edited');
  });

  it('groups by participant, newest conversation first, with unread ids per conversation', () => {
    const p1Old = msg('p1', 0, { studyId: 's1' });
    const p2 = msg('p2', 30, { studyId: 's2', category: 'feedback' });
    const p1New = msg('p1', 60, { studyId: 's3' });
    const p3 = msg('p3', 45);
    const conversations = groupConversations([p2, p1New, p3, p1Old, p2], new Set([p1New.id, p3.id, 'elsewhere']), ME);
    assert.deepEqual(
      conversations.map((c) => ({ participantId: c.participantId, ids: ids(c.messages), unreadIds: c.unreadIds, studyId: c.studyId })),
      [
        { participantId: 'p1', ids: [p1Old.id, p1New.id], unreadIds: [p1New.id], studyId: 's3' },
        { participantId: 'p3', ids: [p3.id], unreadIds: [p3.id], studyId: null },
        { participantId: 'p2', ids: [p2.id], unreadIds: [], studyId: 's2' },
      ],
    );
  });

  it("leaves out the researcher's own messages that cannot be attributed, unless ownerOf knows", () => {
    const question = msg('p1', 0);
    const reply = msg(ME, 10);
    const lone = msg(ME, 20);
    assert.deepEqual(
      groupConversations([question, reply, lone], new Set(), ME).map((c) => [c.participantId, ids(c.messages)]),
      [['p1', [question.id]]],
    );
    const owners: Record<string, string> = { [reply.id]: 'p1', [lone.id]: 'p9' };
    assert.deepEqual(
      groupConversations([question, reply, lone], new Set(), ME, (m) => owners[m.id]).map((c) => [c.participantId, ids(c.messages)]),
      [
        ['p9', [lone.id]],
        ['p1', [question.id, reply.id]],
      ],
    );
  });

  it('ownerOf wins over the sender; a non-string hint is ignored', () => {
    const m = msg('p1', 0);
    assert.equal(groupConversations([m], new Set(), ME, () => 'p2')[0].participantId, 'p2');
    const inherited = { ...msg('p1', 0), id: '__proto__' };
    const plain: Record<string, string> = {};
    assert.equal(groupConversations([inherited], new Set(), ME, (x) => plain[x.id])[0].participantId, 'p1');
  });

  it('with myId unknown every sender counts as a participant', () => {
    assert.deepEqual(
      groupConversations([msg(ME, 0), msg('p1', 1)], new Set(), null).map((c) => c.participantId),
      ['p1', ME],
    );
  });

  it('nothing in, nothing out', () => {
    assert.deepEqual(groupConversations([], new Set(['x']), ME), []);
    assert.deepEqual(threadFor('p1', [], new Set()), {
      participantId: 'p1',
      messages: [],
      unreadIds: [],
      readHereIds: [],
      studyId: null,
      category: null,
      channelId: null,
    });
  });
});

describe('preview', () => {
  it('one line, whitespace collapsed, trimmed', () => {
    assert.equal(preview('  Hello\n\n  there,\tfriend\r\n', 100), 'Hello there, friend');
    assert.equal(preview('a\u2028b\u0085c\u0000d', 100), 'a b c d');
  });

  it('short text is unchanged; long text ends in … within max', () => {
    assert.equal(preview('exactly ten', 11), 'exactly ten');
    assert.equal(preview('exactly ten!', 11), 'exactly te…');
    assert.equal(preview('word and more', 6), 'word…', 'no space before the …');
    assert.equal(preview('abc', 1), '…');
    assert.equal(preview('abc', 0), '');
  });

  it('never splits an emoji, and removes bidi overrides', () => {
    assert.equal(preview('ok 👍🏽🧠 done', 5), 'ok 👍🏽…');
    assert.equal(preview('👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦', 2), '👨‍👩‍👧‍👦…');
    assert.equal(preview('pay \u202egnp.exe\u202c now', 100), 'pay gnp.exe now');
  });

  it('markup is just text here', () => {
    assert.equal(preview("<script>alert('x')</script>\nHi", 100), "<script>alert('x')</script> Hi");
  });
});

describe('messageCache', () => {
  function frozen(cache: CacheFile): CacheFile {
    Object.freeze(cache.messages);
    Object.freeze(cache.owners);
    return Object.freeze(cache);
  }

  it('merging a thread attributes every message to its participant, without changing the input', () => {
    const before = frozen(emptyCache(ME));
    const question = msg('p1', 0);
    const reply = msg(ME, 5);
    const after = mergeMessages(before, 'p1', [question, reply]);
    assert.deepEqual(before, emptyCache(ME));
    assert.deepEqual(cachedThread(after, 'p1'), [question, reply]);
    assert.equal(ownerOf(after, reply.id), 'p1');
    assert.equal(after.myId, ME);
    assert.equal(after.version, 1);
  });

  it('stores copies: changing a merged message later does not change the cache', () => {
    const m = msg('p1', 0);
    const cache = mergeMessages(emptyCache(ME), null, [m]);
    m.body = 'changed';
    assert.notEqual(cache.messages[m.id].body, 'changed');
  });

  it('without a participant, a message belongs to its sender, unless the sender is the researcher', () => {
    const question = msg('p1', 0);
    const mine = msg(ME, 5);
    let cache = mergeMessages(emptyCache(ME), null, [question, mine]);
    assert.equal(ownerOf(cache, question.id), 'p1');
    assert.equal(ownerOf(cache, mine.id), undefined);
    assert.deepEqual(cachedThread(cache, 'p1'), [question]);
    assert.deepEqual(allCached(cache), [question, mine]);
    // Fetching the thread later places the reply, and a sender-less merge does not undo it.
    cache = mergeMessages(cache, 'p1', [mine]);
    cache = mergeMessages(cache, null, [mine]);
    assert.deepEqual(cachedThread(cache, 'p1'), [question, mine]);
  });

  it("with myId unknown, owners are not guessed; the sender's thread still shows their messages", () => {
    const question = msg('p1', 0);
    const cache = mergeMessages(emptyCache(null), null, [question]);
    assert.equal(ownerOf(cache, question.id), undefined);
    assert.deepEqual(cachedThread(cache, 'p1'), [question]);
  });

  it("keeps messages older than the API's 30 days when the API no longer returns them", () => {
    const old = msg('p1', -90 * 24 * 60);
    const oldReply = msg(ME, -89 * 24 * 60);
    let cache = mergeMessages(emptyCache(ME), 'p1', [old, oldReply]);
    const recent = msg('p1', 0);
    // Today the API returns only the last 30 days.
    cache = mergeMessages(cache, 'p1', [recent]);
    cache = mergeMessages(cache, null, [recent]);
    assert.deepEqual(cachedThread(cache, 'p1'), [old, oldReply, recent]);
    assert.ok(T0 - Date.parse(cachedThread(cache, 'p1')[0].createdAt) > 30 * DAY);
  });

  it('a newer copy of a message replaces the cached one; an explicit participant replaces a guessed owner', () => {
    const m = msg('p1', 0, { category: null });
    let cache = mergeMessages(emptyCache(ME), null, [m]);
    cache = mergeMessages(cache, 'p2', [{ ...m, category: 'feedback' }]);
    assert.equal(cache.messages[m.id].category, 'feedback');
    assert.equal(ownerOf(cache, m.id), 'p2');
    assert.equal(Object.keys(cache.messages).length, 1);
  });

  it('round-trips through serializeCache and parseCacheFile, bodies exact', () => {
    const bodies = ["<script>alert('xss')</script>Is the bonus coming? 🙏", 'Merci — 👍🏽🧠\n"quoted" \\ \u2028 \u0000'];
    const cache = mergeMessages(emptyCache(ME), 'p1', [
      msg('p1', 0, { body: bodies[0], studyId: 's' }),
      msg(ME, 1, { body: bodies[1], channelId: 'c' }),
    ]);
    const parsed = parseCacheFile(serializeCache(cache));
    assert.deepEqual(parsed, { cache, corrupt: false });
    assert.deepEqual(
      cachedThread(parsed.cache, 'p1').map((m) => m.body),
      bodies,
    );
  });

  it('keeps messages read here while Prolific counts them unread, and forgets them after', () => {
    const [a, b, c] = [msg('p1', 0), msg('p1', 1), msg('p2', 2)];
    let cache = mergeMessages(emptyCache(ME), null, [a, b, c]);
    const unread = new Set([a.id, b.id, c.id]);
    cache = withReadHere(cache, [a.id, b.id], unread);
    assert.deepEqual(cache.readHere, [a.id, b.id]);
    const [p2, p1] = groupConversations(allCached(cache), unread, ME, undefined, new Set(cache.readHere));
    assert.deepEqual([p1.unreadIds, p1.readHereIds, p2.unreadIds, p2.readHereIds], [[], [a.id, b.id], [c.id], []]);
    // Survives a merge and the file, then goes once Prolific no longer reports it unread.
    cache = mergeMessages(cache, null, [{ ...a, body: 'edited' }]);
    assert.deepEqual(parseCacheFile(serializeCache(cache)), { cache, corrupt: false });
    assert.deepEqual(withReadHere(cache, [], new Set([b.id, c.id])).readHere, [b.id]);
  });

  it('reads a file without the read list (older release) as nothing read here; a bad list is reported', () => {
    const m = msg('p1', 0);
    const older = JSON.stringify({ version: 1, myId: ME, messages: { [m.id]: m }, owners: {} });
    assert.deepEqual(parseCacheFile(older), { cache: { ...mergeMessages(emptyCache(ME), null, [m]), owners: {} }, corrupt: false });
    const bad = parseCacheFile(JSON.stringify({ version: 1, myId: ME, messages: { [m.id]: m }, owners: {}, readHere: [m.id, 'ghost', 3] }));
    assert.deepEqual([bad.cache.readHere, bad.problem], [[m.id], '2 unreadable read entries left out']);
  });

  it('an id like "__proto__" is an ordinary key everywhere', () => {
    const m = { ...msg('p1', 0), id: '__proto__' };
    const cache = mergeMessages(emptyCache(ME), 'p1', [m]);
    assert.deepEqual(allCached(cache), [m]);
    assert.equal(ownerOf(cache, '__proto__'), 'p1');
    assert.equal(ownerOf(emptyCache(ME), '__proto__'), undefined);
    const parsed = parseCacheFile(serializeCache(cache));
    assert.equal(parsed.corrupt, false);
    assert.deepEqual(cachedThread(parsed.cache, 'p1'), [m]);
    assert.equal(({} as Record<string, unknown>).senderId, undefined, 'Object.prototype untouched');
  });

  it('empty text (no file yet) is an empty cache, not a corrupt one', () => {
    assert.deepEqual(parseCacheFile(''), { cache: emptyCache(), corrupt: false });
    assert.deepEqual(parseCacheFile(' \n'), { cache: emptyCache(), corrupt: false });
  });

  it('unreadable files give an empty cache flagged corrupt, and never throw', () => {
    const cases: [string, RegExp][] = [
      ['{"version":1,', /not valid JSON/],
      ['null', /not hold a cache object/],
      ['[1,2]', /not hold a cache object/],
      ['"text"', /not hold a cache object/],
      ['{"myId":null,"messages":{},"owners":{}}', /version none, not 1/],
      ['{"version":2,"myId":null,"messages":{},"owners":{}}', /version 2, not 1/],
      ['{"version":"1","myId":null,"messages":{},"owners":{}}', /version "1", not 1/],
    ];
    for (const [text, problem] of cases) {
      const parsed = parseCacheFile(text);
      assert.deepEqual(parsed.cache, emptyCache(), text);
      assert.equal(parsed.corrupt, true, text);
      assert.match(parsed.problem ?? '', problem, text);
    }
  });

  it('a bad entry loses only itself', () => {
    const good = msg('p1', 0);
    const text = JSON.stringify({
      version: 1,
      myId: ME,
      messages: {
        [good.id]: good,
        wrongKey: { ...good, id: 'other' },
        noSender: { ...good, id: 'noSender', senderId: undefined },
        badTime: { ...good, id: 'badTime', createdAt: 'soon' },
        notAMessage: 42,
      },
      owners: { [good.id]: 'p1', wrongKey: 'p1', ghost: 'p1', empty: '', numeric: 5 },
      future: 'ignored',
    });
    const parsed = parseCacheFile(text);
    assert.equal(parsed.corrupt, true);
    assert.equal(parsed.problem, '4 unreadable messages left out; 4 unreadable owner entries left out');
    assert.deepEqual(parsed.cache, { version: 1, myId: ME, messages: { [good.id]: good }, owners: { [good.id]: 'p1' }, readHere: [] });
  });

  it('optional fields missing from an older file read as null; an unreadable myId becomes null', () => {
    const { id, senderId, body, createdAt } = msg('p1', 0);
    const parsed = parseCacheFile(
      JSON.stringify({ version: 1, myId: 7, messages: { [id]: { id, senderId, body, createdAt } }, owners: [] }),
    );
    assert.equal(parsed.corrupt, true);
    assert.equal(parsed.problem, 'the account ID is unreadable; the owner list is unreadable');
    assert.deepEqual(parsed.cache.messages[id], { id, senderId, body, createdAt, channelId: null, studyId: null, category: null });
    assert.equal(parsed.cache.myId, null);
    assert.deepEqual(readStoredMessage({ id, senderId, body, createdAt, studyId: 3 }), null);
  });
});
