// The fault matrix: every way the extension talks to Prolific (one message, a bulk list, a
// participant group, personalized messages, a broadcast, the inbox, checking a token) against every way the
// API can fail. For each cell: proof that the fault fired (the fake records the fault it applied;
// faults made with the base URL show in the client's log), what the user is told and offered, what
// is left to send, how many messages the server got, and a log line that never shows the token.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import * as vscode from 'vscode';
import { ProlificClient } from '../../src/prolific/client';
import type { Draft } from '../../src/shared/draft';
import type { TokenController } from '../../src/features/account/tokenController';
import {
  connectToFake,
  fake,
  fakeToken,
  fakeUrl,
  type RecordedRequest,
  type SentMessage,
  type TestHandles,
  until,
} from '../support/extensionHost';
import { closedPort } from '../support/ports';

/** The test handles plus what only this file uses. */
type Handles = TestHandles & { tokenController: TokenController; logUri: vscode.Uri };

const RECIPIENT = '5f8d0c3e4b2a1c0012345678';
const BULK_IDS = Array.from({ length: 25 }, (_, i) => (0xfa000 + i).toString(16).padStart(24, '0'));
/** Broadcasts go only to participants with a submission in the study: the first 25 of the first study's. */
let BROADCAST_IDS: string[] = [];
const PEOPLE = Array.from({ length: 3 }, (_, i) => ({ participant_id: (0xfb000 + i).toString(16).padStart(24, '0'), name: `Person ${i}` }));
/** The token the token check is given: one the fake accepts (POST /__fake/tokens), so only a fault can refuse it. */
const CANDIDATE_TOKEN = 'candidate-token-0f1e2d3c4b5a69788796a5b4';
const UNRESOLVABLE = 'https://does-not-exist.invalid';
const DELAY_MS = 2_500;

// ---- the matrix --------------------------------------------------------------------------------

type OpId = 'single' | 'bulk' | 'group' | 'personalized' | 'broadcast' | 'inbox' | 'token';
type FaultId =
  | '400'
  | '401'
  | '403'
  | '404'
  | '429 RA'
  | '429'
  | '500'
  | '502'
  | '503'
  | 'timeout'
  | 'reset'
  | 'refused'
  | 'no host'
  | 'bad JSON'
  | 'empty 200';

interface Operation {
  id: OpId;
  label: string;
  method: 'GET' | 'POST';
  /** The endpoint the fault is put on. */
  path: string;
  /** The field errors in the 400's nested body (`error.detail`, as documented), shaped for what this endpoint takes. */
  fieldErrors: Record<string, string[]>;
}

const OPERATIONS: Operation[] = [
  {
    id: 'single',
    label: 'single send',
    method: 'POST',
    path: '/api/v1/messages/',
    fieldErrors: { study_id: ['This study does not exist.'] },
  },
  {
    id: 'bulk',
    label: 'bulk (25)',
    method: 'POST',
    path: '/api/v1/messages/bulk/',
    fieldErrors: { study_id: ['This study does not exist.'] },
  },
  {
    id: 'group',
    label: 'group',
    method: 'POST',
    path: '/api/v1/messages/participant-group/',
    fieldErrors: { study_id: ['This study does not exist.'] },
  },
  {
    id: 'personalized',
    label: 'personalized (3)',
    method: 'POST',
    path: '/api/v1/messages/',
    fieldErrors: { study_id: ['This study does not exist.'] },
  },
  {
    id: 'broadcast',
    label: 'broadcast (25)',
    method: 'POST',
    path: '/api/v1/broadcasts/',
    fieldErrors: { study_id: ['This study does not exist.'] },
  },
  {
    // The fake has conversations, so the inbox lists them (classic mode fails through the same path).
    id: 'inbox',
    label: 'inbox refresh',
    method: 'GET',
    path: '/api/v1/conversations/',
    fieldErrors: { limit: ['Ensure this value is less than or equal to 100.'] },
  },
  {
    id: 'token',
    label: 'token check',
    method: 'GET',
    path: '/api/v1/users/me/',
    fieldErrors: { token: ['This token has an invalid format.'] },
  },
];

interface FaultCase {
  id: FaultId;
  /** The rule for the fake, for this operation's endpoint; none for faults made with the base URL. */
  fault?: Record<string, unknown>;
  /** What the notification must say to name the cause. */
  cause: (op: Operation) => RegExp;
  /** How the cell proves the fault fired, for the summary. */
  proof: string;
}

const INJECTED = "the fake recorded this very fault (appliedFault) on the operation's request";
const NO_CONNECTION =
  "no faulted request at the fake (nothing reached it while the address was wrong); the client's log line for the request says";

