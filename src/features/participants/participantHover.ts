// The hover over a participant ID in any file or notebook cell. Registered at activation, so it
// stays cheap until it has something to show: the setting, the language, a token set (read from
// the stored account record, not the secret store) and the word under the pointer are checked
// first; only a participant ID loads the features and reads the local inbox copy and history.
import vscode = require('vscode');
import { storedAccount } from '../account/account';
import { participantIdAt } from '../editor/editorParticipants';

export type ParticipantCard = (participantId: string) => Promise<vscode.MarkdownString>;

export function registerParticipantHover(state: vscode.Memento, card: () => ParticipantCard): vscode.Disposable {
  return vscode.languages.registerHoverProvider('*', {
    async provideHover(document, position) {
      const at = participantIdAt(document, position);
      if (!at || !hoversIn(document.languageId) || !storedAccount(state)) return undefined;
      return new vscode.Hover(await card()(at.id), at.range);
    },
  });
}

/** `prolific.participantHover.enabled` and `.languages` (empty: every language). */
function hoversIn(languageId: string): boolean {
  const config = vscode.workspace.getConfiguration('prolific.participantHover');
  if (config.get<boolean>('enabled', true) === false) return false;
  const languages = config.get<unknown>('languages', []);
  return !Array.isArray(languages) || languages.length === 0 || languages.includes(languageId);
}
