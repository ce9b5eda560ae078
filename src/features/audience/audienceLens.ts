// The CodeLens at the top of an audience file: how many participants it holds now, Preview and
// Message…. The count comes from a full evaluation against Prolific, so it is made when the file
// is opened or saved, not as you type: an unsaved edit shows "Save the file to count" (what a
// format error is can be said at once, without asking Prolific). It never asks for a token.
import vscode = require('vscode');
import { COMMANDS } from '../../host/commands';
import type { ProlificClient } from '../../prolific/client';
import { parseAudience, problemText } from './audienceFormat';
import { participantsText } from './audiencePreview';
import type { AudienceOutcome, AudienceService } from './audienceService';

const MAX_TITLE = 90;

export class AudienceLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  /** Evaluations being started (uri + text), so a second request for lenses starts none. */
  private readonly starting = new Set<string>();
  private signedOut = false;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly service: AudienceService,
    private readonly signedInClient: () => Promise<ProlificClient | undefined>,
    tokenChanged: vscode.Event<void>,
  ) {
    this.subscriptions = [
      this.changed,
      service.onDidChange(() => this.changed.fire()),
      tokenChanged(() => {
        this.signedOut = false;
        service.forget(); // another token may be another account: every count is asked again
      }),
      // Saving turns "Save the file to count" into a count.
      vscode.workspace.onDidSaveTextDocument((d) => isAudienceFile(d.uri) && this.changed.fire()),
    ];
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    const args = [document.uri];
    return [
      new vscode.CodeLens(top, this.countCommand(document)),
      new vscode.CodeLens(top, {
        title: vscode.l10n.t('Preview'),
        tooltip: vscode.l10n.t('Who is in this audience, and why'),
        command: COMMANDS.previewAudience,
        arguments: args,
      }),
      new vscode.CodeLens(top, {
        title: vscode.l10n.t('Message…'),
        tooltip: vscode.l10n.t('Evaluate this audience again and write to its participants'),
        command: COMMANDS.messageAudience,
        arguments: args,
      }),
    ];
  }

  private countCommand(document: vscode.TextDocument): vscode.Command {
    const preview = (title: string, tooltip?: string): vscode.Command => ({
      title,
      tooltip: tooltip ?? vscode.l10n.t('Who is in this audience, and why'),
      command: COMMANDS.previewAudience,
      arguments: [document.uri],
    });
    const text = document.getText();
    const latest = this.service.latestFor(document.uri, text);
    if (latest?.outcome) return outcomeCommand(latest.outcome, preview);
    const counting = preview(`$(sync~spin) ${vscode.l10n.t('Counting participants…')}`);
    if (latest?.running) return counting;
    const parsed = parseAudience(text);
    if (!parsed.ok) return preview(`$(error) ${short(problemText(parsed.problems[0]))}`, parsed.problems.map(problemText).join('\n'));
    if (this.signedOut)
      return { title: vscode.l10n.t('Set an API token to count participants'), command: COMMANDS.setApiToken, arguments: [] };
    if (document.isDirty) return preview(vscode.l10n.t('Save the file to count participants'));
    void this.start(document, text);
    return counting;
  }

  private async start(document: vscode.TextDocument, text: string): Promise<void> {
    const key = `${document.uri.toString()}\n${text}`;
    if (this.starting.has(key)) return;
    this.starting.add(key);
    try {
      const client = await this.signedInClient();
      if (!client) {
        this.signedOut = true;
        this.changed.fire();
        return;
      }
      await this.service.evaluate({ uri: document.uri, text, name: vscode.workspace.asRelativePath(document.uri, false) }, client);
    } finally {
      this.starting.delete(key);
    }
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
  }
}

function outcomeCommand(outcome: AudienceOutcome, preview: (title: string, tooltip?: string) => vscode.Command): vscode.Command {
  switch (outcome.kind) {
    case 'result': {
      const warnings = outcome.result.sources.flatMap((s) => s.warnings.map((w) => vscode.l10n.t('{0}: {1}', s.tag, w)));
      const count = participantsText(outcome.result.members.length);
      return warnings.length ? preview(`$(warning) ${count}`, warnings.join('\n')) : preview(count);
    }
    case 'invalid':
      return preview(`$(error) ${short(problemText(outcome.problems[0]))}`, outcome.problems.map(problemText).join('\n'));
    case 'failed':
      return preview(
        `$(warning) ${vscode.l10n.t('Could not count: {0}', short(outcome.failures[0]?.message ?? ''))}`,
        outcome.failures.map((f) => f.message).join('\n'),
      );
  }
}

function short(text: string): string {
  return text.length > MAX_TITLE ? `${text.slice(0, MAX_TITLE - 1).trimEnd()}…` : text;
}

export function isAudienceFile(uri: vscode.Uri): boolean {
  return /\.audience\.json$/i.test(uri.path);
}
