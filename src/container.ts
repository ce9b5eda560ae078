// Everything behind the extension's commands and views: bundled apart as dist/features.js and
// built on first use, not at activation (see extension.ts). This is what activation once did:
// construction and registration; the work happens when a command or view is used.
import vscode = require('vscode');
import { AudienceCommands } from './features/audience/audienceCommands';
import { ProlificAccount } from './features/account/account';
import { ProlificAuthProvider } from './features/account/authProvider';
import { ClientFactory } from './host/clientFactory';
import { AudienceStore } from './features/compose/audienceStore';
import { ComposeController } from './features/compose/composeController';
import { ComposePanel } from './features/compose/composePanel';
import { ComposeViewProvider } from './features/compose/composeView';
import { DraftStore } from './features/compose/draftStore';
import { openSetting, readSettings } from './host/settings';
import { configureL10n } from './shared/l10n';
import { parseRecipientList } from './shared/recipients/recipientList';
import { actionLabel, chosenAction, reportFailure } from './host/failures';
import { pointedParticipants } from './features/audience/editorParticipants';
import { registerHistoryCommands } from './features/history/historyCommands';
import { HistoryStore } from './features/history/historyStore';
import { SentViewProvider } from './features/history/sentView';
import { ConversationPanels } from './features/inbox/conversationPanel';
import { InboxService } from './features/inbox/inboxService';
import { InboxViewProvider } from './features/inbox/inboxView';
import type { Conversation } from './features/inbox/conversations';
import { UnreadPoller } from './features/inbox/unreadPoller';
import { ManySender } from './features/send/listSender';
import { MessageService } from './features/send/messageService';
import { TokenController } from './features/account/tokenController';
import { registerManageAccount, type TokenStatusItem } from './features/account/statusBar';
import { TokenStore } from './features/account/tokenStore';
import { TemplateStore, registerTemplateCommands } from './features/templates/templates';
import { registerWalkthrough } from './features/onboarding/walkthrough';

/**
 * Builds the features and registers their commands (which replace activation's stand-ins).
 * @param inboxTree the Inbox view, created at activation
 * @param pollArmedAt when activation's FirstPollTimer last started the first poll's interval
 */
