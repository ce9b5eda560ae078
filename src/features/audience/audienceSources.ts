// Reading each kind of audience source: a study's submissions, a participant group, listed IDs, a
// workspace file and "messaged within". Every page of every list is read (the API client follows
// each next link); a source that cannot be read throws, with a sentence saying why. Pure: the API
// client, the files and the history come in through AudienceEnvironment, so the fake-server tests
// and the benchmark run it in plain Node.
import type { InboxMessage } from '../../prolific/messageTypes';
import type { GroupMember, ParticipantGroup, Study, Submission, User, Workspace } from '../../prolific/schemas';
import { l10n } from '../../shared/l10n';
import type { RecipientOutcome } from '../../shared/outcomes';
import { delimiterForFile, detectFileIdColumn, openCsv } from '../../shared/recipients/csv';
import { isHexId } from '../../shared/recipients/participantIds';
import { parseRecipientList, recipientsFromFile, type RecipientList } from '../../shared/recipients/recipientList';
import { canonicalStatus, type SourceSpec } from './audienceFormat';

/** What of the API client evaluation uses (ProlificClient has it all). */
export interface AudienceApi {
  getMe(signal?: AbortSignal): Promise<Pick<User, 'id'>>;
  listStudies(signal?: AbortSignal): Promise<Study[]>;
  getStudy(studyId: string, signal?: AbortSignal): Promise<Study>;
  listSubmissions(studyId: string, signal?: AbortSignal): Promise<Submission[]>;
  listWorkspaces(signal?: AbortSignal): Promise<Workspace[]>;
  listParticipantGroups(workspaceId: string, signal?: AbortSignal): Promise<ParticipantGroup[]>;
  getParticipantGroup(groupId: string, signal?: AbortSignal): Promise<ParticipantGroup>;
  listParticipantGroupMembers(groupId: string, signal?: AbortSignal): Promise<GroupMember[]>;
  getMessages(query: { userId?: string; createdAfter?: Date }, signal?: AbortSignal): Promise<InboxMessage[]>;
}

/** A send of the local history, as "messaged within" reads it. */
export interface SentRecord {
  /** ISO 8601. */
  time: string;
  outcomes: readonly RecipientOutcome[];
}

/** Who the inbox's local copy knows each message was with (see InboxService.knownParticipants). */
export interface KnownParticipants {
  byMessage: ReadonlyMap<string, string>;
  byChannel: ReadonlyMap<string, string>;
}

export interface AudienceEnvironment {
  api: AudienceApi;
  /** A workspace file's text by its workspace-relative path; throws an Error whose message says why it cannot be read. */
  readFile(path: string): Promise<string>;
  /** This computer's sent history: the runs started at or after `since` (ms since the epoch). */
  sentHistory(since: number): Promise<readonly SentRecord[]>;
  /** The inbox's local copy, if there is one. */
  knownParticipants?(): Promise<KnownParticipants>;
  /** Date.now(), replaceable in tests. */
  now?(): number;
  signal?: AbortSignal;
}

/** A source's participants (lower-case IDs, possibly repeated) and what else evaluation learnt. */
export interface SourceOutcome {
  ids: string[];
  /** Study sources: each participant's submission status ('' when Prolific gave none). */
  statusOf?: ReadonlyMap<string, string>;
  /** Study sources: the study read. Group sources: the group's name. */
  study?: { id: string; name: string };
  groupName?: string;
  /** Sentences about what was left out or could not be known. */
  warnings: string[];
  /** File sources: entries that are not participant IDs. */
  invalid?: string[];
}

/** A failure of our own wording (a file with no such column...), as opposed to the API client's. */
export class AudienceSourceError extends Error {}

/** Above this many participants to check, "messaged" does not ask Prolific about each one (one request each). */
export const PER_PARTICIPANT_LIMIT = 50;
const PER_PARTICIPANT_CONCURRENCY = 4;

/**
 * Lists that several sources may need, fetched once per evaluation: the researcher's studies (to
 * find one by name), workspaces and groups (a group by name), and who the researcher is.
 */
export class Lookups {
  private studies?: Promise<Study[]>;
  private groups?: Promise<ParticipantGroup[]>;
  private me?: Promise<string>;

  constructor(private readonly env: AudienceEnvironment) {}

  allStudies(): Promise<Study[]> {
    return (this.studies ??= this.env.api.listStudies(this.env.signal));
  }

  allGroups(): Promise<ParticipantGroup[]> {
    return (this.groups ??= this.env.api.listWorkspaces(this.env.signal).then(async (workspaces) => {
      const lists = await Promise.all(workspaces.map((w) => this.env.api.listParticipantGroups(w.id, this.env.signal)));
      return lists.flat();
    }));
  }

  myId(): Promise<string> {
    return (this.me ??= this.env.api.getMe(this.env.signal).then((u) => u.id));
  }

