// The on-disk message cache, which keeps threads readable after they leave the API's 30-day
// window. Only the merge and (de)serialisation live here, pure and immutable; reading and writing
// the file is the caller's job. Bodies are stored exactly as received: they are shown as text.
//
// Message IDs come from the server and are used as object keys, so records are only ever built
// with Object.fromEntries and read with Object.hasOwn: an id like "__proto__" stays a plain key.
import * as z from 'zod/mini';
import { isRecord } from '../../shared/guards';
import { oldestFirst } from './conversations';
import type { InboxMessage } from '../../prolific/messageTypes';
import { isoTime } from '../../prolific/schemas';

export interface CacheFile {
  version: 1;
  /** The researcher the cache belongs to; null until known. */
  myId: string | null;
  messages: Record<string, InboxMessage>;
  /** Participant each message belongs to, by message ID. */
  owners: Record<string, string>;
  /**
   * Messages the researcher opened here while Prolific still counted them unread. Prolific has no
   * mark-as-read endpoint, so they stay unread on Prolific's side; here they show as read.
   */
  readHere: string[];
}

export interface ParsedCache {
  cache: CacheFile;
  /** True when anything in the text was unusable and left out (or all of it). */
  corrupt: boolean;
  /** What was wrong, for the log. */
  problem?: string;
}

export function emptyCache(myId: string | null = null): CacheFile {
  return { version: 1, myId, messages: {}, owners: {}, readHere: [] };
}

/**
 * The cache with `messages` added; a message already cached is replaced by the new copy. Old
 * messages are never removed: that is the point of the cache. With a `participantId` (messages
 * fetched with `?user_id=`) every message is attributed to it. Without one, a message is
 * attributed to its sender only when `cache.myId` is known and is not the sender; the
 * researcher's own messages then keep whatever owner they had (see cachedThread).
 */
export function mergeMessages(cache: CacheFile, participantId: string | null, messages: InboxMessage[]): CacheFile {
  const byId = new Map(Object.entries(cache.messages));
  const owners = new Map(Object.entries(cache.owners));
  for (const message of messages) {
    // A copy, so a caller changing its array later cannot change the cache.
    byId.set(message.id, { ...message });
    if (participantId) owners.set(message.id, participantId);
    else if (!owners.has(message.id) && cache.myId !== null && message.senderId !== cache.myId) owners.set(message.id, message.senderId);
  }
  return { ...cache, messages: Object.fromEntries(byId), owners: Object.fromEntries(owners) };
}

/**
 * The cache with `ids` read here, keeping only those that Prolific still counts as `unread`: once
 * the participant's message is read on Prolific (or leaves the unread list), there is nothing to
 * remember, so the list never grows past the unread count.
 */
export function withReadHere(cache: CacheFile, ids: Iterable<string>, unread: ReadonlySet<string>): CacheFile {
  const readHere = [...new Set([...cache.readHere, ...ids])].filter((id) => unread.has(id));
  return { ...cache, readHere };
}

/** The participant a cached message belongs to, if recorded. */
export function ownerOf(cache: CacheFile, messageId: string): string | undefined {
  return Object.hasOwn(cache.owners, messageId) ? cache.owners[messageId] : undefined;
}

/**
 * Every cached message of one participant's thread, oldest first: those attributed to them, and
 * those without an owner that they sent (cached before the researcher's ID was known).
 */
export function cachedThread(cache: CacheFile, participantId: string): InboxMessage[] {
  return Object.values(cache.messages)
    .filter((m) => {
      const owner = ownerOf(cache, m.id);
      return owner === undefined ? m.senderId === participantId && m.senderId !== cache.myId : owner === participantId;
    })
    .sort(oldestFirst);
}

/** Every cached message, oldest first. */
export function allCached(cache: CacheFile): InboxMessage[] {
  return Object.values(cache.messages).sort(oldestFirst);
}

export function serializeCache(cache: CacheFile): string {
  const { version, myId, messages, owners, readHere } = cache;
  return JSON.stringify({ version, myId, messages, owners, readHere });
}

