// The inbox: participants' conversations in the Inbox view, a thread per tab with a reply box,
// and the unread count in the status bar. Nothing is read until the view is shown or a poll is
// due.
import vscode = require('vscode');
import { registerCommands, runCommand } from '../../host/commands';
import { showFailure } from '../../host/failureNotice';
import { reportFailure } from '../../host/failures';
import type { ProlificClient } from '../../prolific/client';
import type { TokenStore } from '../account/tokenStore';
import type { MessageService } from '../send/messageService';
import { ConversationPanels } from './conversationPanel';
import type { Conversation } from './conversations';
import { InboxService } from './inboxService';
import { InboxViewProvider } from './inboxView';
import { UnreadPoller } from './unreadPoller';

export interface InboxFeature extends vscode.Disposable {
  inbox: InboxService;
  poller: UnreadPoller;
  view: InboxViewProvider;
}

export function registerInbox(
  context: vscode.ExtensionContext,
  services: {
    /** The Inbox view, created at activation. */
    tree: vscode.TreeView<Conversation>;
    /** When activation's FirstPollTimer last started the first poll's interval. */
    pollArmedAt: number;
    tokens: TokenStore;
    signedInClient: () => Promise<ProlificClient | undefined>;
    messages: MessageService;
    log: vscode.LogOutputChannel;
  },
): InboxFeature {
  const { tree, tokens, messages, log } = services;
  const inbox = new InboxService(context.globalStorageUri, services.signedInClient, log, (client) => messages.messagingFeatures(client));
  const view = new InboxViewProvider(
    inbox,
    (id) => messages.studyNames.get(id),
    () => refresh(),
  );
  const conversations = new ConversationPanels(context.extensionUri, inbox, messages, log);
  const poller = new UnreadPoller(inbox);
  /** A failure shows in the view; when the user asked (the Refresh command), also as a notification with its fix. */
  const refresh = (asked = false): Thenable<unknown> =>
    vscode.window.withProgress({ location: { viewId: InboxViewProvider.viewId } }, () =>
      inbox.refresh().then(undefined, (error: unknown) => {
        const report = reportFailure(error, vscode.l10n.t('Could not refresh the inbox'));
        inbox.reportError(report.message);
        // Not awaited: the command is done; the actions run if and when the user picks one.
        if (asked) void showFailure(report.message, report.actions, { log, retry: () => refresh(true) });
      }),
    );
  // The first load is the view's, when it first asks for rows; later showings retry an empty one.
  const refreshIfEmpty = () => view.loaded && inbox.state.conversations.length === 0 && void refresh();
  const disposable = vscode.Disposable.from(
    inbox,
    view,
    conversations,
    poller,
    tree.onDidChangeVisibility((e) => e.visible && refreshIfEmpty()),
    inbox.onDidChange((state) => {
      tree.message = state.error ?? undefined;
      void vscode.commands.executeCommand('setContext', 'prolific.inbox.signedOut', state.signedOut);
    }),
    tokens.onDidChange(() => void refresh()),
    registerCommands({
      showInbox: () => showInbox(tree, view, inbox),
      refreshInbox: () => refresh(true),
      openConversation: (participantId: unknown, conversationId: unknown) =>
        typeof participantId === 'string' &&
        conversations.show(participantId, typeof conversationId === 'string' ? conversationId : undefined),
      clearInboxCache: () => clearCache(inbox),
    }),
  );
  poller.start(services.pollArmedAt);
  return { inbox, poller, view, dispose: () => disposable.dispose() };
}

/**
 * Shows the Inbox view with the keyboard focus in it. The first time the Prolific sidebar opens,
 * VS Code builds the tree after its own "focus" has run, and the focus ends up nowhere (a keyboard
 * user would have to ask twice); revealing the first conversation with focus puts it in the list.
 */
async function showInbox(tree: vscode.TreeView<Conversation>, view: InboxViewProvider, inbox: InboxService): Promise<void> {
  const shownBefore = tree.visible;
  await runCommand('focusInbox');
  if (shownBefore) return; // already built: VS Code's focus holds, on the row the user left
  await view.loadedOnce();
  const first = inbox.state.conversations[0];
  if (first) await tree.reveal(first, { focus: true, select: false });
}

async function clearCache(inbox: InboxService): Promise<void> {
  const clear = vscode.l10n.t('Clear');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t("Clear the local copy of participants' messages? Messages older than 30 days cannot be fetched again."),
    { modal: true },
    clear,
  );
  if (choice === clear) await inbox.clearCache();
}
