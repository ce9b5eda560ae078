// The Prolific API endpoints the extension uses, answered from seed data plus whatever was sent.
// Behaviour follows docs/prolific-api/*.md; where the docs and the real API disagree, the
// real API wins (e.g. `datetime_created`, `sender` on /messages/unread/).
import type { SentMessage } from './server';
import type { ParticipantGroup, SeedData, StoredMessage, StudyStatus } from './seed';
import {
  conversationMessages,
  getBroadcast,
  listBroadcasts,
  listConversations,
  renderMessage,
  sendBroadcast,
  sendIntoConversation,
  startConversation,
  type FakeBroadcast,
  type FakeConversation,
} from './conversations';
import { deliver, invalidStudy, knownStudy, threadId } from './store';
import { ID_PATTERN, Fields, noContent, ok, readObject, type Ctx, type Handler } from './requests';
import { flatError, methodNotAllowed, nestedError, notFound, type ApiResponse } from './responses';

export interface ApiState {
  readonly seed: SeedData;
  /** Seed messages plus everything sent since the last reset. */
  messages: StoredMessage[];
  readonly sent: SentMessage[];
  readonly token: string;
  /** More tokens accepted as the same researcher's (see FakeProlific.acceptToken). */
  readonly otherTokens: Set<string>;
  /** For the absolute URLs in `_links` and `next`. */
  readonly baseUrl: string;
  /** Whether the newer endpoints answer (conversations.ts); off, they answer 404 as in a workspace without them. */
  conversationsEnabled: boolean;
  /** Conversations started through the API and by broadcasts, and one of somebody else's (for the 404). */
  conversations: FakeConversation[];
  broadcasts: FakeBroadcast[];
}

export interface ApiRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  rawBody: string;
}

/** The only figure Prolific states (on the broadcast page): 4,000 recipients by default. */
export const MAX_BULK_RECIPIENTS = 4000;
const DEFAULT_PAGE_SIZE = 20;
/**
 * Smaller than the seed, so a client that reads only the first page of these lists misses some.
 * Prolific documents no paging for them (docs/prolific-api/related.md § 3, § 8), but the CLI decodes `_links` from
 * both answers, so a client cannot count on one page.
 */
export const STUDIES_PAGE_SIZE = 3;
export const MESSAGES_PAGE_SIZE = 5;

const routes: { pattern: RegExp; handlers: Record<string, Handler> }[] = [
  { pattern: /^\/api\/v1\/users\/me\/$/, handlers: { GET: getMe } },
  { pattern: /^\/api\/v1\/workspaces\/$/, handlers: { GET: listWorkspaces } },
  { pattern: /^\/api\/v1\/studies\/$/, handlers: { GET: listStudies } },
  { pattern: /^\/api\/v1\/studies\/([^/]+)\/$/, handlers: { GET: getStudy } },
  { pattern: /^\/api\/v1\/studies\/([^/]+)\/submissions\/$/, handlers: { GET: listSubmissions } },
  { pattern: /^\/api\/v1\/participant-groups\/$/, handlers: { GET: listGroups } },
  { pattern: /^\/api\/v1\/participant-groups\/([^/]+)\/$/, handlers: { GET: getGroup } },
  { pattern: /^\/api\/v1\/participant-groups\/([^/]+)\/participants\/$/, handlers: { GET: listGroupMembers } },
  { pattern: /^\/api\/v1\/messages\/$/, handlers: { GET: listMessages, POST: sendMessage } },
  { pattern: /^\/api\/v1\/messages\/unread\/$/, handlers: { GET: listUnread } },
  { pattern: /^\/api\/v1\/messages\/bulk\/$/, handlers: { POST: sendBulk } },
  { pattern: /^\/api\/v1\/conversations\/$/, handlers: { GET: listConversations, POST: startConversation } },
  { pattern: /^\/api\/v1\/conversations\/([^/]+)\/messages\/$/, handlers: { GET: conversationMessages } },
  { pattern: /^\/api\/v1\/broadcasts\/$/, handlers: { GET: listBroadcasts, POST: sendBroadcast } },
  { pattern: /^\/api\/v1\/broadcasts\/([^/]+)\/$/, handlers: { GET: getBroadcast } },
  { pattern: /^\/api\/v1\/messages\/participant-group\/$/, handlers: { POST: sendToGroup } },
];

export function handleApi(state: ApiState, req: ApiRequest): ApiResponse {
  for (const route of routes) {
    const match = route.pattern.exec(req.path);
    if (!match) continue;
    // Like Django REST framework: URL routing first (unknown path → 404 even without a token),
    // then authentication, then the method check.
    const authError = authenticate(state, req.headers['authorization']);
    if (authError) return authError;
    const handler = route.handlers[req.method];
    if (!handler) return methodNotAllowed(req.method, Object.keys(route.handlers));
    return handler({ state, req, params: match.slice(1) });
  }
  return notFound();
}

