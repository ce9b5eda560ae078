// The Prolific API client: one method per endpoint the extension calls, with its path, its
// arguments checked before any request, and its answer's schema. It knows nothing of VS Code,
// and nothing of sockets: each request goes through the HTTP exchange (http.ts), which never
// retries, never follows redirects and turns every failure into a ProlificApiError.
import * as z from 'zod/mini';
import { checkArgument, PATH_SEGMENT } from './clientArguments';
import { ConversationsApi } from './conversationsApi';
import { HttpExchange, type Call, type HttpOptions } from './http';
import { normalizeMessage } from './messages';
import type { InboxMessage } from './messageTypes';
import {
  Message,
  MessageList,
  Page,
  GroupMember,
  ParticipantGroup,
  SendBulkRequest,
  SendGroupRequest,
  SendMessageRequest,
  Study,
  Submission,
  User,
  Workspace,
} from './schemas';

/** Where the client sends its requests, with which token, deadline and log (see HttpOptions). */
export type ProlificClientOptions = HttpOptions;

export class ProlificClient {
  private readonly http: HttpExchange;
  /** The newer endpoints: conversations and broadcasts (see conversationsApi.ts). */
  readonly conversations: ConversationsApi;

  constructor(options: ProlificClientOptions) {
    this.http = new HttpExchange(options);
    this.conversations = new ConversationsApi(this.http, (first) => this.readMessages(first));
  }

  async getMe(signal?: AbortSignal): Promise<User> {
    return this.http.perform(this.http.call('GET', '/api/v1/users/me/', { signal }), User);
  }

  /** Every study the token can see, all pages. */
  async listStudies(signal?: AbortSignal): Promise<Study[]> {
    return this.listAll(this.http.call('GET', '/api/v1/studies/', { signal }), Study);
  }

  /** Resolves on any 2xx (the API answers 204); the body is not read. */
  async sendMessage(message: SendMessageRequest, signal?: AbortSignal): Promise<void> {
    // Parsing also drops extra properties, so only the three documented fields are posted.
    const body = checkArgument('sendMessage', SendMessageRequest, message);
    await this.http.perform(this.http.call('POST', '/api/v1/messages/', { body, signal }), undefined);
  }

  /** One request for all the IDs; splitting a long list into batches is the caller's job. Resolves on any 2xx. */
  async sendBulk(message: SendBulkRequest, signal?: AbortSignal): Promise<void> {
    const body = checkArgument('sendBulk', SendBulkRequest, message);
    await this.http.perform(this.http.call('POST', '/api/v1/messages/bulk/', { body, signal }), undefined);
  }

  /** Resolves on any 2xx. A 404 names the group (ProlificApiError.resource). */
  async sendToGroup(message: SendGroupRequest, signal?: AbortSignal): Promise<void> {
    const body = checkArgument('sendToGroup', SendGroupRequest, message);
    const resource = { kind: 'participantGroup', id: body.participant_group_id } as const;
    await this.http.perform(this.http.call('POST', '/api/v1/messages/participant-group/', { body, resource, signal }), undefined);
  }

  /** Unread messages received by the researcher (docs/prolific-api/messages.md § 5), all pages. Reading them does not mark them read. */
  async getUnreadMessages(signal?: AbortSignal): Promise<InboxMessage[]> {
    return this.readMessages(this.http.call('GET', '/api/v1/messages/unread/', { signal }));
  }

  /**
   * Messages with one participant (`userId`), or with everyone since `createdAfter`, or both
   * (docs/prolific-api/messages.md § 1), all pages. The API serves only the last 30 days. Messages come back in
   * the server's order, not de-duplicated; see src/features/inbox/conversations.ts.
   */
  async getMessages(query: { userId?: string; createdAfter?: Date }, signal?: AbortSignal): Promise<InboxMessage[]> {
    const params = new URLSearchParams();
    if (query.userId !== undefined) {
      if (!PATH_SEGMENT.test(query.userId)) throw new TypeError('getMessages was called with an invalid user ID.');
      params.set('user_id', query.userId);
    }
    if (query.createdAfter !== undefined) params.set('created_after', apiTime(query.createdAfter));
    // The API answers 400 to neither; refusing here costs no request.
    if (params.size === 0) throw new TypeError('getMessages needs a userId or a createdAfter.');
    return this.readMessages(this.http.call('GET', '/api/v1/messages/', { query: params, signal }));
  }

  /** One study. A 404 names the study (ProlificApiError.resource). */
  async getStudy(studyId: string, signal?: AbortSignal): Promise<Study> {
    if (!PATH_SEGMENT.test(studyId)) throw new TypeError('getStudy was called with an invalid study ID.');
    const resource = { kind: 'study', id: studyId } as const;
    return this.http.perform(this.http.call('GET', `/api/v1/studies/${studyId}/`, { resource, signal }), Study);
  }