  /** A study by ID, or by its name or internal name (case-insensitive): exactly one must match. */
  async study(reference: string): Promise<{ id: string; name: string | undefined }> {
    if (isHexId(reference)) return { id: reference.toLowerCase(), name: undefined };
    const wanted = reference.toLowerCase();
    const all = await this.allStudies();
    const found = all.filter((s) => s.name.trim().toLowerCase() === wanted || s.internal_name?.trim().toLowerCase() === wanted);
    if (found.length === 1) return { id: found[0].id, name: found[0].name };
    if (found.length === 0)
      throw new AudienceSourceError(
        l10n.t('none of your {0} studies is named "{1}". Check the name, or use the study\'s ID.', all.length, reference),
      );
    throw new AudienceSourceError(
      l10n.t(
        '{0} of your studies are named "{1}" ({2}): use the ID of the one you mean.',
        found.length,
        reference,
        found.map((s) => s.id).join(', '),
      ),
    );
  }
}

export function readSource(
  source: SourceSpec,
  lookups: Lookups,
  env: AudienceEnvironment,
  /** For an exclude "messaged": the included participants, who may be looked up one by one. */
  candidates?: ReadonlySet<string>,
): Promise<SourceOutcome> {
  switch (source.kind) {
    case 'study':
      return readStudy(source, lookups, env);
    case 'group':
      return readGroup(source, lookups, env);
    case 'ids':
      return Promise.resolve({ ids: source.ids, warnings: [] });
    case 'file':
      return readFileSource(source, env);
    case 'messaged':
      return readMessaged(source, lookups, env, candidates);
  }
}

async function readStudy(
  source: Extract<SourceSpec, { kind: 'study' }>,
  lookups: Lookups,
  env: AudienceEnvironment,
): Promise<SourceOutcome> {
  const found = await lookups.study(source.study);
  // By ID, its name comes with the submissions (and an unknown ID fails both with the same 404).
  const [name, submissions] = await Promise.all([
    found.name ?? env.api.getStudy(found.id, env.signal).then((s) => s.name),
    env.api.listSubmissions(found.id, env.signal),
  ]);
  const wanted = source.statuses ? new Set<string>(source.statuses) : undefined;
  const ids: string[] = [];
  const statusOf = new Map<string, string>();
  for (const submission of submissions) {
    const status = submission.status ? (canonicalStatus(submission.status) ?? submission.status) : '';
    if (wanted && !wanted.has(status)) continue;
    const id = submission.participant_id.toLowerCase();
    ids.push(id);
    if (!statusOf.has(id)) statusOf.set(id, status);
  }
  return { ids, statusOf, study: { id: found.id, name }, warnings: [] };
}

async function readGroup(
  source: Extract<SourceSpec, { kind: 'group' }>,
  lookups: Lookups,
  env: AudienceEnvironment,
): Promise<SourceOutcome> {
  let group: ParticipantGroup;
  let members: GroupMember[];
  if (isHexId(source.group)) {
    [group, members] = await Promise.all([
      env.api.getParticipantGroup(source.group.toLowerCase(), env.signal),
      env.api.listParticipantGroupMembers(source.group.toLowerCase(), env.signal),
    ]);
  } else {
    group = await groupByName(source.group, lookups);
    members = await env.api.listParticipantGroupMembers(group.id, env.signal);
  }
  if (group.is_deleted) throw new AudienceSourceError(l10n.t('the participant group "{0}" ({1}) was deleted.', group.name, group.id));
  return { ids: members.map((m) => m.participant_id.toLowerCase()), groupName: group.name, warnings: [] };
}

async function groupByName(name: string, lookups: Lookups): Promise<ParticipantGroup> {
  const wanted = name.toLowerCase();
  const all = await lookups.allGroups();
  const named = all.filter((g) => g.name.trim().toLowerCase() === wanted);
  const live = named.filter((g) => !g.is_deleted);
  if (live.length === 1) return live[0];
  if (live.length > 1)
    throw new AudienceSourceError(
      l10n.t(
        '{0} of your participant groups are named "{1}" ({2}): use the ID of the one you mean.',
        live.length,
        name,
        live.map((g) => g.id).join(', '),
      ),
    );
  if (named.length > 0) return named[0]; // deleted: readGroup says so
  throw new AudienceSourceError(
    l10n.t('none of your {0} participant groups is named "{1}". Check the name, or use the group\'s ID.', all.length, name),
  );
}

