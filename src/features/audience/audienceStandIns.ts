// What activation registers for audience files (*.audience.json): the CodeLens, the completion
// of study and group IDs, and the JSON schema (package.json's jsonValidation names
// prolific-schema:/audience.schema.json, served here in the display language). Each is a stand-in
// that builds the features on first use (see extension.ts): VS Code asks them for something only
// when an audience file is open. Nothing else is imported here, to keep dist/extension.js small.
import vscode = require('vscode');

/** The scheme of package.json's jsonValidation url for audience files. */
const SCHEMA_SCHEME = 'prolific-schema';
const AUDIENCE_FILES: vscode.DocumentSelector = [{ pattern: '**/*.audience.json' }];

/** What the features provide for audience files. */
export interface AudienceProviders {
  lenses: vscode.CodeLensProvider;
  completions: vscode.CompletionItemProvider;
  /** The JSON schema's text. */
  schema(): string;
}

export function registerAudienceStandIns(load: () => AudienceProviders): vscode.Disposable {
  const lensesChanged = new vscode.EventEmitter<void>();
  let subscription: vscode.Disposable | undefined;
  const real = (): AudienceProviders => {
    const providers = load();
    // Nothing was shown before the first call, so no earlier change can have been missed.
    subscription ??= providers.lenses.onDidChangeCodeLenses?.(() => lensesChanged.fire());
    return providers;
  };
  return vscode.Disposable.from(
    lensesChanged,
    new vscode.Disposable(() => subscription?.dispose()),
    vscode.languages.registerCodeLensProvider(AUDIENCE_FILES, {
      onDidChangeCodeLenses: lensesChanged.event,
      provideCodeLenses: (document, token) => real().lenses.provideCodeLenses(document, token),
    }),
    vscode.languages.registerCompletionItemProvider(
      AUDIENCE_FILES,
      {
        provideCompletionItems: (document, position, token, context) =>
          real().completions.provideCompletionItems(document, position, token, context),
      },
      '"',
    ),
    vscode.workspace.registerTextDocumentContentProvider(SCHEMA_SCHEME, { provideTextDocumentContent: () => real().schema() }),
  );
}