  /** Every submission of the study, all pages. A 404 names the study (ProlificApiError.resource). */
  async listSubmissions(studyId: string, signal?: AbortSignal): Promise<Submission[]> {
    if (!PATH_SEGMENT.test(studyId)) throw new TypeError('listSubmissions was called with an invalid study ID.');
    const resource = { kind: 'study', id: studyId } as const;
    return this.listAll(this.http.call('GET', `/api/v1/studies/${studyId}/submissions/`, { resource, signal }), Submission);
  }

  /** Every workspace the token can see, all pages. */
  async listWorkspaces(signal?: AbortSignal): Promise<Workspace[]> {
    return this.listAll(this.http.call('GET', '/api/v1/workspaces/', { signal }), Workspace);
  }

  /**
   * The workspace's participant groups (deleted ones included; see is_deleted), all pages. A 404
   * names the workspace (ProlificApiError.resource).
   */
  async listParticipantGroups(workspaceId: string, signal?: AbortSignal): Promise<ParticipantGroup[]> {
    const query = new URLSearchParams({ workspace_id: workspaceId });
    const resource = { kind: 'workspace', id: workspaceId } as const;
    return this.listAll(this.http.call('GET', '/api/v1/participant-groups/', { query, resource, signal }), ParticipantGroup);
  }

  /** One participant group (is_deleted says whether it was deleted). A 404 names the group (ProlificApiError.resource). */
  async getParticipantGroup(groupId: string, signal?: AbortSignal): Promise<ParticipantGroup> {
    if (!PATH_SEGMENT.test(groupId)) throw new TypeError('getParticipantGroup was called with an invalid group ID.');
    const resource = { kind: 'participantGroup', id: groupId } as const;
    return this.http.perform(this.http.call('GET', `/api/v1/participant-groups/${groupId}/`, { resource, signal }), ParticipantGroup);
  }

  /** The group's members (docs/prolific-api/related.md § 5), all pages. A 404 names the group (ProlificApiError.resource). */
  async listParticipantGroupMembers(groupId: string, signal?: AbortSignal): Promise<GroupMember[]> {
    if (!PATH_SEGMENT.test(groupId)) throw new TypeError('listParticipantGroupMembers was called with an invalid group ID.');
    const resource = { kind: 'participantGroup', id: groupId } as const;
    return this.listAll(this.http.call('GET', `/api/v1/participant-groups/${groupId}/participants/`, { resource, signal }), GroupMember);
  }

  private listAll<T>(first: Call, item: z.ZodMiniType<T>): Promise<T[]> {
    return this.http.readPages(first, Page(item), (page) => page.results ?? []);
  }

  /**
   * Reads a message list, all pages. A message that cannot be read (no sender, no time, ...) is
   * dropped and the rest kept, so one odd message cannot hide the whole inbox; the log says how
   * many were dropped. If every message of a page is unreadable the format has changed, and that
   * is an error rather than an inbox that looks empty.
   */
  private readMessages(first: Call): Promise<InboxMessage[]> {
    return this.http.readPages(
      first,
      InboxPage,
      (page) => page.messages,
      ({ dropped }) =>
        dropped ? `${plural(dropped, 'message')} could not be read and ${dropped === 1 ? 'was' : 'were'} left out.` : undefined,
    );
  }
}

/** One page of a message list, normalised, with its links; see readMessages. */
const InboxPage = z.pipe(
  MessageList,
  z.transform((list, ctx) => {
    const results = list.results ?? [];
    const messages: InboxMessage[] = [];
    for (const item of results) {
      const message = normalizeMessage(item);
      if (message) messages.push(message);
    }
    if (results.length > 0 && messages.length === 0) {
      // Name what is wrong with the first one, as for any other invalid answer.
      const issues = Message.safeParse(results[0]).error?.issues ?? [];
      for (const issue of issues)
        ctx.issues.push({ ...issue, input: results[0], path: ['results', 0, ...issue.path] } as z.core.$ZodRawIssue);
      if (issues.length === 0) ctx.issues.push({ code: 'custom', message: 'no message could be read', input: results, path: ['results'] });
      return z.NEVER;
    }
    return { messages, dropped: results.length - messages.length, _links: list._links, next: list.next };
  }),
);

/**
 * created_after as `YYYY-MM-DDTHH:MM:SSZ`, the form Prolific's own tooling sends (docs/prolific-api/messages.md § 1).
 * Milliseconds are cut, which moves the bound earlier: at worst a message is fetched twice
 * (callers de-duplicate by id), never missed.
 */
function apiTime(date: Date): string {
  const time = date instanceof Date && !Number.isNaN(date.getTime()) ? date.toISOString() : '';
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(time))
    throw new TypeError('getMessages was called with an invalid createdAfter date.');
  return time.replace(/\.\d{3}Z$/, 'Z');
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}
