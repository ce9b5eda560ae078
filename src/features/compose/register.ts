// The compose form: "Send Message" (and the editor's "Send … to Participant"), in an editor tab
// and in the sidebar. It sends through the send feature, which the container hands it.
import vscode = require('vscode');
import { registerCommands } from '../../host/commands';
import { parseRecipientList } from '../../shared/recipients/recipientList';
import { isParticipantId } from '../../shared/recipients/participantIds';
import { pointedParticipants } from '../editor/editorParticipants';
import type { AudienceStore } from './audienceStore';
import { ComposeController, type ComposeSender } from './composeController';
import { ComposePanel } from './composePanel';
import { ComposeViewProvider } from './composeView';
import type { DraftStore } from './draftStore';

export interface ComposeFeature extends vscode.Disposable {
  /** Opens (or reveals) the form in an editor tab. */
  show(): void;
  viewProvider: ComposeViewProvider;
}

export function registerCompose(
  context: vscode.ExtensionContext,
  services: { drafts: DraftStore; audiences: AudienceStore; sender: ComposeSender; log: vscode.LogOutputChannel },
): ComposeFeature {
  const { drafts, audiences } = services;
  const controller = new ComposeController(context.extensionUri, drafts, audiences, services.sender, services.log);
  const panel = new ComposePanel(controller);
  /** Opens the form for what the editor points at: one participant, or a selection of many. */
  const openCompose = async () => {
    const pointed = pointedParticipants(vscode.window.activeTextEditor);
    const many = pointed?.kind === 'many' ? parseRecipientList(pointed.text) : undefined;
    const one = pointed?.kind === 'one' ? pointed.id : many?.ids.length === 1 && many.invalid.length === 0 ? many.ids[0] : undefined;
    if (one) return openFor(one);
    if (many && many.ids.length > 1) audiences.set({ kind: 'list', source: vscode.l10n.t('Selection'), ...many });
    panel.show();
  };
  /** Opens the form for one participant. */
  const openFor = async (participantId: string) => {
    audiences.clear();
    await drafts.setRecipient(participantId);
    panel.show();
  };
  const disposable = vscode.Disposable.from(
    panel,
    registerCommands({
      sendMessage: openCompose,
      // From a hover's link, with the participant's ID; from the editor's menu, with the file's URI.
      sendMessageToParticipant: (id?: unknown) =>
        typeof id === 'string' && isParticipantId(id) ? openFor(id.toLowerCase()) : openCompose(),
      messageSelectedParticipants: openCompose,
    }),
  );
  return { show: () => panel.show(), viewProvider: new ComposeViewProvider(controller), dispose: () => disposable.dispose() };
}
