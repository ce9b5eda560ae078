// The CodeLens above a table's header: "Message N participants (column "participant_id")", which
// runs "Message Participants in This File" with that column. Finding the column reads the header
// and a few rows (provideCodeLenses); counting reads the column once per version of the document,
// with the scan the command itself uses, a slice of rows at a time so that a large export does not
// hold the extension host, and stops when the document changes (resolveCodeLens, asked only for
// lenses on screen).
import vscode = require('vscode');
import { COMMANDS } from '../../host/commands';
import { delimiterForDocument, detectFileIdColumn, isTableDocument, openCsv, type CsvFile } from '../../shared/recipients/csv';
import { countIdsInColumn } from '../../shared/recipients/recipientList';

/** Lets the extension host's other work run between slices of a count. */
const yieldToHost = () => new Promise<void>((resolve) => setImmediate(resolve));

class TableLens extends vscode.CodeLens {
  constructor(
    readonly document: vscode.TextDocument,
    /** The document's text as it was parsed for this lens, and its version then. */
    readonly file: CsvFile,
    readonly version: number,
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
    return [new TableLens(document, file, document.version, column, file.header[column] ?? '')];
  }

  async resolveCodeLens(lens: TableLens, token: vscode.CancellationToken): Promise<TableLens | undefined> {
    const { document, file, version, column } = lens;
    const key = document.uri.toString();
    let known = this.counts.get(key);
    if (known?.version !== version || known.column !== column) {
      // The text the lens was made from (not read and parsed again), a slice of rows at a time,
      // yielding in between: a change of the document cancels it there.
      const count = await countIdsInColumn(file, column, () => token.isCancellationRequested || document.version !== version, yieldToHost);
      if (count === undefined) return undefined; // VS Code asks again for the new version
      known = { version, column, count };
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