export function createFeatures(context: vscode.ExtensionContext, inboxTree: vscode.TreeView<Conversation>, pollArmedAt: number, tokenStatus: TokenStatusItem) {
  // The vscode-free modules (API client, core, pages' HTML) translate with the bundle VS Code loaded.
  configureL10n(vscode.l10n.bundle, vscode.env.language);
  const version = String(context.extension.packageJSON.version ?? '0.0.0');
  const log = vscode.window.createOutputChannel('Prolific', { log: true });
  const tokens = new TokenStore(context.secrets);
  const clients = new ClientFactory(log, `prolific-messenger/${version} (VS Code ${vscode.version})`);
  const account = new ProlificAccount(context.globalState, tokens);
  const tokenController = new TokenController(tokens, clients, log, account);
  const authProvider = new ProlificAuthProvider(account, tokenController);
  const clientFor = async () => {
    const token = (await tokens.get()) ?? (await tokenController.promptAndSet());
    return token ? clients.create(token) : undefined;
  };
  const drafts = new DraftStore(context.workspaceState, () => readSettings().defaultStudyId);
  const audiences = new AudienceStore();
  const history = new HistoryStore(
    context.globalStorageUri,
    () => vscode.workspace.getConfiguration('prolific').get<number>('historyMaxEntries', 200),
    (message) => {
      log.warn(message);
      void vscode.window.showWarningMessage(message);
    },
  );
  const many = new ManySender(audiences, history, clientFor, log);
  const messages = new MessageService(tokens, tokenController, clients, drafts, audiences, many, log);
  const compose = new ComposeController(context.extensionUri, drafts, audiences, messages, log);
  const panel = new ComposePanel(compose);
  const audienceCommands = new AudienceCommands(audiences, drafts, clientFor, () => panel.show());
  const sentView = new SentViewProvider(history);
  const inbox = new InboxService(context.globalStorageUri, async () => {
    const token = await tokens.get();
    return token ? clients.create(token) : undefined;
  }, log);
  const inboxView = new InboxViewProvider(inbox, (id) => messages.studyNames.get(id));
  const conversations = new ConversationPanels(context.extensionUri, inbox, messages, log);
  const poller = new UnreadPoller(inbox);
  /** A failure shows in the view; when the user asked (the Refresh command), also as a notification with its fix. */
  const refreshInbox = (asked = false) =>
    vscode.window.withProgress({ location: { viewId: InboxViewProvider.viewId } }, () =>
      inbox.refresh().then(undefined, (error: unknown) => {
        const report = reportFailure(error, vscode.l10n.t('Could not refresh the inbox'));
        inbox.reportError(report.message);
        if (!asked) return;
        // Not awaited: the command is done; the actions run if and when the user picks one.
        void vscode.window.showErrorMessage(report.message, ...report.actions.map(actionLabel)).then(async (label) => {
          const choice = chosenAction(label, report.actions);
          if (choice === 'Retry') await refreshInbox(true);
          else if (choice === 'Set API Token') await tokenController.promptAndSet();
          else if (choice === 'Open Settings') await openSetting('apiBaseUrl');
          else if (choice === 'Show Log') log.show(true);
        });
      }),
    );

  /** Opens the form for what the editor points at: one participant, or a selection of many. */
  const openCompose = async () => {
    const pointed = pointedParticipants(vscode.window.activeTextEditor);
    const many = pointed?.kind === 'many' ? parseRecipientList(pointed.text) : undefined;
    const one = pointed?.kind === 'one' ? pointed.id : many?.ids.length === 1 && many.invalid.length === 0 ? many.ids[0] : undefined;
    if (one) {
      audiences.clear();
      await drafts.setRecipient(one);
    } else if (many && many.ids.length > 1) {
      audiences.set({ kind: 'list', source: vscode.l10n.t('Selection'), ...many });
    }
    panel.show();
  };

  context.subscriptions.push(
    log,
    drafts,
    audiences,
    history,
    sentView,
    panel,
    tokens.onDidChange(() => log.info('API token changed')),
    inbox,
    inboxView,
    conversations,
    poller,
    // The inbox loads when first shown, not at activation.
    inboxTree.onDidChangeVisibility((e) => e.visible && inbox.state.conversations.length === 0 && void refreshInbox()),
    inbox.onDidChange((state) => {
      inboxTree.message = state.error ?? undefined;
      void vscode.commands.executeCommand('setContext', 'prolific.inbox.signedOut', state.signedOut);
    }),
    tokens.onDidChange(() => void refreshInbox()),
    vscode.commands.registerCommand('prolific.inbox.refresh', () => refreshInbox(true)),
    vscode.commands.registerCommand('prolific.inbox.open', (participantId: unknown) => typeof participantId === 'string' && conversations.show(participantId)),
    vscode.commands.registerCommand('prolific.inbox.clearCache', async () => {
      const clear = vscode.l10n.t('Clear');
      const choice = await vscode.window.showWarningMessage(vscode.l10n.t("Clear the local copy of participants' messages? Messages older than 30 days cannot be fetched again."), { modal: true }, clear);
      if (choice === clear) await inbox.clearCache();
    }),
    registerHistoryCommands(history, (entry) => many.retryFailed(entry)),
    registerTemplateCommands(new TemplateStore(context.globalState), drafts),
    vscode.commands.registerCommand('prolific.setApiToken', () => tokenController.promptAndSet()),
    vscode.commands.registerCommand('prolific.clearApiToken', () => tokenController.clear()),
    vscode.commands.registerCommand('prolific.sendMessage', openCompose),
    vscode.commands.registerCommand('prolific.sendMessageToParticipant', openCompose),
    vscode.commands.registerCommand('prolific.messageParticipantsInFile', () => audienceCommands.fromFile(vscode.window.activeTextEditor?.document)),
    vscode.commands.registerCommand('prolific.messageStudyParticipants', () => audienceCommands.fromStudy()),
    vscode.commands.registerCommand('prolific.messageParticipantGroup', () => audienceCommands.fromGroup()),
    account,
    authProvider,
    account.onDidChange(({ current }) => tokenStatus.render(current)),
    registerManageAccount(account, tokenController),
    registerWalkthrough(context.globalState, account, history, clientFor),
  );

  poller.start(pollArmedAt);
  // Loaded because the inbox was shown: its visibility may have changed before this listened.
  if (inboxTree.visible) setTimeout(() => inbox.state.conversations.length === 0 && void refreshInbox(), 0);

  return {
    /** The views' providers, for activation's stand-ins. */
    composeView: new ComposeViewProvider(compose),
    sentView,
    inboxView,
    /** The Accounts menu's provider and its account, for activation's stand-in. */
    authProvider,
    account,
    /** Handles on the internals, for the test harness only (see extension.ts). */
    testHandles: { messages, tokens, drafts, audiences, history, many, inbox, poller, tokenController, account, authProvider, globalState: context.globalState, logUri: context.logUri },
  };
}

export type Features = ReturnType<typeof createFeatures>;
