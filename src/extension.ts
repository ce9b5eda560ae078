// Wires the extension together. Activation does no network, secret or disk work: everything
// here is construction and registration; the work happens when a command or view is used.
import * as vscode from 'vscode';
import { ClientFactory } from './clientFactory';
import { ComposeController } from './compose/composeController';
import { ComposePanel } from './compose/composePanel';
import { ComposeViewProvider } from './compose/composeView';
import { DraftStore } from './compose/draftStore';
import { readSettings } from './config';
import { participantIdAt, trackParticipantIdContext } from './editorParticipant';
import { MessageService } from './messageService';
import { TokenController } from './tokenController';
import { TokenStore } from './tokenStore';

export function activate(context: vscode.ExtensionContext) {
  const version = String(context.extension.packageJSON.version ?? '0.0.0');
  const log = vscode.window.createOutputChannel('Prolific', { log: true });
  const tokens = new TokenStore(context.secrets);
  const clients = new ClientFactory(log, `prolific-messenger/${version} (VS Code ${vscode.version})`);
  const tokenController = new TokenController(tokens, clients, log);
  const drafts = new DraftStore(context.workspaceState, () => readSettings().defaultStudyId);
  const messages = new MessageService(tokens, tokenController, clients, drafts, log);
  const compose = new ComposeController(context.extensionUri, drafts, messages, log);
  const panel = new ComposePanel(compose);

  const openCompose = async () => {
    const recipient = participantIdAt(vscode.window.activeTextEditor);
    if (recipient) await drafts.setRecipient(recipient);
    panel.show();
  };

  context.subscriptions.push(
    log,
    drafts,
    panel,
    trackParticipantIdContext(),
    tokens.onDidChange(() => log.info('API token changed')),
    vscode.window.registerWebviewViewProvider(ComposeViewProvider.viewId, new ComposeViewProvider(compose)),
    vscode.commands.registerCommand('prolific.setApiToken', () => tokenController.promptAndSet()),
    vscode.commands.registerCommand('prolific.clearApiToken', () => tokenController.clear()),
    vscode.commands.registerCommand('prolific.sendMessage', openCompose),
    vscode.commands.registerCommand('prolific.sendMessageToParticipant', openCompose),
  );

  // Only the test harness gets handles on the internals; other extensions get nothing.
  if (context.extensionMode === vscode.ExtensionMode.Test) return { messages, tokens, drafts };
  return undefined;
}

export function deactivate(): void {}