function authenticate(state: ApiState, header: string | undefined): ApiResponse | undefined {
  const challenge = { 'WWW-Authenticate': 'Token' };
  if (header === undefined || header === '') return flatError(401, 'Authentication credentials were not provided.', challenge);
  const token = header.startsWith('Token ') ? header.slice('Token '.length) : undefined;
  if (token === undefined || (token !== state.token && !state.otherTokens.has(token))) return flatError(401, 'Invalid token.', challenge);
  return undefined;
}

// ---- messages --------------------------------------------------------------------------------

function sendMessage({ state, req }: Ctx): ApiResponse {
  const parsed = readObject(req);
  if ('error' in parsed) return parsed.error;
  const fields = new Fields(parsed.data);
  if (state.conversationsEnabled && fields.has('conversation_id')) {
    // Into a thread: the conversation says to whom and about which study.
    const body = fields.text('body');
    if (!fields.valid || !body) return nestedError(400, fields.errors);
    return sendIntoConversation(state, parsed.data['conversation_id'], body);
  }
  const recipient = fields.id('recipient_id');
  const body = fields.text('body');
  const study = fields.id('study_id');
  if (!fields.valid || !recipient || !body || !study) return nestedError(400, fields.errors);
  if (!knownStudy(state, study)) return invalidStudy();
  deliver(state, [recipient], body, study, 'single');
  return noContent();
}

function sendBulk({ state, req }: Ctx): ApiResponse {
  const parsed = readObject(req);
  if ('error' in parsed) return parsed.error;
  const fields = new Fields(parsed.data);
  const ids = fields.idList('ids');
  const body = fields.text('body');
  const study = fields.id('study_id');
  if (!fields.valid || !ids || !body || !study) return nestedError(400, fields.errors);
  if (ids.length > MAX_BULK_RECIPIENTS) {
    return nestedError(400, `Too many recipients: ${ids.length}. The limit is ${MAX_BULK_RECIPIENTS} per message.`);
  }
  if (!knownStudy(state, study)) return invalidStudy();
  deliver(state, ids, body, study, 'bulk');
  return noContent();
}

function sendToGroup({ state, req }: Ctx): ApiResponse {
  const parsed = readObject(req);
  if ('error' in parsed) return parsed.error;
  const fields = new Fields(parsed.data);
  const groupId = fields.id('participant_group_id');
  const body = fields.text('body');
  const study = fields.id('study_id', true);
  if (!fields.valid || !groupId || !body || study === undefined) return nestedError(400, fields.errors);
  const group = findGroup(state, groupId);
  if (!group) return notFound();
  if (study !== null && !knownStudy(state, study)) return invalidStudy();
  deliver(
    state,
    group.members.map((m) => m.participant_id),
    body,
    study,
    'group',
  );
  return noContent();
}

function otherParty(state: ApiState, m: StoredMessage): string {
  return m.senderId === state.seed.researcher.id ? m.recipientId : m.senderId;
}

function byTime(a: StoredMessage, b: StoredMessage): number {
  return Date.parse(a.createdAt) - Date.parse(b.createdAt);
}

function listMessages(ctx: Ctx): ApiResponse {
  const { state, req } = ctx;
  const userId = req.query['user_id'] || undefined;
  const createdAfter = req.query['created_after'] || undefined;
  if (!userId && !createdAfter) return nestedError(400, 'Either user_id or created_after must be provided.');
  const errors: Record<string, string[]> = {};
  if (userId && !ID_PATTERN.test(userId)) errors['user_id'] = [`"${userId}" is not a valid ID.`];
  const after = createdAfter === undefined ? undefined : Date.parse(createdAfter);
  if (after !== undefined && Number.isNaN(after)) errors['created_after'] = ['Enter a valid date/time.'];
  if (Object.keys(errors).length > 0) return nestedError(400, errors);

  const results = state.messages
    .filter((m) => (userId === undefined || otherParty(state, m) === userId) && (after === undefined || Date.parse(m.createdAt) > after))
    .sort(byTime)
    .map(renderMessage);
  return ok(paged(ctx, results, MESSAGES_PAGE_SIZE));
}

function listUnread(ctx: Ctx): ApiResponse {
  const { state } = ctx;
  const results = state.messages
    .filter((m) => m.unread && m.recipientId === state.seed.researcher.id)
    .sort(byTime)
    .map((m) => ({
      id: m.id,
      sender: m.senderId,
      body: m.body,
      datetime_created: m.createdAt,
      type: 'message',
      channel_id: threadId(m),
      data: { study_id: m.studyId, category: m.category },
    }));
  return ok(paged(ctx, results, MESSAGES_PAGE_SIZE));
}

// ---- account, studies, submissions -----------------------------------------------------------

function getMe({ state }: Ctx): ApiResponse {
  return ok(state.seed.researcher);
}

interface Link {
  href: string | null;
  title: string;
}

