// "Preview" and "Prolific: Message This Audience" for an audience file (from its CodeLens, the
// palette while it is the active editor, or the explorer's context menu). Each evaluates the file
// afresh, with progress and Cancel. A file that is not valid, or a source that cannot be read,
// stops there with a sentence naming it: the compose form never receives a partial audience.
import vscode = require('vscode');
import { abortSignalFor } from '../../host/cancellation';
import { showFailure } from '../../host/failureNotice';
import type { FixAction } from '../../host/failures';
import type { ProlificClient } from '../../prolific/client';
import type { AudienceStore } from '../compose/audienceStore';
import type { DraftStore } from '../compose/draftStore';
import { longTime } from '../history/sentView';
import { AUDIENCE_COLUMNS, type AudienceResult } from './audienceEvaluation';
import { isAudienceFile } from './audienceLens';
import { previewMarkdown } from './audiencePreview';
import { outcomeProblem, type AudienceDocument, type AudienceService } from './audienceService';

export const PREVIEW_SCHEME = 'prolific-audience';

export interface AudienceFileServices {
  service: AudienceService;
  audiences: AudienceStore;
  drafts: DraftStore;
  clientFor: () => Promise<ProlificClient | undefined>;
  openCompose: () => void;
  log: vscode.LogOutputChannel;
}

export class AudienceFileCommands implements vscode.Disposable, vscode.TextDocumentContentProvider {
  /** The Markdown of each preview document, by its URI. */
  private readonly previews = new Map<string, string>();
  private readonly previewChanged = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.previewChanged.event;

  constructor(private readonly services: AudienceFileServices) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    return (
      this.previews.get(uri.toString()) ??
      vscode.l10n.t('This preview is no longer current: choose Preview at the top of the audience file to evaluate it again.')
    );
  }

  /** Evaluates the file and shows who is in the audience and why, beside it, read-only. */
  async preview(arg?: unknown): Promise<void> {
    const evaluated = await this.evaluate(arg, () => this.preview(arg));
    if (!evaluated) return;
    const { document, result } = evaluated;
    const name = document.uri.path.split('/').pop() ?? document.name;
    const uri = vscode.Uri.from({
      scheme: PREVIEW_SCHEME,
      path: `/${vscode.l10n.t('{0} (preview)', name)}.md`,
      query: document.uri.toString(),
    });
    this.previews.set(
      uri.toString(),
      previewMarkdown(document.name, result, (ms) => longTime(new Date(ms).toISOString())),
    );
    this.previewChanged.fire(uri);
    const shown = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(shown, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: false });
  }

  /** "Message This Audience": evaluates the file again and opens the compose form with its participants. */
  async message(arg?: unknown): Promise<void> {
    const evaluated = await this.evaluate(arg, () => this.message(arg));
    if (!evaluated) return;
    const { document, result } = evaluated;
    if (result.members.length === 0) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Nobody is in the audience of {0} now, so there is nobody to message.', document.name),
      );
      return;
    }
    this.services.audiences.set(listAudience(document, result));
    if (result.messageStudy) await this.services.drafts.patch({ study_id: result.messageStudy.id });
    this.services.openCompose();
  }

  private async evaluate(arg: unknown, retry: () => unknown): Promise<{ document: AudienceDocument; result: AudienceResult } | undefined> {
    const uri = audienceUri(arg);
    if (!uri) {
      void vscode.window.showWarningMessage(
        vscode.l10n.t('Open an audience file first: a file whose name ends in .audience.json ("Prolific: New Audience…" makes one).'),
      );
      return undefined;
    }
    let document: AudienceDocument;
    try {
      document = await this.services.service.read(uri);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not read {0}: {1}', vscode.workspace.asRelativePath(uri, false), reason));
      return undefined;
    }
    const client = await this.services.clientFor();
    if (!client) return undefined;
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Evaluating {0}…', document.name), cancellable: true },
      (_progress, cancel) => this.services.service.evaluate(document, client, abortSignalFor(cancel)),
    );
    if (outcome.kind === 'result') return { document, result: outcome.result };
    if (outcome.kind === 'failed' && outcome.cancelled) return undefined;
    const actions: FixAction[] = outcome.kind === 'failed' ? [...new Set(outcome.failures.flatMap((f) => f.actions))] : [];
    this.services.log.warn(outcomeProblem(document, outcome));
    void showFailure(outcomeProblem(document, outcome), actions, { log: this.services.log, retry, afterTokenSet: retry });
    return undefined;
  }

  dispose(): void {
    this.previewChanged.dispose();
  }
}

/** The list the compose form sends to: the members, with what {{status}} and {{study_name}} need, named after the file. */
function listAudience(document: AudienceDocument, result: AudienceResult) {
  const rows = result.rows();
  return {
    kind: 'list' as const,
    source: document.name,
    ids: result.members,
    invalid: result.invalid,
    duplicates: 0,
    columns: [...AUDIENCE_COLUMNS],
    rows: () => rows,
    // A placeholder left empty is reported by the participant's number in the preview.
    rowNumbers: Int32Array.from(result.members, (_, i) => i + 1),
    ...(result.messageStudy ? { studyId: result.messageStudy.id } : {}),
    audienceFile: { file: document.name, content: document.text },
  };
}

/** The audience file a command is for: the one it was given (CodeLens, explorer), else the active editor's. */
function audienceUri(arg: unknown): vscode.Uri | undefined {
  const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  return uri && isAudienceFile(uri) ? uri : undefined;
}