const FAULTS: FaultCase[] = [
  {
    id: '400',
    // The detail (per operation) goes into the documented nested body: {"error": {"status", "title", "detail": {field: [...]}}}.
    fault: { kind: 'status', status: 400 },
    cause: (op) =>
      op.id === 'inbox'
        ? /rejected the request \(400 Bad Request\): limit: Ensure this value is less than or equal to 100\./
        : op.id === 'token'
          ? /rejected the request \(400 Bad Request\): token: This token has an invalid format\./
          : /rejected the message \(400\)\. Study: This study does not exist\./,
    proof: `${INJECTED}, with its field errors in the nested body`,
  },
  {
    id: '401',
    fault: { kind: 'status', status: 401, body: { detail: 'Invalid token.' } },
    cause: () => /rejected the API token \(401\)/,
    proof: `${INJECTED}; the same Authorization header then got 200 from GET /users/me/`,
  },
  { id: '403', fault: { kind: 'status', status: 403 }, cause: () => /refused access \(403\)/, proof: INJECTED },
  // The flat body the real API sends for "not found" (docs/prolific-api/related.md § 6).
  {
    id: '404',
    fault: { kind: 'status', status: 404, body: { detail: 'Not found.' } },
    cause: () => /\(404( Not Found)?\)/,
    proof: INJECTED,
  },
  {
    id: '429 RA',
    fault: { kind: 'rateLimit', retryAfterSeconds: 1 },
    cause: () => /too many requests \(429\)\. Wait 1 second, then retry\./,
    proof: INJECTED,
  },
  { id: '429', fault: { kind: 'rateLimit' }, cause: () => /too many requests \(429\)\. Wait a moment, then retry\./, proof: INJECTED },
  { id: '500', fault: { kind: 'status', status: 500 }, cause: () => /server error \(500 Internal Server Error\)/, proof: INJECTED },
  {
    id: '502',
    fault: { kind: 'html', status: 502 },
    cause: () => /\(502 Bad Gateway\): The server answered 502 with an HTML page\./,
    proof: INJECTED,
  },
  {
    id: '503',
    fault: { kind: 'html', status: 503 },
    cause: () => /\(503 Service Unavailable\): The server answered 503 with an HTML page\./,
    proof: INJECTED,
  },
  {
    id: 'timeout',
    fault: { kind: 'delay', ms: DELAY_MS },
    cause: () => /did not answer within 1 second\./,
    proof: `${INJECTED}: a delay of ${DELAY_MS} ms, past the 1 s timeout`,
  },
  { id: 'reset', fault: { kind: 'reset' }, cause: () => /\(connection reset\)/, proof: INJECTED },
  {
    id: 'refused',
    cause: () => /Could not connect to http:\/\/127\.0\.0\.1:\d+ \(connection refused\)/,
    proof: `${NO_CONNECTION} "connection refused" for it`,
  },
  {
    id: 'no host',
    cause: () => /Could not connect to https:\/\/does-not-exist\.invalid \((host not found|DNS lookup failed)\)/,
    proof: `${NO_CONNECTION} "host not found" or "DNS lookup failed" for it`,
  },
  { id: 'bad JSON', fault: { kind: 'malformedJson' }, cause: () => /body that is not valid JSON/, proof: INJECTED },
  { id: 'empty 200', fault: { kind: 'empty200' }, cause: () => /empty body/, proof: INJECTED },
];

/** The rule's fault for this cell: the 400 carries the operation's field errors. */
function armedFault(op: Operation, f: FaultCase): Record<string, unknown> | undefined {
  return f.fault && f.id === '400' ? { ...f.fault, detail: op.fieldErrors } : f.fault;
}

const isMany = (op: Operation) => op.id === 'bulk' || op.id === 'personalized' || op.id === 'broadcast';
const isSend = (op: Operation) => op.id !== 'inbox' && op.id !== 'token';
const isStatus = (f: FaultCase, ...statuses: string[]) => statuses.includes(f.id);

interface Expectation {
  /** The operation succeeds despite the fault: the success notification is asserted instead. */
  succeeds?: string;
  /** Items the notification must offer, and must not. The Inbox view names them in words. */
  actions: string[];
  notActions: string[];
  /** Requests the fake records at the operation's endpoint. */
  requests: number;
  /** Messages the fake delivers (after waiting for a late answer). */
  sent: number;
  /** More the notification must say, and must not. */
  says?: RegExp;
  notSays?: RegExp;
  /** Set when part of the brief's expectation is impossible by design, with why. */
  na?: string;
}

const NA_MANY_5XX =
  'no Retry: a 5xx may come after Prolific delivered the message, so a run never resends it, by itself or with Retry Failed ("nobody is messaged twice"); ' +
  'the notification names the cause, says they may have it, and offers Open Report';
/** What a run says of those whose failure may have come after delivery. */
const MAY_HAVE_IT = /may have received it all the same, so (is|are) not offered for retry\./;

