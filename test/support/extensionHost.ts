// Helpers for tests that run inside the extension host (test/integration): the extension's test
// handles, the set-up most suites share (connectToFake) and the fake Prolific API's control
// endpoints (the fake runs in the launcher's process).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { StudyMembership } from '../../src/features/participants/showInStudies';
import type { TokenController } from '../../src/features/account/tokenController';
import type { AudienceService } from '../../src/features/audience/audienceService';
import type { AudienceStore } from '../../src/features/compose/audienceStore';
import type { DraftStore } from '../../src/features/compose/draftStore';
import type { HistoryStore } from '../../src/features/history/historyStore';
import type { InboxService } from '../../src/features/inbox/inboxService';
import type { UnreadPoller } from '../../src/features/inbox/unreadPoller';
import type { ListSender } from '../../src/features/send/listSender';
import type { MessageService } from '../../src/features/send/messageService';
import type { TokenStore } from '../../src/features/account/tokenStore';

export const EXTENSION_ID = 'prolific-messenger.prolific-messenger';

export interface TestHandles {
  messages: MessageService;
  tokens: TokenStore;
  /** Sets a token as the user does: checked with Prolific, the account's record stored. */
  tokenController: TokenController;
  /** "Show in Studies": a participant's submissions in the account's studies. */
  membership: StudyMembership;
  drafts: DraftStore;
  audiences: AudienceStore;
  /** Audience files (*.audience.json): their latest evaluations. */
  audienceFiles: AudienceService;
  history: HistoryStore;
  lists: ListSender;
  inbox: InboxService;
  poller: UnreadPoller;
}

export function fakeUrl(): string {
  const url = process.env.PROLIFIC_FAKE_URL;
  assert.ok(url, 'PROLIFIC_FAKE_URL is not set: run the suite through its launcher');
  return url;
}

export function fakeToken(): string {
  return process.env.PROLIFIC_FAKE_TOKEN ?? '';
}

/** Activates the extension and loads its features (activation alone only registers stand-ins). */
export async function activate(): Promise<TestHandles> {
  const extension = vscode.extensions.getExtension<{ testHandles(): TestHandles } | undefined>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed in this VS Code`);
  const api = await extension.activate();
  assert.ok(api, 'the extension returned no test handles (is it running in test mode?)');
  return api.testHandles();
}

/** Points prolific.apiBaseUrl (user settings) at the fake. */
export async function pointAtFake(): Promise<void> {
  await vscode.workspace.getConfiguration('prolific').update('apiBaseUrl', fakeUrl(), vscode.ConfigurationTarget.Global);
}

/**
 * Stores the fake's token and returns once the inbox is quiet. A changed token starts an inbox
 * refresh (features/inbox/register.ts), whose requests could otherwise reach the fake after the
 * caller's next reset and be counted by its test. So: once the change is announced (its listener
 * has started that refresh), a refresh of our own supersedes it (the older one stops before it
 * asks for more) and is awaited. An unchanged token starts nothing; the inbox is refreshed all
 * the same, so every suite starts from the fake account's inbox.
 */
export async function storeFakeToken(handles: TestHandles): Promise<void> {
  if ((await handles.tokens.get()) !== fakeToken()) {
    // Resolved by a listener added after the inbox's, so that refresh has started by then.
    const announced = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the token change was not announced within 15 s')), 15_000);
      const subscription = handles.tokens.onDidChange(() => (clearTimeout(timer), subscription.dispose(), resolve()));
    });
    await Promise.all([handles.tokens.set(fakeToken()), announced]);
  }
  await handles.inbox.refresh();
}

/**
 * The set-up most suites share: the extension active and its features loaded, prolific.apiBaseUrl
 * at the fake, the fake's token stored with no request of its still under way, and the fake reset.
 */
export async function connectToFake(): Promise<TestHandles> {
  const handles = await activate();
  await pointAtFake();
  await storeFakeToken(handles);
  await fake('POST', 'reset');
  return handles;
}

export async function fake<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${fakeUrl()}/__fake/${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(response.ok, `fake control ${method} ${path} answered ${response.status}`);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  time: number;
  headers: Record<string, string>;
  body: unknown;
  /** The kind of fault the fake applied ('limit' for its rate limit), if any. */
  fault?: string;
  /** The injected fault the fake applied, exactly as injected. */
  appliedFault?: Record<string, unknown>;
}

export interface SentMessage {
  recipient_id: string;
  body: string;
  study_id: string | null;
  /** How it was sent: 'single', 'bulk', 'group', 'conversation' or 'broadcast'. */
  via: string;
  /** The conversation it went into, when it went into one. */
  conversation_id?: string;
}

/** Waits until `check` gives a value (not undefined or false) and returns it; fails after `ms`. */
export async function until<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    assert.ok(Date.now() < deadline, `timed out after ${ms / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
