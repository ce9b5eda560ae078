// "Show in Studies" from the hover over a participant ID: their submission status in each of the
// account's studies. Only when asked (it reads every study's submissions), with progress and
// Cancel; each study's submissions are kept for the window, so asking again is instant.
import vscode = require('vscode');
import { reportFailure } from '../../host/failures';
import { abortSignalFor } from '../../host/cancellation';
import type { ProlificClient } from '../../prolific/client';
import { isParticipantId } from '../../shared/recipients/participantIds';
import { pointedParticipants } from '../editor/editorParticipants';

export class StudyMembership implements vscode.Disposable {
  /** Per study: participant ID → submission status. Cleared when the token changes. */
  private readonly statuses = new Map<string, Promise<Map<string, string>>>();
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly clientFor: () => Promise<ProlificClient | undefined>,
    tokenChanged: vscode.Event<unknown>,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscription = tokenChanged(() => this.statuses.clear());
  }

  /** The command: looks the participant up and shows the studies they are in. */
  async show(participantId: unknown): Promise<void> {
    const id = typeof participantId === 'string' && isParticipantId(participantId) ? participantId.toLowerCase() : await askForId();
    if (!id) return;
    try {
      const found = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Looking for {0} in your studies…', id), cancellable: true },
        (progress, cancel) => this.find(id, abortSignalFor(cancel), progress),
      );
      if (!found) return; // cancelled
      const items = found.map(({ name, status }) => ({ label: name, description: status || vscode.l10n.t('no status') }));
      if (items.length === 0) {
        void vscode.window.showInformationMessage(vscode.l10n.t('{0} has no submission in your studies.', id));
        return;
      }
      await vscode.window.showQuickPick(items, {
        title: vscode.l10n.t('Studies of participant {0}', id),
        placeHolder: vscode.l10n.t('Submission status in each study'),
      });
    } catch (error) {
      const report = reportFailure(error, vscode.l10n.t('Could not look the participant up'));
      this.log.warn(report.message);
      void vscode.window.showErrorMessage(report.message);
    }
  }

  /** The studies with a submission of this participant, and its status; undefined when cancelled or no token is set. */
  async find(
    id: string,
    signal: AbortSignal,
    progress?: vscode.Progress<{ message?: string; increment?: number }>,
  ): Promise<{ name: string; status: string }[] | undefined> {
    const client = await this.clientFor();
    if (!client) return undefined;
    try {
      return await this.lookUp(client, id, signal, progress);
    } catch (error) {
      if (signal.aborted) return undefined; // Cancel: nothing to report
      throw error;
    }
  }

  private async lookUp(
    client: ProlificClient,
    id: string,
    signal: AbortSignal,
    progress?: vscode.Progress<{ message?: string; increment?: number }>,
  ): Promise<{ name: string; status: string }[] | undefined> {
    const studies = await client.listStudies(signal);
    const found: { name: string; status: string }[] = [];
    for (const [i, study] of studies.entries()) {
      if (signal.aborted) return undefined;
      progress?.report({ message: `${study.name} (${i + 1}/${studies.length})`, increment: 100 / studies.length });
      const statuses = await this.statusesOf(client, study.id, signal);
      const status = statuses.get(id);
      if (status !== undefined) found.push({ name: study.name, status });
    }
    return signal.aborted ? undefined : found;
  }

  private statusesOf(client: ProlificClient, studyId: string, signal: AbortSignal): Promise<Map<string, string>> {
    let statuses = this.statuses.get(studyId);
    if (!statuses) {
      statuses = client.listSubmissions(studyId, signal).then((submissions) => {
        const byParticipant = new Map<string, string>();
        for (const s of submissions) byParticipant.set(s.participant_id.toLowerCase(), s.status ?? '');
        return byParticipant;
      });
      // A cancelled or failed read is not kept: the next look-up asks again.
      statuses.catch(() => this.statuses.delete(studyId));
      this.statuses.set(studyId, statuses);
    }
    return statuses;
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

/** From the palette: the ID under the cursor, else one the user types. */
async function askForId(): Promise<string | undefined> {
  const pointed = pointedParticipants(vscode.window.activeTextEditor);
  if (pointed?.kind === 'one') return pointed.id;
  const typed = await vscode.window.showInputBox({
    title: vscode.l10n.t('Show Participant in Studies'),
    prompt: vscode.l10n.t('Participant ID'),
    validateInput: (text) =>
      text.trim() === '' || isParticipantId(text.trim()) ? undefined : vscode.l10n.t('A participant ID is 24 hexadecimal characters.'),
  });
  return typed?.trim() ? typed.trim().toLowerCase() : undefined;
}
