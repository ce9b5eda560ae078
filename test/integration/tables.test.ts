// Tables in every flavour the CSV extensions give them (Rainbow CSV's language IDs, registered here
// by test/fixtures/table-languages) and plain .csv/.tsv files: the CodeLens over the header counts
// the participants of the detected ID column, and runs "Message Participants in This File" with it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { participantId } from '../fake-prolific/seed';
import { connectToFake, type TestHandles } from '../support/extensionHost';
import { TABLE_LANGUAGES } from '../../src/shared/recipients/tableLanguages';

const IDS = [participantId(80), participantId(81), participantId(82)];

/** A table with the IDs in its second column, one of them twice, written with `delimiter`. */
function table(delimiter: string): string {
  const rows = [
    ['age', 'participant_id', 'status'],
    ['31', IDS[0], 'APPROVED'],
    ['27', IDS[1], 'APPROVED'],
    ['45', IDS[2], 'RETURNED'],
    ['45', IDS[2], 'RETURNED'],
  ];
  return rows.map((r) => r.join(delimiter)).join('\n') + '\n';
}

async function lensesOf(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
  // Resolves the lenses as VS Code does for those on screen (the second argument: how many).
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 10);
  return lenses.filter((l) => l.command?.command === 'prolific.messageParticipantsInFile');
}

describe('tables in every CSV flavour', () => {
  let handles: TestHandles;

  before(async () => {
    handles = await connectToFake();
  });

  for (const [language, delimiter] of Object.entries(TABLE_LANGUAGES)) {
    it(`"${language}": the lens counts the ID column and opens the form with it`, async () => {
      const document = await vscode.workspace.openTextDocument({ language, content: table(delimiter ?? ',') });
      assert.equal(document.languageId, language, 'the fixture registered the language');
      const [lens, ...more] = await lensesOf(document);
      assert.equal(more.length, 0);
      assert.equal(lens.range.start.line, 0, 'above the header');
      assert.equal(lens.command!.title, 'Message 3 participants (column "participant_id")');
      assert.deepEqual(lens.command!.arguments?.[1], 1);

      handles.audiences.clear();
      await vscode.commands.executeCommand(lens.command!.command, ...lens.command!.arguments!);
      const audience = handles.audiences.get();
      assert.equal(audience.kind, 'list');
      assert.deepEqual(audience.kind === 'list' && audience.ids, IDS, 'no question asked: the column came with the lens');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });
  }

  it('plain .csv and .tsv files by name, and no lens where no column holds IDs', async () => {
    const dir = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'tables');
    for (const [name, delimiter] of [
      ['export.csv', ','],
      ['export.TSV', '\t'],
    ]) {
      const uri = vscode.Uri.joinPath(dir, name);
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(table(delimiter)));
      const [lens] = await lensesOf(await vscode.workspace.openTextDocument(uri));
      assert.equal(lens?.command?.title, 'Message 3 participants (column "participant_id")', name);
    }
    const none = await vscode.workspace.openTextDocument({ language: 'csv', content: 'a,b\n1,2\n' });
    assert.deepEqual(await lensesOf(none), []);
    const notTable = await vscode.workspace.openTextDocument({ language: 'csv (whitespace)', content: table(' ') });
    assert.deepEqual(await lensesOf(notTable), [], 'a dialect read as text has no column');
  });
});
