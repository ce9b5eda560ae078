// Evaluating audience files in VS Code: the file's text (unsaved edits included), the workspace
// files it names, the sent history and the inbox's local copy, handed to the pure evaluator. It
// keeps the latest outcome of each file for the CodeLens, and says when one changes.
import vscode = require('vscode');
import type { ProlificClient } from '../../prolific/client';
import type { HistoryStore } from '../history/historyStore';
import type { InboxService } from '../inbox/inboxService';
import { parseAudience, problemText, type FormatProblem } from './audienceFormat';
import { evaluateAudience, type AudienceResult, type SourceFailure } from './audienceEvaluation';
import type { AudienceEnvironment } from './audienceSources';

/** An audience file as read: its text now (an open editor's, unsaved edits included). */
export interface AudienceDocument {
  uri: vscode.Uri;
  text: string;
  /** Workspace-relative, as the user knows it. */
  name: string;
}

export type AudienceOutcome =
  | { kind: 'result'; result: AudienceResult }
  /** The file is not a valid audience file: nothing was asked of Prolific. */
  | { kind: 'invalid'; problems: FormatProblem[] }
  /** A source could not be read (or the user cancelled): there is no result. */
  | { kind: 'failed'; failures: SourceFailure[]; cancelled: boolean };

interface Latest {
  text: string;
  outcome?: AudienceOutcome;
  running?: Promise<AudienceOutcome>;
}

export class AudienceService implements vscode.Disposable {
  private readonly latest = new Map<string, Latest>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** A file's latest outcome changed (or all were dropped). */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly history: HistoryStore,
    private readonly inbox: InboxService,
  ) {}

  async read(uri: vscode.Uri): Promise<AudienceDocument> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    return { uri, text, name: vscode.workspace.asRelativePath(uri, false) };
  }

  /** Evaluates the text against Prolific, and keeps the outcome as the file's latest. */
  evaluate(document: AudienceDocument, client: ProlificClient, signal?: AbortSignal): Promise<AudienceOutcome> {
    const key = document.uri.toString();
    const running = this.run(document, client, signal);
    this.latest.set(key, { text: document.text, running });
    void running.then((outcome) => {
      const now = this.latest.get(key);
      if (now?.running !== running) return; // a newer evaluation took its place
      // A cancelled evaluation says nothing about the audience: it is not kept.
      if (outcome.kind === 'failed' && outcome.cancelled) this.latest.delete(key);
      else this.latest.set(key, { text: document.text, outcome });
      this.changed.fire();
    });
    return running;
  }

  /** The latest outcome for exactly this text, or the evaluation under way for it. */
  latestFor(uri: vscode.Uri, text: string): { outcome?: AudienceOutcome; running: boolean } | undefined {
    const latest = this.latest.get(uri.toString());
    if (!latest || latest.text !== text) return undefined;
    return { outcome: latest.outcome, running: latest.running !== undefined && latest.outcome === undefined };
  }

  /** Forgets every outcome (another account's token, say). */
  forget(): void {
    this.latest.clear();
    this.changed.fire();
  }

  private async run(document: AudienceDocument, client: ProlificClient, signal?: AbortSignal): Promise<AudienceOutcome> {
    const parsed = parseAudience(document.text);
    if (!parsed.ok) return { kind: 'invalid', problems: parsed.problems };
    try {
      const evaluation = await evaluateAudience(parsed.spec, this.environment(document.uri, client, signal));
      return evaluation.ok
        ? { kind: 'result', result: evaluation.result }
        : { kind: 'failed', failures: evaluation.failures, cancelled: evaluation.cancelled };
    } catch (error) {
      // Not expected (each source's failure is caught where it is read), but never a result.
      const message = error instanceof Error ? error.message : String(error);
      return {
        kind: 'failed',
        failures: [{ message: vscode.l10n.t('{0}: {1}', document.name, message), actions: ['Show Log'] }],
        cancelled: false,
      };
    }
  }

  private environment(uri: vscode.Uri, client: ProlificClient, signal?: AbortSignal): AudienceEnvironment {
    return {
      api: client,
      readFile: (path) => readWorkspaceFile(uri, path),
      sentHistory: (since) => this.history.runsSince(since),
      knownParticipants: () => this.inbox.knownParticipants(),
      ...(signal ? { signal } : {}),
    };
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** What the user is told when an outcome is not a result, in one message. */
export function outcomeProblem(document: AudienceDocument, outcome: Exclude<AudienceOutcome, { kind: 'result' }>): string {
  const sentences = outcome.kind === 'invalid' ? outcome.problems.map(problemText) : outcome.failures.map((f) => f.message);
  const shown = sentences.slice(0, 3).join(' ');
  const more = sentences.length > 3 ? ` ${vscode.l10n.t('({0} more problems.)', sentences.length - 3)}` : '';
  return outcome.kind === 'invalid'
    ? vscode.l10n.t('{0} is not a valid audience file: {1}', document.name, shown + more)
    : vscode.l10n.t('Could not evaluate {0}, so nothing was sent: {1}', document.name, shown + more);
}

/**
 * A file named in an audience file: relative to the workspace folder that holds the audience file
 * (or to its own folder outside a workspace), read from its editor when open (unsaved edits
 * included), else from disk.
 */
async function readWorkspaceFile(audience: vscode.Uri, path: string): Promise<string> {
  const folder = vscode.workspace.getWorkspaceFolder(audience);
  const base = folder ? folder.uri : vscode.Uri.joinPath(audience, '..');
  const target = vscode.Uri.joinPath(base, ...path.split(/[\\/]/).filter(Boolean));
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString());
  if (open) return open.getText();
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(target));
  } catch (error) {
    const where = folder ? vscode.l10n.t('the workspace folder "{0}"', folder.name) : vscode.l10n.t("the audience file's folder");
    if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound')
      throw new Error(vscode.l10n.t('the file {0} does not exist in {1}.', path, where));
    if (error instanceof vscode.FileSystemError && error.code === 'FileIsADirectory')
      throw new Error(vscode.l10n.t('{0} is a folder, not a file.', path));
    throw new Error(vscode.l10n.t('the file {0} could not be read: {1}', path, error instanceof Error ? error.message : String(error)));
  }
}