async function readFileSource(source: Extract<SourceSpec, { kind: 'file' }>, env: AudienceEnvironment): Promise<SourceOutcome> {
  const text = await env.readFile(source.file);
  const name = source.file.split(/[\\/]/).pop() ?? source.file;
  let list: RecipientList;
  if (/\.(csv|tsv)$/i.test(name)) {
    const file = openCsv(text, delimiterForFile(name));
    const column = source.column === undefined ? detectFileIdColumn(file) : headerIndex(file.header, source.column);
    if (column < 0 && source.column !== undefined)
      throw new AudienceSourceError(
        l10n.t('{0} has no column "{1}"; its columns are: {2}.', source.file, source.column, file.header.join(', ')),
      );
    if (column < 0 && file.bodyStart < file.end)
      throw new AudienceSourceError(l10n.t('no column of {0} holds participant IDs: name the column with "column".', source.file));
    list = column < 0 ? { ids: [], invalid: [], duplicates: 0 } : recipientsFromFile(file, column);
  } else {
    if (source.column !== undefined)
      throw new AudienceSourceError(
        l10n.t('"column" applies to CSV and TSV files only; {0} is read for every participant ID in it.', source.file),
      );
    list = parseRecipientList(text);
  }
  const warnings =
    list.invalid.length === 0
      ? []
      : [
          list.invalid.length === 1
            ? l10n.t('1 entry is not a participant ID and was left out: {0}', list.invalid[0])
            : l10n.t(
                '{0} entries are not participant IDs and were left out: {1}',
                list.invalid.length,
                list.invalid.slice(0, 5).join(', '),
              ),
        ];
  return { ids: list.ids, warnings, invalid: list.invalid };
}

/** The column named `wanted`: exactly (trimmed), else ignoring case; -1 if none. */
function headerIndex(header: readonly string[], wanted: string): number {
  const exact = header.findIndex((h) => h.trim() === wanted);
  return exact >= 0 ? exact : header.findIndex((h) => h.trim().toLowerCase() === wanted.toLowerCase());
}

/**
 * Those the researcher messaged since `within` ago, from what can be known (a message names no
 * recipient, docs/prolific-api/messages.md § 1):
 * 1. this computer's sent history (sent, or failed in a way that may have delivered it);
 * 2. Prolific's record of the researcher's messages (GET /messages/?created_after=), each placed by
 *    the inbox's local copy (by message, or by its thread: channel_id) or by the participant's own
 *    messages in the same thread;
 * 3. when messages stay unplaced and the candidates (an exclude source's included participants) are
 *    at most PER_PARTICIPANT_LIMIT, each candidate's thread (GET /messages/?user_id=).
 * Beyond that limit, a warning says that some participants may have been messaged all the same.
 */
async function readMessaged(
  source: Extract<SourceSpec, { kind: 'messaged' }>,
  lookups: Lookups,
  env: AudienceEnvironment,
  candidates: ReadonlySet<string> | undefined,
): Promise<SourceOutcome> {
  const since = (env.now?.() ?? Date.now()) - source.withinMs;
  const createdAfter = new Date(since);
  const [myId, messages, known, history] = await Promise.all([
    lookups.myId(),
    env.api.getMessages({ createdAfter }, env.signal),
    env.knownParticipants?.() ?? Promise.resolve(undefined),
    env.sentHistory(since),
  ]);
  const messaged = new Set(sentLocally(history, since));
  const unplaced = placeMessages(messages, myId, known, messaged);
  const warnings: string[] = [];
  if (unplaced > 0) {
    const unknown = candidates ? [...candidates].filter((id) => !messaged.has(id)) : [];
    if (candidates && unknown.length <= PER_PARTICIPANT_LIMIT) {
      await eachLimited(unknown, PER_PARTICIPANT_CONCURRENCY, async (id) => {
        const thread = await env.api.getMessages({ userId: id, createdAfter }, env.signal);
        if (thread.some((m) => m.senderId === myId)) messaged.add(id);
      });
    } else {
      warnings.push(
        candidates
          ? l10n.t(
              '{0} of your messages in this time name no participant that could be worked out, and the {1} participants to check are more than the {2} asked about one by one: some of them may have been messaged all the same.',
              unplaced,
              unknown.length,
              PER_PARTICIPANT_LIMIT,
            )
          : l10n.t(
              '{0} of your messages in this time name no participant that could be worked out, so their recipients are not in this source.',
              unplaced,
            ),
      );
    }
  }
  return { ids: [...messaged], warnings };
}

/** Recipients of this computer's sends since `since`: those sent to, and those who may have received it. */
function sentLocally(history: readonly SentRecord[], since: number): string[] {
  const ids: string[] = [];
  for (const entry of history) {
    if (!(Date.parse(entry.time) >= since)) continue;
    for (const o of entry.outcomes)
      if (o.status === 'sent' || o.status === 'unknown' || (o.status === 'failed' && o.retryable !== true)) ids.push(o.id.toLowerCase());
  }
  return ids;
}

/** Adds the participant of each of the researcher's messages that can be placed; returns how many could not. */
function placeMessages(messages: readonly InboxMessage[], myId: string, known: KnownParticipants | undefined, into: Set<string>): number {
  const byChannel = new Map(known?.byChannel);
  for (const m of messages) if (m.senderId !== myId && m.channelId) byChannel.set(m.channelId, m.senderId);
  let unplaced = 0;
  for (const m of messages) {
    if (m.senderId !== myId) continue;
    const owner = known?.byMessage.get(m.id) ?? (m.channelId ? byChannel.get(m.channelId) : undefined);
    if (owner) into.add(owner.toLowerCase());
    else unplaced++;
  }
  return unplaced;
}

/** Runs `work` on each item, at most `limit` at once; rejects with the first failure. */
export async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
