// Activation registers only what VS Code needs from the start: a stand-in for each contributed
// command, the views' providers, the audience files' providers (CodeLens, completion, schema), the
// editor's participant-ID context key, the timer of the first unread poll, and the account's
// entries in the Accounts menu and the status bar.
// Everything behind them (the API client with its schemas and node-fetch, the inbox, the
// history, the compose form) is dist/features.js, a second bundle loaded when first used:
// compiling and running it was most of what activation cost. Activation does no network, secret
// or disk work; once it has returned, one small file is read: the sent history's index, to tell
// the user of a send that VS Code did not live to finish (onStartupFinished activates for that).
// onFileSystem:prolific-schema activates it earlier only when the JSON support asks for the
// audience files' schema, which it serves.
import vscode = require('vscode');
import { storedAccount } from './features/account/account';
import { registerAudienceStandIns } from './features/audience/audienceStandIns';
import { AuthProviderStandIn } from './features/account/authProvider';
import { trackParticipantIdContext } from './features/editor/editorParticipants';
import { registerParticipantHover } from './features/participants/participantHover';
import { registerTableLensStandIn } from './features/editor/tableLensStandIn';
import type { Container } from './container';
import { findInterruptedRuns } from './features/history/interruptedRuns';
import { FirstPollTimer } from './features/inbox/firstPollTimer';
import type { Conversation } from './features/inbox/conversations';
import { LazyTreeDataProvider, lazyWebviewViewProvider } from './host/lazyProviders';
import { createTokenStatusItem, type TokenStatusItem } from './features/account/statusBar';

export function activate(context: vscode.ExtensionContext) {
  let features: Container | undefined;
  /** Builds the features on first use; they register the real commands in place of the stand-ins. */
  const load = (): Container => {
    if (!features) {
      commandStandIns.dispose();
      firstPoll.dispose();
      const { accounts, tokenStatus } = showAccount();
      features = loadFeaturesBundle().createContainer(context, { inboxTree, pollArmedAt: firstPoll.armedAt, tokenStatus });
      accounts.attach(features.authProvider, features.account);
    }
    return features;
  };

  const commandStandIns = registerCommandStandIns(context, load);
  const firstPoll = new FirstPollTimer(load);
  const composeView = lazyWebviewViewProvider(() => load().composeView);
  const sentView = new LazyTreeDataProvider(() => load().sentView);
  const inboxView = new LazyTreeDataProvider<Conversation>(() => load().inboxView);
  const inboxTree = vscode.window.createTreeView('prolific.inbox', { treeDataProvider: inboxView });
  // The account's entries in the Accounts menu and the status bar show the stored account record
  // until the features load. Nothing needs them for activation to finish: they are made on the
  // next turn of the event loop, or at once if the features load first.
  let accountEntries: { accounts: AuthProviderStandIn; tokenStatus: TokenStatusItem } | undefined;
  const showAccount = () =>
    (accountEntries ??= {
      accounts: new AuthProviderStandIn(context.globalState, () => load().authProvider),
      tokenStatus: createTokenStatusItem(storedAccount(context.globalState)),
    });
  const showAccountSoon = setTimeout(showAccount, 0);
  // A send left unfinished by a window that died: say so without the user opening anything.
  const checkInterrupted = setTimeout(() => {
    void findInterruptedRuns(context.globalStorageUri.fsPath).then(async (ids) => {
      if (ids.length > 0) await load().announceInterrupted(ids);
    });
  }, 0);

  context.subscriptions.push(
    commandStandIns,
    firstPoll,
    vscode.window.registerWebviewViewProvider('prolific.compose', composeView),
    sentView,
    vscode.window.registerTreeDataProvider('prolific.sent', sentView),
    inboxView,
    inboxTree,
    trackParticipantIdContext(),
    registerParticipantHover(context.globalState, () => load().participantCard),
    registerTableLensStandIn(() => load().tableLenses),
    registerAudienceStandIns(() => load().audience),
    new vscode.Disposable(() => {
      clearTimeout(showAccountSoon);
      clearTimeout(checkInterrupted);
      accountEntries?.accounts.dispose();
      accountEntries?.tokenStatus.dispose();
    }),
  );

  // Only the test harness gets handles on the internals; other extensions get nothing.
  if (context.extensionMode === vscode.ExtensionMode.Test) return { testHandles: () => load().testHandles };
  return undefined;
}

export function deactivate(): void {}

/**
 * Until the features load, each command contributed in package.json is a stand-in: it loads
 * them, which registers the real command in its place, and runs the real one with its arguments.
 */
function registerCommandStandIns(context: vscode.ExtensionContext, load: () => unknown): vscode.Disposable {
  const contributed: { command: string }[] = context.extension.packageJSON.contributes?.commands ?? [];
  return vscode.Disposable.from(
    ...contributed.map(({ command }) =>
      vscode.commands.registerCommand(command, (...args: unknown[]) => {
        load();
        return vscode.commands.executeCommand(command, ...args);
      }),
    ),
  );
}

/** dist/features.js, next to this bundle: esbuild.mjs builds it as a bundle of its own. */
function loadFeaturesBundle(): typeof import('./container') {
  return require('./features.js');
}