/** A broadcast is sent again by itself with the same ID, which Prolific makes only once. */
const RESENT_SAFELY = 'resent by itself with the same broadcast ID; Prolific made it once';

function expectationFor(op: Operation, f: FaultCase, groupSize: number): Expectation {
  if (op.id === 'broadcast') return broadcastExpectation(f);
  const delivers =
    op.id === 'bulk'
      ? BULK_IDS.length
      : op.id === 'personalized'
        ? PEOPLE.length
        : op.id === 'group'
          ? groupSize
          : op.id === 'single'
            ? 1
            : 0;
  // A personalized run has three requests and the fault takes one of them; the other two deliver.
  const others = op.id === 'personalized' ? PEOPLE.length - 1 : 0;
  const requests = op.id === 'personalized' ? PEOPLE.length : 1;
  const report = isMany(op) ? ['Open Report'] : [];

  if (isMany(op) && isStatus(f, '429 RA', '429')) {
    return {
      succeeds: 'the 429 is waited out and the refused request resent',
      actions: [],
      notActions: [],
      requests: requests + 1,
      sent: delivers,
    };
  }
  if (isMany(op) && f.id === 'refused') {
    return {
      succeeds: 'connection refused proves nothing was sent: resent by itself once the port opens',
      actions: [],
      notActions: [],
      requests,
      sent: delivers,
    };
  }
  if (isSend(op) && isStatus(f, 'bad JSON', 'empty 200')) {
    // The send endpoints answer 204 and the body is never read: any 2xx is Prolific's yes. The
    // fake's fault answer stands in for that yes without storing a message, so only the two
    // unfaulted personalized messages show up as delivered.
    return { succeeds: 'a send endpoint answers 204; the body of a 2xx is not read', actions: [], notActions: [], requests, sent: others };
  }

  const noRequest = f.id === 'refused' || f.id === 'no host';
  const base = { requests: noRequest ? 0 : requests, sent: noRequest ? 0 : f.id === 'timeout' ? delivers : others };
  switch (f.id) {
    case '400':
      // The same text would be refused again: the form marks the field instead of offering Retry.
      return {
        ...base,
        actions: op.id === 'token' ? ['Retry'] : report,
        notActions: op.id === 'single' || op.id === 'group' ? ['Retry'] : [],
      };
    case '401':
    case '403':
      return { ...base, actions: ['Set API Token', ...report], notActions: [] };
    case '404':
      // Sending to a group names the group; the other endpoints name nothing, so a 404 there
      // most likely means the base URL is not Prolific's API.
      if (op.id === 'group') {
        return {
          ...base,
          actions: ['Show Log'],
          notActions: ['Open Settings', 'Retry'],
          says: /^Message not sent: Prolific has no participant group with the ID [0-9a-f]{24}, or this token's account cannot see it \(404\)\.$/,
          notSays: /apiBaseUrl/,
        };
      }
      return {
        ...base,
        actions: ['Open Settings', ...report],
        notActions: [],
        says: /Check that the setting "prolific\.apiBaseUrl" points at Prolific's API\./,
      };
    case '429 RA':
    case '429':
      return { ...base, actions: ['Retry'], notActions: [] };
    case '500':
    case '502':
    case '503':
      if (isMany(op)) return { ...base, na: NA_MANY_5XX, actions: report, notActions: ['Retry', 'Retry Failed'], says: MAY_HAVE_IT };
      return { ...base, actions: ['Retry'], notActions: [] };
    case 'timeout':
    case 'reset':
      // Either may come after delivery: a run must not offer to send those again, and a single
      // send must not be called "not sent".
      return {
        ...base,
        actions: ['Open Settings', ...report],
        notActions: isMany(op) ? ['Retry Failed'] : [],
        says: isMany(op) ? MAY_HAVE_IT : op.id === 'single' || op.id === 'group' ? /^Unknown whether the message was sent: / : undefined,
      };
    case 'refused':
    case 'no host':
      return { ...base, actions: ['Open Settings', ...report], notActions: [] };
    case 'bad JSON':
    case 'empty 200':
      return { ...base, actions: ['Retry'], notActions: [] };
  }
}

/**
 * The broadcast row: whatever may have failed on the way (a 5xx, a 429, a timeout, a reset, an
 * unreadable answer) is retried with the same ID and ends with everyone messaged once; a refusal
 * (4xx) is reported like a bulk send's; no connection at all is retried, then offered as Retry.
 */
