// Finds the participant ID the user points at in an editor: the selection if it is one,
// else the word under the cursor. Runs on every selection change, so it stays cheap:
// it looks at one line, never the whole document.
import * as vscode from 'vscode';
import { isParticipantId } from './core/participantIds';

export const CONTEXT_KEY = 'prolific.participantIdAtCursor';
const WORD = /[0-9A-Za-z_]+/;

export function participantIdAt(editor: vscode.TextEditor | undefined): string | undefined {
  if (!editor) return undefined;
  const { document, selection } = editor;
  if (!selection.isEmpty) {
    if (selection.start.line !== selection.end.line) return undefined;
    const text = document.getText(selection).trim();
    return isParticipantId(text) ? text.toLowerCase() : undefined;
  }
  const range = document.getWordRangeAtPosition(selection.active, WORD);
  const word = range && document.getText(range);
  return word && isParticipantId(word) ? word.toLowerCase() : undefined;
}

/**
 * Keeps the context key that shows the editor context-menu item in step with the cursor.
 * The key holds 'yes' or 'no' and the menu's `when` is `!= 'no'`: before the extension is
 * activated (activationEvents is empty) the key is unset and the item is shown, so the
 * first right-click can activate it; from then on it shows only on an ID.
 */
export function trackParticipantIdContext(): vscode.Disposable {
  let current: boolean | undefined;
  const update = (editor: vscode.TextEditor | undefined) => {
    const has = participantIdAt(editor) !== undefined;
    if (has === current) return; // setContext crosses to the renderer: only on change
    current = has;
    void vscode.commands.executeCommand('setContext', CONTEXT_KEY, has ? 'yes' : 'no');
  };
  update(vscode.window.activeTextEditor);
  return vscode.Disposable.from(
    vscode.window.onDidChangeTextEditorSelection((e) => update(e.textEditor)),
    vscode.window.onDidChangeActiveTextEditor(update),
  );
}
