// Registers the tables' CodeLens at activation (VS Code asks for lenses only for an open table);
// the provider itself is in the features, built on the first table opened (see tableLens.ts).
import vscode = require('vscode');
import { TABLE_FILE_PATTERN, TABLE_LANGUAGES } from '../../shared/recipients/tableLanguages';

const TABLES: vscode.DocumentSelector = [
  { pattern: TABLE_FILE_PATTERN },
  ...Object.keys(TABLE_LANGUAGES).map((language) => ({ language })),
];

export function registerTableLensStandIn(load: () => vscode.CodeLensProvider): vscode.Disposable {
  return vscode.languages.registerCodeLensProvider(TABLES, {
    provideCodeLenses: (document, token) => load().provideCodeLenses(document, token),
    resolveCodeLens: (lens, token) => load().resolveCodeLens?.(lens, token) ?? lens,
  });
}
