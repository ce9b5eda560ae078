// Finds the participants the user points at in an editor: a selection holding several IDs,
// a selection that is one ID, or the word under the cursor. Runs on every selection change,
// so it stays cheap: a bounded look at the selection, one line otherwise.
import vscode = require('vscode');
import { isParticipantId } from './core/participantIds';

export const CONTEXT_KEY = 'prolific.participantIdAtCursor';
const WORD = /[0-9A-Za-z_]+/;
const ANY_ID = /(?<![0-9A-Za-z_])[0-9a-fA-F]{24}(?![0-9A-Za-z_])/;
/** Enough to recognise a list; a larger selection is parsed only when the command runs. */
const SCAN_LIMIT = 64 * 1024;

export type Pointed = { kind: 'one'; id: string } | { kind: 'many'; text: string } | undefined;

export function pointedParticipants(editor: vscode.TextEditor | undefined): Pointed {
  if (!editor) return undefined;
  const { document, selection } = editor;
  if (!selection.isEmpty) {
    if (selection.isSingleLine) {
      const text = document.getText(selection).trim();
      if (isParticipantId(text)) return { kind: 'one', id: text.toLowerCase() };
    }
    return { kind: 'many', text: document.getText(selection) };
  }
  const range = document.getWordRangeAtPosition(selection.active, WORD);
  const word = range && document.getText(range);
  return word && isParticipantId(word) ? { kind: 'one', id: word.toLowerCase() } : undefined;
}

/** Whether the context-menu item applies: an ID under the cursor, or one in the selection. */
function pointsAtParticipant(editor: vscode.TextEditor | undefined): boolean {
  if (!editor) return false;
  const { document, selection } = editor;
  if (selection.isEmpty) return pointedParticipants(editor) !== undefined;
  const start = document.offsetAt(selection.start);
  const end = Math.min(document.offsetAt(selection.end), start + SCAN_LIMIT);
  return ANY_ID.test(document.getText(new vscode.Range(selection.start, document.positionAt(end))));
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
    const has = pointsAtParticipant(editor);
    if (has === current) return; // setContext crosses to the renderer: only on change
    current = has;
    void vscode.commands.executeCommand('setContext', CONTEXT_KEY, has ? 'yes' : 'no');
  };
  // Without an editor the menu cannot show: the key is first set when one becomes active.
  if (vscode.window.activeTextEditor) update(vscode.window.activeTextEditor);
  return vscode.Disposable.from(
    vscode.window.onDidChangeTextEditorSelection((e) => update(e.textEditor)),
    vscode.window.onDidChangeActiveTextEditor(update),
  );
}
