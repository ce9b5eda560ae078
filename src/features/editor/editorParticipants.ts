// Finds the participants the user points at in an editor: a selection holding several IDs,
// a selection that is one ID, or the word under the cursor; and keeps the context key that
// shows the editor's context-menu item in documents that hold IDs, with the key that names it
// for one participant or for a list.
import vscode = require('vscode');
import { holdsIdWord, isParticipantId } from '../../shared/recipients/participantIds';

export const CONTEXT_KEY = 'prolific.participantIdAtCursor';
/** True while the selection is a list (not one ID): the menu item then reads "Message These Participants". */
export const LIST_SELECTED_KEY = 'prolific.selectionIsList';
const WORD = /[0-9A-Za-z_]+/;
/** How much of a document is looked at for an ID (see holdsParticipantIds). */
const SCAN_LIMIT = 1024 * 1024;

export type Pointed = { kind: 'one'; id: string } | { kind: 'many'; text: string } | undefined;

/** Whether a selection is a list of participants rather than one ID or nothing (see pointedParticipants). */
export function selectsList(document: vscode.TextDocument, selection: vscode.Selection): boolean {
  if (selection.isEmpty) return false;
  return !selection.isSingleLine || !isParticipantId(document.getText(selection).trim());
}

export function pointedParticipants(editor: vscode.TextEditor | undefined): Pointed {
  if (!editor) return undefined;
  const { document, selection } = editor;
  if (selectsList(document, selection)) return { kind: 'many', text: document.getText(selection) };
  if (!selection.isEmpty) return { kind: 'one', id: document.getText(selection).trim().toLowerCase() };
  const at = participantIdAt(document, selection.active);
  return at && { kind: 'one', id: at.id };
}

/** The participant ID that is the word at `position` (lower-cased), and its range. */
export function participantIdAt(document: vscode.TextDocument, position: vscode.Position): { id: string; range: vscode.Range } | undefined {
  const range = document.getWordRangeAtPosition(position, WORD);
  // Most words are not 24 characters long: no string is made for them.
  if (!range || range.end.character - range.start.character !== 24) return undefined;
  const word = document.getText(range);
  return isParticipantId(word) ? { id: word.toLowerCase(), range } : undefined;
}

/**
 * Whether the context-menu item applies to a document: it holds a participant ID. A key that
 * followed the cursor would come too late: a right-click moves the cursor and opens the menu at
 * once, before the extension host could answer, so the first right-click on an ID would miss
 * the item. Run where the cursor is not on an ID, the command opens the form without one.
 * Only the first SCAN_LIMIT characters are read: a larger file without an ID there counts as
 * holding one, which costs a menu item, not a slow editor.
 */
export function holdsParticipantIds(document: vscode.TextDocument): boolean {
  const end = document.positionAt(SCAN_LIMIT);
  if (holdsIdWord(document.getText(new vscode.Range(new vscode.Position(0, 0), end)))) return true;
  return document.offsetAt(end) >= SCAN_LIMIT;
}

/**
 * Keeps the context key that shows the editor context-menu item in step with the active
 * document. The key holds 'yes' or 'no' and the menu's `when` is `!= 'no'`: before the extension
 * is activated (activationEvents is empty) the key is unset and the item is shown, so the first
 * right-click can activate it; from then on it shows in documents that hold an ID.
 */
export function trackParticipantIdContext(): vscode.Disposable {
  let current: boolean | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const update = () => {
    clearTimeout(timer);
    const document = vscode.window.activeTextEditor?.document;
    if (!document) return; // without an editor the menu cannot show
    const has = holdsParticipantIds(document);
    if (has === current) return; // setContext crosses to the renderer: only on change
    current = has;
    void vscode.commands.executeCommand('setContext', CONTEXT_KEY, has ? 'yes' : 'no');
  };
  update();
  // The selection is made before the right-click that opens the menu, so this key is in time.
  let list = false;
  const updateList = (editor = vscode.window.activeTextEditor) => {
    const now = editor ? selectsList(editor.document, editor.selection) : false;
    if (now === list) return;
    list = now;
    void vscode.commands.executeCommand('setContext', LIST_SELECTED_KEY, now);
  };
  return vscode.Disposable.from(
    vscode.window.onDidChangeActiveTextEditor((editor) => {
      update();
      updateList(editor);
    }),
    vscode.window.onDidChangeTextEditorSelection((e) => updateList(e.textEditor)),
    // Typing can add or remove an ID: looked at again once the typing pauses.
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document !== vscode.window.activeTextEditor?.document) return;
      clearTimeout(timer);
      timer = setTimeout(update, 300);
    }),
    new vscode.Disposable(() => clearTimeout(timer)),
  );
}
