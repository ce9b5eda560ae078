// Everything behind the extension's commands and views: bundled apart as dist/features.js and
// built on first use, not at activation (see extension.ts). It builds the services each feature
// needs, in the order they need them, and asks each feature to register itself; the work
// happens when a command or view is used.
import vscode = require('vscode');
import { registerAccount } from './features/account/register';
import type { TokenStatusItem } from './features/account/statusBar';
import { registerAudience } from './features/audience/register';
import { AudienceStore } from './features/compose/audienceStore';
import { DraftStore } from './features/compose/draftStore';
import { registerCompose } from './features/compose/register';
import { registerHistory } from './features/history/register';
import { registerInbox } from './features/inbox/register';
import { ParticipantCards } from './features/participants/participantCard';
import { StudyMembership } from './features/participants/showInStudies';
import { TableLenses } from './features/editor/tableLens';
import { registerCommands } from './host/commands';
import { registerWalkthrough } from './features/onboarding/walkthrough';
import { announceInterrupted } from './features/send/interruptedSends';
import { createSend } from './features/send/register';
import { registerTemplates } from './features/templates/templateCommands';
import { ClientFactory } from './host/clientFactory';
import { readSettings } from './host/settings';
import type { Conversation } from './features/inbox/conversations';
import { configureL10n } from './shared/l10n';

/** What activation hands over: the Inbox view and the status bar entry it made, and when the first poll fell due. */
export interface ActivationParts {
  inboxTree: vscode.TreeView<Conversation>;
  pollArmedAt: number;
  tokenStatus: TokenStatusItem;
}

export function createContainer(context: vscode.ExtensionContext, parts: ActivationParts) {
  // The vscode-free modules (API client, shared, pages' HTML) translate with the bundle VS Code loaded.
  configureL10n(vscode.l10n.bundle, vscode.env.language);
  const version = String(context.extension.packageJSON.version ?? '0.0.0');
  const log = vscode.window.createOutputChannel('Prolific', { log: true });
  const clients = new ClientFactory(log, `prolific-messenger/${version} (VS Code ${vscode.version})`);
  const account = registerAccount(context, clients, log, parts.tokenStatus);
  const drafts = new DraftStore(context.workspaceState, () => readSettings().defaultStudyId);
  const audiences = new AudienceStore();
  const history = registerHistory(
    context,
    log,
    { retryFailed: (entry) => send.lists.retryFailed(entry), resume: (runId) => send.lists.resume(runId) },
    (id) => send.messages.studyNames.get(id),
    (broadcastId) => send.messages.broadcastCounts(broadcastId),
  );
  const send = createSend({ account, clients, drafts, audiences, history: history.store, log });
  const compose = registerCompose(context, { drafts, audiences, sender: send.messages, log });
  const inbox = registerInbox(context, {
    tree: parts.inboxTree,
    pollArmedAt: parts.pollArmedAt,
    tokens: account.tokens,
    signedInClient: () => account.signedInClient(),
    messages: send.messages,
    log,
  });
  const audience = registerAudience({
    audiences,
    drafts,
    history: history.store,
    inbox: inbox.inbox,
    clientFor: () => account.clientFor(),
    signedInClient: () => account.signedInClient(),
    tokenChanged: account.tokens.onDidChange,
    openCompose: () => compose.show(),
    log,
  });
  const cards = new ParticipantCards(inbox.inbox, history.store, (id) => send.messages.studyNames.get(id));
  const membership = new StudyMembership(() => account.clientFor(), account.tokens.onDidChange, log);
  const tableLenses = new TableLenses();
  context.subscriptions.push(
    vscode.workspace.onDidCloseTextDocument((d) => tableLenses.forget(d)),
    membership,
    registerCommands({ showInStudies: (id) => membership.show(id) }),
    log,
    account,
    drafts,
    audiences,
    history,
    send.messages,
    compose,
    inbox,
    audience,
    registerTemplates(context, drafts),
    registerWalkthrough(context.globalState, account.account, history.store, () => account.clientFor()),
  );

  return {
    /** What the hover over a participant ID shows (see features/participants/participantHover.ts). */
    participantCard: (id: string) => cards.markdown(id),
    /** The tables' CodeLens (see features/editor/tableLensStandIn.ts). */
    tableLenses,
    /** The views' providers, for activation's stand-ins. */
    composeView: compose.viewProvider,
    sentView: history.sentView,
    inboxView: inbox.view,
    /** The audience files' CodeLens, completion and schema, for activation's stand-ins. */
    audience: audience.providers,
    /** The Accounts menu's provider and its account, for activation's stand-in. */
    authProvider: account.authProvider,
    account: account.account,
    /** Tells the user of sends a window did not live to finish (activation finds them). */
    announceInterrupted: (ids: readonly string[]) => announceInterrupted(ids, history.store, send.lists, context.globalState),
    /** Handles on the internals, for the test harness only (see extension.ts). */
    testHandles: { ...testHandlesOf(context, { send, account, drafts, audiences, audience, history, inbox }), membership },
  };
}

/** The services' internals, for the test harness only. */
function testHandlesOf(
  context: vscode.ExtensionContext,
  parts: {
    send: ReturnType<typeof createSend>;
    account: ReturnType<typeof registerAccount>;
    drafts: DraftStore;
    audiences: AudienceStore;
    audience: ReturnType<typeof registerAudience>;
    history: ReturnType<typeof registerHistory>;
    inbox: ReturnType<typeof registerInbox>;
  },
) {
  const { send, account, drafts, audiences, audience, history, inbox } = parts;
  return {
    messages: send.messages,
    lists: send.lists,
    tokens: account.tokens,
    tokenController: account.tokenController,
    account: account.account,
    authProvider: account.authProvider,
    drafts,
    audiences,
    audienceFiles: audience.service,
    history: history.store,
    inbox: inbox.inbox,
    poller: inbox.poller,
    globalState: context.globalState,
    logUri: context.logUri,
  };
}

export type Container = ReturnType<typeof createContainer>;
