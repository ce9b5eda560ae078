// The CodeLens above a table's header: "Message N participants (column "participant_id")", which
// runs "Message Participants in This File" with that column. Finding the column reads the header
// and a few rows (provideCodeLenses); counting reads the column once per version of the document,
// with the scan the command itself uses (resolveCodeLens, asked only for lenses on screen).
import vscode = require('vscode');
import { COMMANDS } from '../../host/commands';
import { delimiterForDocument, detectFileIdColumn, isTableDocument, openCsv } from '../../shared/recipients/csv';
import { recipientsFromFile } from '../../shared/recipients/recipientList';

class TableLens extends vscode.CodeLens {
  constructor(
    readonly document: vscode.TextDocument,
    readonly column: number,
    readonly columnName: string,
  ) {
    super(new vscode.Range(0, 0, 0, 0));
  }
}

export class TableLenses implements vscode.CodeLensProvider<TableLens> {
  /** The last count per document: a document's version changes with every edit. */
  private readonly counts = new Map<string, { version: number; column: number; count: number }>();

  provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): TableLens[] {
    if (!isTableDocument(document.uri.path, document.languageId)) return [];
    const file = openCsv(document.getText(), delimiterForDocument(document.uri.path, document.languageId));
    const column = detectFileIdColumn(file);
    if (column < 0 || token.isCancellationRequested) return [];
    return [new TableLens(document, column, file.header[column] ?? '')];
  }

  resolveCodeLens(lens: TableLens, token: vscode.CancellationToken): TableLens | undefined {
    const { document, column } = lens;
    const key = document.uri.toString();
    let known = this.counts.get(key);
    if (known?.version !== document.version || known.column !== column) {
      // The document changed since this lens was made: VS Code asks for new ones.
      if (token.isCancellationRequested) return undefined;
      const file = openCsv(document.getText(), delimiterForDocument(document.uri.path, document.languageId));
      known = { version: document.version, column, count: recipientsFromFile(file, column).ids.length };
      this.counts.set(key, known);
    }
    lens.command = {
      title:
        known.count === 1
          ? vscode.l10n.t('Message 1 participant (column "{0}")', lens.columnName)
          : vscode.l10n.t('Message {0} participants (column "{1}")', known.count, lens.columnName),
      command: COMMANDS.messageParticipantsInFile,
      arguments: [document.uri, column],
    };
    return lens;
  }

  /** Forgets a closed document's count. */
  forget(document: vscode.TextDocument): void {
    this.counts.delete(document.uri.toString());
  }
}