function broadcastExpectation(f: FaultCase): Expectation {
  const everyone = BROADCAST_IDS.length;
  switch (f.id) {
    case '429 RA':
    case '429':
    case '500':
    case '502':
    case '503':
    case 'timeout':
    case 'reset':
    case 'bad JSON':
    case 'empty 200':
      return { succeeds: RESENT_SAFELY, actions: [], notActions: [], requests: 2, sent: everyone };
    case 'refused':
      return { succeeds: `${RESENT_SAFELY} once the port opens`, actions: [], notActions: [], requests: 1, sent: everyone };
    case 'no host':
      return {
        actions: ['Retry', 'Open Settings', 'Open Report'],
        notActions: [],
        requests: 0,
        sent: 0,
        says: /^Broadcast not sent: .* Retry sends it with the same broadcast ID, so nobody gets it twice\.$/,
      };
    case '400':
      return { actions: ['Open Report'], notActions: ['Retry'], requests: 1, sent: 0, says: /^Broadcast not sent: / };
    case '401':
    case '403':
      return { actions: ['Set API Token', 'Open Report'], notActions: [], requests: 1, sent: 0 };
    case '404':
      // A broadcast names its study, so a 404 names the study (or broadcasts not enabled there).
      return {
        actions: ['Show Log', 'Open Report'],
        notActions: ['Open Settings'],
        requests: 1,
        sent: 0,
        says: /Prolific has no study with the ID [0-9a-f]{24}, or this token's account cannot see it \(404\)\./,
      };
  }
}

// ---- results, for the table -------------------------------------------------------------------

type Mark = '✓' | '✓+' | '✓°' | '✗';
const results = new Map<string, { mark: Mark; note?: string; proved?: boolean }>();
const cellKey = (op: Operation, f: FaultCase) => `${op.id}|${f.id}`;

function printTable(): void {
  if (results.size === 0) return;
  const widths = FAULTS.map((f) => Math.max(f.id.length, 3));
  const first = Math.max(...OPERATIONS.map((o) => o.label.length));
  const row = (label: string, cells: string[]) => `${label.padEnd(first)} | ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')}`;
  const lines = [
    '',
    'fault matrix   ✓ failure reported, state kept, counts right, log clean   ✓+ succeeded despite the fault (success asserted)   ✓° passed, Retry withheld by design (see notes)   ✗ failed',
    row(
      'operation',
      FAULTS.map((f) => f.id),
    ),
    `${'-'.repeat(first)}-|-${widths.map((w) => '-'.repeat(w)).join('-|-')}`,
  ];
  for (const op of OPERATIONS)
    lines.push(
      row(
        op.label,
        FAULTS.map((f) => results.get(cellKey(op, f))?.mark ?? '·'),
      ),
    );
  const notes = new Map<string, (readonly [Operation, FaultCase])[]>();
  for (const op of OPERATIONS) {
    for (const f of FAULTS) {
      const r = results.get(cellKey(op, f));
      if (r?.note) notes.set(r.note, [...(notes.get(r.note) ?? []), [op, f] as const]);
    }
  }
  for (const [note, cells] of notes) lines.push(`  ${describeCells(cells)}: ${note}`);
  lines.push('proof that each fault fired (asserted in every cell):');
  for (const f of FAULTS) {
    const tried = OPERATIONS.filter((op) => results.has(cellKey(op, f)));
    const proved = tried.filter((op) => results.get(cellKey(op, f))?.proved).length;
    if (tried.length) lines.push(`  ${f.id.padEnd(9)} ${proved}/${tried.length} cells: ${f.proof}`);
  }
  const marks = [...results.values()].map((r) => r.mark);
  const count = (m: Mark) => marks.filter((x) => x === m).length;
  lines.push(`fault matrix: ${results.size} cells tried, ${count('✓') + count('✓+') + count('✓°')} passed`);
  lines.push(
    `  (${count('✓+')} of them by succeeding despite the fault; ${count('✓°')} with Retry deliberately not offered; ${count('✗')} failed)`,
  );
  console.log(lines.join('\n'));
}

/** "bulk (25) × 500, 502; group × bad JSON", or a whole row by its name. */
function describeCells(cells: readonly (readonly [Operation, FaultCase])[]): string {
  const byOp = new Map<Operation, FaultCase[]>();
  for (const [op, f] of cells) byOp.set(op, [...(byOp.get(op) ?? []), f]);
  return [...byOp]
    .map(([op, fs]) => (fs.length === FAULTS.length ? `${op.label} (all)` : `${op.label} × ${fs.map((f) => f.id).join(', ')}`))
    .join('; ');
}

// ---- helpers ------------------------------------------------------------------------------------

interface Shown {
  kind: 'error' | 'warning' | 'info';
  message: string;
  items: string[];
}