/**
 * Reads a cache file; never throws. Empty text (no file yet) is an empty cache and not corrupt.
 * Anything unreadable is left out and reported with `corrupt`: a file that is not JSON or of
 * another version gives an empty cache, a bad message or owner entry loses only itself. A
 * version other than 1 may come from a newer release: the caller may want to keep a copy
 * before writing over it.
 */
export function parseCacheFile(text: string): ParsedCache {
  if (text.trim() === '') return { cache: emptyCache(), corrupt: false };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return broken('the file is not valid JSON');
  }
  if (!isRecord(json)) return broken('the file does not hold a cache object');
  if (json.version !== 1) return broken(`the file has version ${clip(JSON.stringify(json.version) ?? 'none')}, not 1`);

  const problems: string[] = [];
  let myId: string | null = null;
  if (typeof json.myId === 'string' && json.myId !== '') myId = json.myId;
  else if (json.myId !== null) problems.push('the account ID is unreadable');

  const messages: [string, InboxMessage][] = [];
  const rawMessages = isRecord(json.messages) ? json.messages : {};
  if (!isRecord(json.messages)) problems.push('the message list is unreadable');
  let badMessages = 0;
  for (const [key, value] of Object.entries(rawMessages)) {
    const message = readStoredMessage(value);
    if (message && message.id === key) messages.push([key, message]);
    else badMessages++;
  }
  if (badMessages) problems.push(`${badMessages} unreadable message${badMessages === 1 ? '' : 's'} left out`);

  const ids = new Set(messages.map(([id]) => id));
  const owners: [string, string][] = [];
  const rawOwners = isRecord(json.owners) ? json.owners : {};
  if (!isRecord(json.owners)) problems.push('the owner list is unreadable');
  let badOwners = 0;
  for (const [id, owner] of Object.entries(rawOwners)) {
    if (typeof owner === 'string' && owner !== '' && ids.has(id)) owners.push([id, owner]);
    else badOwners++;
  }
  if (badOwners) problems.push(`${badOwners} unreadable owner entr${badOwners === 1 ? 'y' : 'ies'} left out`);

  // Absent in files written before read state was kept.
  const rawRead: unknown[] = json.readHere === undefined ? [] : Array.isArray(json.readHere) ? json.readHere : [];
  if (!Array.isArray(json.readHere) && json.readHere !== undefined) problems.push('the list of messages read here is unreadable');
  const readHere = rawRead.filter((id): id is string => typeof id === 'string' && ids.has(id));
  if (readHere.length < rawRead.length) problems.push(`${rawRead.length - readHere.length} unreadable read entries left out`);

  const cache: CacheFile = { version: 1, myId, messages: Object.fromEntries(messages), owners: Object.fromEntries(owners), readHere };
  return problems.length ? { cache, corrupt: true, problem: problems.join('; ') } : { cache, corrupt: false };
}

const nullableText = z.nullable(z.string());

/** InboxMessage as the cache stores it. Optional fields missing from an older file read as null. */
const StoredMessage = z.object({
  id: z.string().check(z.minLength(1)),
  senderId: z.string().check(z.minLength(1)),
  body: z.string(),
  createdAt: z.string(),
  channelId: z.optional(nullableText),
  studyId: z.optional(nullableText),
  category: z.optional(nullableText),
});

/** An InboxMessage read back from storage, or null when it is not one. */
export function readStoredMessage(raw: unknown): InboxMessage | null {
  const parsed = StoredMessage.safeParse(raw);
  if (!parsed.success) return null;
  const m = parsed.data;
  const createdAt = isoTime(m.createdAt);
  if (!createdAt) return null;
  return {
    id: m.id,
    senderId: m.senderId,
    body: m.body,
    createdAt,
    channelId: m.channelId ?? null,
    studyId: m.studyId ?? null,
    category: m.category ?? null,
  };
}

function broken(problem: string): ParsedCache {
  return { cache: emptyCache(), corrupt: true, problem };
}

function clip(text: string): string {
  return text.length > 20 ? `${text.slice(0, 19)}…` : text;
}