function pageUrl({ state, req }: Ctx, paging?: { limit: number; offset: number }): string {
  const url = new URL(req.path, state.baseUrl);
  for (const [key, value] of Object.entries(req.query)) url.searchParams.set(key, value);
  if (paging) {
    url.searchParams.set('limit', String(paging.limit));
    url.searchParams.set('offset', String(paging.offset));
  }
  return url.toString();
}

/** A non-negative integer, or undefined; invalid values fall back to the default as in DRF's LimitOffsetPagination. */
function intParam(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** The legacy `_links` + `meta` envelope, paged by `limit`/`offset` (`pageSize` when no limit is asked). */
function paged<T>(
  ctx: Ctx,
  items: T[],
  pageSize = DEFAULT_PAGE_SIZE,
): { results: T[]; _links: Record<string, Link>; meta: { count: number } } {
  const requested = intParam(ctx.req.query['limit']);
  const limit = requested !== undefined && requested > 0 ? requested : pageSize;
  const offset = intParam(ctx.req.query['offset']) ?? 0;
  const count = items.length;
  const at = (o: number): string => pageUrl(ctx, { limit, offset: o });
  return {
    results: items.slice(offset, offset + limit),
    _links: {
      self: { href: at(offset), title: 'Current page' },
      next: { href: offset + limit < count ? at(offset + limit) : null, title: 'Next page' },
      previous: { href: offset > 0 ? at(Math.max(0, offset - limit)) : null, title: 'Previous page' },
      last: { href: at(count === 0 ? 0 : Math.floor((count - 1) / limit) * limit), title: 'Last page' },
    },
    meta: { count },
  };
}

function listStudies(ctx: Ctx): ApiResponse {
  const state = ctx.req.query['state'];
  let studies = ctx.state.seed.studies;
  if (state) {
    // Accepts "ACTIVE", "awaiting_review" and the docs' "(active|completed)" form.
    const wanted = new Set(
      state
        .replace(/[()]/g, '')
        .split(/[|,]/)
        .map((s) => s.trim().toUpperCase().replace(/_/g, ' ') as StudyStatus),
    );
    studies = studies.filter((s) => wanted.has(s.status));
  }
  return ok(paged(ctx, studies, STUDIES_PAGE_SIZE));
}

function getStudy({ state, params }: Ctx): ApiResponse {
  const study = state.seed.studies.find((s) => s.id === params[0]);
  return study ? ok(study) : notFound();
}

function listSubmissions(ctx: Ctx): ApiResponse {
  const submissions = ctx.state.seed.submissions[ctx.params[0]];
  return submissions ? ok(paged(ctx, submissions)) : notFound();
}

// ---- workspaces and participant groups -------------------------------------------------------

function listWorkspaces(ctx: Ctx): ApiResponse {
  return ok(paged(ctx, ctx.state.seed.workspaces));
}

function findGroup(state: ApiState, id: string): ParticipantGroup | undefined {
  return state.seed.groups.find((g) => g.id === id);
}

function renderGroup(g: ParticipantGroup): Record<string, unknown> {
  return {
    id: g.id,
    name: g.name,
    workspace_id: g.workspace_id,
    project_id: g.project_id,
    organisation_id: g.organisation_id,
    description: g.description,
    participant_count: g.members.length,
    is_deleted: g.is_deleted,
    feeder_studies: [],
  };
}

function listGroups(ctx: Ctx): ApiResponse {
  const { state, req } = ctx;
  const workspaceId = req.query['workspace_id'] || undefined;
  const projectId = req.query['project_id'] || undefined;
  // The spec's required `filter` is oneOf {workspace_id} | {project_id}, sent flat in the query.
  if (!workspaceId && !projectId) return nestedError(400, { workspace_id: ['This field is required (or give project_id).'] });
  const errors: Record<string, string[]> = {};
  if (workspaceId && !ID_PATTERN.test(workspaceId)) errors['workspace_id'] = [`"${workspaceId}" is not a valid ID.`];
  if (projectId && !ID_PATTERN.test(projectId)) errors['project_id'] = [`"${projectId}" is not a valid ID.`];
  if (Object.keys(errors).length > 0) return nestedError(400, errors);
  if (workspaceId && !state.seed.workspaces.some((w) => w.id === workspaceId)) return flatError(404, 'workspace not found');

  const active = req.query['active'];
  const groups = state.seed.groups.filter(
    (g) =>
      (!workspaceId || g.workspace_id === workspaceId) &&
      (!projectId || g.project_id === projectId) &&
      (active === undefined || (active === 'true') === !g.is_deleted),
  );
  return ok(paged(ctx, groups.map(renderGroup)));
}

function getGroup({ state, params }: Ctx): ApiResponse {
  const group = findGroup(state, params[0]);
  return group ? ok(renderGroup(group)) : notFound();
}

function listGroupMembers({ state, params }: Ctx): ApiResponse {
  const group = findGroup(state, params[0]);
  return group ? ok({ results: group.members }) : notFound();
}