/** Records every notification the extension shows, still showing it. Returns the undo. */
function captureNotifications(into: Shown[]): () => void {
  const win = vscode.window as unknown as Record<string, (...args: unknown[]) => Thenable<unknown>>;
  const names = { error: 'showErrorMessage', warning: 'showWarningMessage', info: 'showInformationMessage' } as const;
  const originals = Object.fromEntries(Object.values(names).map((n) => [n, win[n]]));
  for (const [kind, name] of Object.entries(names) as [Shown['kind'], string][]) {
    const original = originals[name];
    win[name] = function (this: unknown, message: unknown, ...rest: unknown[]) {
      const items = rest.flatMap((r) =>
        typeof r === 'string' ? [r] : typeof r === 'object' && r !== null && 'title' in r ? [String((r as vscode.MessageItem).title)] : [],
      );
      into.push({ kind, message: String(message), items });
      return original.call(this, message, ...rest);
    };
  }
  return () => {
    for (const name of Object.values(names)) win[name] = originals[name];
  };
}

/** Opens `port` as a plain TCP relay to the fake: the server that refused connections is back. */
async function relayToFake(port: number): Promise<{ close: () => Promise<void> }> {
  const target = new URL(fakeUrl());
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

// ---- the suite ----------------------------------------------------------------------------------

describe('fault matrix', function () {
  this.timeout(30_000);
  let handles: Handles;
  let studyId: string;
  let group: { id: string; name: string; size: number };
  let logFile: string;
  const shown: Shown[] = [];
  let restoreNotifications: (() => void) | undefined;
  const config = () => vscode.workspace.getConfiguration('prolific');
  const logSize = () => (existsSync(logFile) ? statSync(logFile).size : 0);
  const logSince = (offset: number) => (existsSync(logFile) ? readFileSync(logFile).subarray(offset).toString('utf8') : '');

  before(async () => {
    handles = (await connectToFake()) as Handles;
    assert.ok(handles.tokenController && handles.logUri, 'the test handles include tokenController and logUri');
    logFile = vscode.Uri.joinPath(handles.logUri, 'Prolific.log').fsPath;
    // The confirmation is modal (covered by the UI tests); the poller would add requests.
    await config().update('bulkConfirmThreshold', 1_000_000, vscode.ConfigurationTarget.Global);
    await config().update('inboxPollMinutes', 0, vscode.ConfigurationTarget.Global);
    studyId = (await handles.messages.listStudies()).studies[0].id;
    const api = new ProlificClient({ baseUrl: new URL(fakeUrl()), token: fakeToken(), timeoutMs: 5_000, userAgent: 'fault-matrix' });
    BROADCAST_IDS = [
      ...new Set((await api.listSubmissions(studyId)).map((s) => s.participant_id).filter((id): id is string => !!id)),
    ].slice(0, 25);
    assert.equal(BROADCAST_IDS.length, 25, 'the first study has 25 participants with a submission');
    // Asked once here, while the API is healthy: the features are kept for the window (per account).
    assert.deepEqual(await handles.messages.features(), { subjects: true, broadcasts: true }, 'the fake has broadcasts');
    const [workspace] = await api.listWorkspaces();
    const [g] = await api.listParticipantGroups(workspace.id);
    assert.equal(typeof g.participant_count, 'number', 'the seed group says how many it holds');
    group = { id: g.id, name: g.name, size: g.participant_count ?? 0 };
    restoreNotifications = captureNotifications(shown);
  });

  after(async () => {
    restoreNotifications?.();
    await config().update('bulkConfirmThreshold', undefined, vscode.ConfigurationTarget.Global);
    await config().update('inboxPollMinutes', undefined, vscode.ConfigurationTarget.Global);
    handles.audiences.clear();
    await handles.drafts.update({ recipient_id: '', study_id: '', body: '' });
    await fake('POST', 'reset');
    printTable();
  });

  beforeEach(async () => {
    await fake('POST', 'reset');
    handles.audiences.clear();
    await handles.drafts.update({ recipient_id: '', study_id: '', body: '' });
    shown.length = 0;
  });

  afterEach(async () => {
    // A token cell whose fault did not fire would have stored the candidate token (it fails then).
    if ((await handles.tokens.get()) !== fakeToken()) await handles.tokens.set(fakeToken());
    if (config().inspect('apiBaseUrl')?.globalValue !== fakeUrl())
      await config().update('apiBaseUrl', fakeUrl(), vscode.ConfigurationTarget.Global);
    if (config().inspect('requestTimeoutSeconds')?.globalValue !== undefined)
      await config().update('requestTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('notifications.clearAll').then(undefined, () => undefined);
  });

  for (const op of OPERATIONS) {
    for (const f of FAULTS) {
      it(`${op.label} × ${f.id}`, async () => {
        const expected = expectationFor(op, f, group.size);
        const cell = { proved: false };
        try {
          await runCell(op, f, expected, cell);
          results.set(cellKey(op, f), {
            ...(expected.na
              ? { mark: '✓°', note: expected.na }
              : expected.succeeds
                ? { mark: '✓+', note: `succeeds: ${expected.succeeds}` }
                : { mark: '✓' }),
            proved: cell.proved,
          });
        } catch (error) {
          results.set(cellKey(op, f), { mark: '✗', proved: cell.proved });
          throw error;
        }
      });
    }
  }

  async function runCell(op: Operation, f: FaultCase, expected: Expectation, cell: { proved: boolean }): Promise<void> {
    const body = `Fault matrix: ${op.id} × ${f.id}`;
    const draft: Draft = {
      recipient_id: op.id === 'single' ? RECIPIENT : '',
      study_id: studyId,
      ...(op.id === 'broadcast' ? { subject: 'Fault matrix', topic: 'other' } : {}),
      body: op.id === 'personalized' ? `Hello {{name}}. ${body}` : body,
    };
    let previousConversations: string[] = [];

    // Arrange what the operation works on, with the API still healthy.
    if (isSend(op)) await handles.drafts.update(draft);
    if (op.id === 'bulk') handles.audiences.set({ kind: 'list', source: 'fault matrix list', ids: BULK_IDS, invalid: [], duplicates: 0 });
    if (op.id === 'broadcast')
      handles.audiences.set({ kind: 'list', source: 'fault matrix broadcast', ids: BROADCAST_IDS, invalid: [], duplicates: 0 });
    if (op.id === 'personalized') {
      handles.audiences.set({
        kind: 'list',
        source: 'fault matrix people.csv',
        ids: PEOPLE.map((p) => p.participant_id),
        invalid: [],
        duplicates: 0,
        rows: () => PEOPLE,
        columns: ['participant_id', 'name'],
      });
    }
    if (op.id === 'group') handles.audiences.set({ kind: 'group', groupId: group.id, name: group.name, count: group.size });
    if (op.id === 'inbox') {
      previousConversations = (await handles.inbox.refresh()).conversations.map((c) => c.participantId);
      assert.ok(previousConversations.length > 0, 'the inbox has conversations before the fault');
      await fake('POST', 'reset');
    }
    // A token the fake takes: only the injected fault can refuse it.
    if (op.id === 'token') await fake('POST', 'tokens', { token: CANDIDATE_TOKEN });
    const logStart = logSize();

    // Arm the fault.
    let port: number | undefined;
    const armed = armedFault(op, f);
    if (armed) await fake('POST', 'faults', { path: op.path, method: op.method, fault: armed, times: 1 });
    if (f.id === 'timeout') await config().update('requestTimeoutSeconds', 1, vscode.ConfigurationTarget.Global);
    if (f.id === 'refused') {
      port = await closedPort();
      await config().update('apiBaseUrl', `http://127.0.0.1:${port}`, vscode.ConfigurationTarget.Global);
    }
    if (f.id === 'no host') await config().update('apiBaseUrl', UNRESOLVABLE, vscode.ConfigurationTarget.Global);

    // Act.
    let result: { ok: boolean; fieldErrors?: Record<string, string | undefined> } | undefined;
    let stored: boolean | undefined;
    if (isSend(op)) {
      const sending = handles.messages.send(draft);
      if (isMany(op) && f.id === 'refused' && port !== undefined) {
        // A refused connection is resent by itself, with a backoff; open the port once refused.
        const refused = `${op.method} ${op.path} - `;
        await until('a refused request in the log', () =>
          logSince(logStart)
            .split('\n')
            .some((l) => l.includes(refused) && l.includes('(connection refused)')),
        );
        const relay = await relayToFake(port);
        try {
          result = await sending;
        } finally {
          await relay.close();
        }
      } else {
        result = await sending;
      }
    } else if (op.id === 'inbox') {
      await vscode.commands.executeCommand('prolific.inbox.refresh');
    } else {
      stored = await handles.tokenController.setToken(CANDIDATE_TOKEN);
    }

    // A slow answer still arrives: wait for it, so the next cell starts on a quiet server.
    if (f.id === 'timeout') {
      if (expected.sent > 0)
        await until(`${expected.sent} delivered late`, async () => (await fake<SentMessage[]>('GET', 'sent')).length >= expected.sent);
      // A broadcast's second attempt may deliver first: the slow one is still to be answered, and
      // must be before the next cell resets the fake (or it would deliver into that cell).
      const [delayed] = (await fake<RecordedRequest[]>('GET', 'requests')).filter((r) => r.path === op.path && r.appliedFault);
      assert.ok(delayed, 'the slow request reached the fake');
      await until('the fake to answer the slow request', () => Date.now() >= delayed.time + DELAY_MS + 100);
    }

    // 1. The notification: the cause in a sentence, and the action that fixes it.
    const cause = f.cause(op);
    if (op.id === 'inbox') {
      const error = handles.inbox.state.error ?? '';
      assert.match(error, /^Could not refresh the inbox: /);
      assert.match(error, cause, 'the Inbox view names the cause');
      assert.match(error, /^[A-Z].*[.]$/, 'the Inbox view says it in a sentence');
      // A view message has no buttons: the fix is named in words where there is one to name.
      const words: Record<string, RegExp> = { 'Set API Token': /token/, 'Open Settings': /the setting "prolific\.apiBaseUrl"/ };
      for (const action of expected.actions)
        if (words[action]) assert.match(error, words[action], `the Inbox view names the fix (${action})`);
    }
    // The Refresh command was asked for by the user: it also shows the failure as a notification with its fix.
    if (expected.succeeds) {
      assert.ok(result?.ok, `the operation succeeds (${expected.succeeds})`);
      const success =
        op.id === 'single'
          ? `Message sent to ${RECIPIENT}.`
          : op.id === 'bulk'
            ? `Message sent to ${BULK_IDS.length} participants.`
            : op.id === 'personalized'
              ? `Personalized messages sent to ${PEOPLE.length} participants.`
              : op.id === 'broadcast'
                ? `Broadcast "Fault matrix" sent to ${BROADCAST_IDS.length} participants, each in a conversation of their own.`
                : `Message sent to participant group ${group.name}.`;
      assert.ok(
        shown.some((n) => n.kind === 'info' && n.message === success),
        `the success notification "${success}" is shown; shown: ${JSON.stringify(shown)}`,
      );
      assert.ok(!shown.some((n) => n.kind === 'error'), `no error is shown; shown: ${JSON.stringify(shown)}`);
    } else {
      if (result) assert.equal(result.ok, false, 'the operation reports failure');
      if (stored !== undefined) assert.equal(stored, false, 'setToken reports the token was not stored');
      const errors = shown.filter((n) => n.kind === 'error');
      const notification = errors.find((n) => cause.test(n.message));
      assert.ok(notification, `an error notification matches ${cause}; shown: ${JSON.stringify(shown)}`);
      assert.match(notification.message, /^[A-Z].*[.]$/, 'the notification is a sentence');
      for (const action of expected.actions)
        assert.ok(
          notification.items.includes(action),
          `"${notification.message}" offers ${action}; it offers ${JSON.stringify(notification.items)}`,
        );
      for (const action of expected.notActions)
        assert.ok(!notification.items.includes(action), `"${notification.message}" does not offer ${action}`);
      if (expected.says) assert.match(notification.message, expected.says);
      if (expected.notSays) assert.doesNotMatch(notification.message, expected.notSays);
      if (f.id === '404' && op.id === 'group') assert.ok(notification.message.includes(group.id), 'the 404 names the group');
      assert.equal(errors.length, 1, `one error notification, not ${JSON.stringify(errors)}`);
      assert.doesNotMatch(notification.message, new RegExp(`${fakeToken()}|${CANDIDATE_TOKEN}`), 'no token in the notification');
    }

    // 2. The state: nothing lost, nothing that may have been sent left to send again.
    const requests = await fake<RecordedRequest[]>('GET', 'requests');
    const atEndpoint = requests.filter((r) => r.method === op.method && r.path === op.path);
    if (op.id === 'single') {
      assert.deepEqual(
        handles.drafts.get(),
        expected.succeeds ? { recipient_id: '', study_id: studyId, body: '' } : draft,
        expected.succeeds ? 'the draft is cleared after success' : 'the draft is unchanged',
      );
      if (f.id === '400') assert.ok(result?.fieldErrors?.study_id, 'the form is told which field was refused');
    }
    if (op.id === 'group') {
      assert.deepEqual(handles.drafts.get(), expected.succeeds ? { recipient_id: '', study_id: studyId, body: '' } : draft);
      const audience = handles.audiences.get();
      if (expected.succeeds) assert.equal(audience.kind, 'single', 'the group is cleared after success');
      else assert.ok(audience.kind === 'group' && audience.groupId === group.id, 'the form still holds the group');
      if (f.id === '400') assert.ok(result?.fieldErrors?.study_id, 'the form is told which field was refused');
    }
    if (isMany(op)) {
      assert.deepEqual(handles.drafts.get(), expected.succeeds ? { recipient_id: '', study_id: studyId, body: '' } : draft);
      const ids = op.id === 'bulk' ? BULK_IDS : op.id === 'broadcast' ? BROADCAST_IDS : PEOPLE.map((p) => p.participant_id);
      // The form keeps exactly those proven not to have the message: a refusal (4xx) or no
      // connection at all. Anything that may have been delivered (5xx, timeout, reset) is gone.
      const provenUnsent = ['400', '401', '403', '404'].includes(f.id) || f.id === 'no host';
      const faulted =
        op.id === 'personalized' && f.id !== 'no host'
          ? [(atEndpoint[0]?.body as { recipient_id?: string } | undefined)?.recipient_id]
          : ids;
      const remaining = expected.succeeds || !provenUnsent ? [] : faulted;
      const audience = handles.audiences.get();
      assert.deepEqual(audience.kind === 'list' ? audience.ids : [], remaining, 'the form holds exactly those not yet sent');
      if (f.id === '400') assert.ok(result?.fieldErrors?.study_id, 'the form is told which field was refused');
    }
    if (op.id === 'inbox') {
      assert.deepEqual(
        handles.inbox.state.conversations.map((c) => c.participantId),
        previousConversations,
        'the inbox keeps its conversations',
      );
    }
    if (op.id === 'token') assert.equal(await handles.tokens.get(), fakeToken(), 'the token in use is unchanged');

    // 3. What the server got: no resend except after 429 and connection refused.
    assert.equal(
      atEndpoint.length,
      expected.requests,
      `${expected.requests} request(s) to ${op.method} ${op.path}, got ${atEndpoint.length}`,
    );
    const sent = await fake<SentMessage[]>('GET', 'sent');
    assert.equal(sent.length, expected.sent, `${expected.sent} message(s) delivered, got ${sent.length}`);
    if (op.id === 'broadcast') {
      // Every attempt carried the one ID chosen (and journaled) before the first.
      const ids = new Set(atEndpoint.map((r) => (r.body as { id?: unknown } | undefined)?.id));
      assert.equal(ids.size, atEndpoint.length ? 1 : 0, `every attempt sent the same broadcast ID: ${JSON.stringify([...ids])}`);
      assert.ok(
        sent.every((m) => m.via === 'broadcast'),
        'delivered as a broadcast',
      );
    }
    if (isMany(op) && expected.sent > 0) {
      const counts = new Map<string, number>();
      for (const m of sent) counts.set(m.recipient_id, (counts.get(m.recipient_id) ?? 0) + 1);
      assert.ok(
        [...counts.values()].every((n) => n === 1),
        'nobody got the message twice',
      );
    }

    // 4. The log: a line for the request, never the token.
    const noRequest = f.id === 'refused' || f.id === 'no host';
    // Without a connection the inbox stops at its first request, which asks who the user is.
    const logged = `${op.id === 'inbox' && noRequest ? 'GET /api/v1/users/me/' : `${op.method} ${op.path}`} `;
    const log = await until(`a log line for ${logged}`, () => {
      const text = logSince(logStart);
      return text.split('\n').some((l) => l.includes(logged)) ? text : undefined;
    });
    assert.ok(!log.includes(fakeToken()), 'the log never holds the token');
    assert.ok(!log.includes(CANDIDATE_TOKEN), 'the log never holds the token being checked');

    // 5. The fault fired: what the cell saw came from it, not from something else going wrong.
    await proveFired(
      op,
      f,
      armed,
      atEndpoint,
      log.split('\n').filter((l) => l.includes(logged)),
    );
    cell.proved = true;
  }

  /**
   * An injected fault shows in the fake's record of the request it applied to, exactly as armed,
   * once (every rule here is `times: 1`). A fault made with the base URL left no request at the
   * fake, and the client's log line names the network error.
   */
  async function proveFired(
    op: Operation,
    f: FaultCase,
    armed: Record<string, unknown> | undefined,
    atEndpoint: RecordedRequest[],
    logLines: string[],
  ): Promise<void> {
    if (!armed) {
      const refused = f.id === 'refused' ? /\(connection refused\)/ : /\((host not found|DNS lookup failed)\)/;
      assert.ok(
        logLines.some((l) => refused.test(l)),
        `the client logged ${refused} for the request; logged: ${JSON.stringify(logLines)}`,
      );
      // Connection refused on a run is resent once the port opens (relayed to the fake, unfaulted).
      assert.ok(
        atEndpoint.every((r) => r.appliedFault === undefined),
        'no injected fault was involved',
      );
      return;
    }
    const faulted = atEndpoint.filter((r) => r.appliedFault !== undefined);
    assert.equal(
      faulted.length,
      1,
      `the fake applied one fault at ${op.method} ${op.path}; it applied ${JSON.stringify(faulted.map((r) => r.appliedFault))}`,
    );
    assert.deepEqual(faulted[0].appliedFault, armed, 'the fault the fake applied is the one this cell armed');
    const authorization = faulted[0].headers['authorization'];
    assert.equal(
      authorization,
      `Token ${op.id === 'token' ? CANDIDATE_TOKEN : fakeToken()}`,
      'the faulted request carried the token under test',
    );
    if (f.id === '401') {
      // The token itself was fine: the same header is accepted as soon as no fault stands in the way.
      const me = await fetch(`${fakeUrl()}/api/v1/users/me/`, { headers: { Authorization: authorization } });
      assert.equal(me.status, 200, 'the fake accepts the token that met the 401');
    }
  }
});
