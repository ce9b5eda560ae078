// The one path every entry point takes to send a message: validate, make sure there is a
// token, post, then report the result as a notification. The API client knows nothing of
// the UI; the compose forms know nothing of HTTP.
import * as vscode from 'vscode';
import type { ClientFactory } from './clientFactory';
import type { DraftStore } from './compose/draftStore';
import type { Draft, FieldErrors, StudyOption } from './compose/protocol';
import { FIELD_LABELS, reportFailure, type FailureReport } from './failureReport';
import { normalizeDraft, validateDraft } from './core/validation';
import { abortSignalFor, type TokenController } from './tokenController';
import type { TokenStore } from './tokenStore';

export type SendResult = { ok: true } | { ok: false; fieldErrors: FieldErrors; message: string };

export class MessageService {
  /** Sends in flight, by content: a second identical send while one runs is dropped. */
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly tokens: TokenStore,
    private readonly tokenController: TokenController,
    private readonly clients: ClientFactory,
    private readonly drafts: DraftStore,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /**
   * @param origin the compose form that asked, which clears itself on success; every other
   *   form is told of the cleared draft. Undefined (e.g. Retry from a notification) tells all.
   */
  async send(input: Draft, origin?: unknown): Promise<SendResult> {
    const fieldErrors = validateDraft(input);
    if (Object.keys(fieldErrors).length > 0) {
      const named = Object.entries(fieldErrors).map(([f, m]) => `${FIELD_LABELS[f as keyof Draft]}: ${m}`);
      const message = `Message not sent. ${named.join(' ')}`;
      void vscode.window.showErrorMessage(message);
      return { ok: false, fieldErrors, message };
    }
    const draft = normalizeDraft(input);
    const key = JSON.stringify(draft);
    if (this.inFlight.has(key)) return { ok: false, fieldErrors: {}, message: 'This message is already being sent.' };
    this.inFlight.add(key);
    try {
      return await this.post(draft, origin);
    } finally {
      this.inFlight.delete(key);
    }
  }

  /** The account's studies for the study picker; never asks for a token. */
  async listStudies(): Promise<{ studies: StudyOption[]; error?: string }> {
    try {
      const token = await this.tokens.get();
      if (!token) return { studies: [], error: 'Set an API token to list your studies; you can still type a study ID.' };
      const studies = await this.clients.create(token).listStudies();
      return { studies: studies.map((s) => ({ id: s.id, name: s.name, status: s.status ?? null })) };
    } catch (error) {
      const report = reportFailure(error, 'Could not list your studies');
      this.log.warn(report.message);
      return { studies: [], error: report.message };
    }
  }

  private async post(draft: Draft, origin: unknown): Promise<SendResult> {
    let token: string | undefined;
    try {
      token = (await this.tokens.get()) ?? (await this.tokenController.promptAndSet('No Prolific API token is set. Paste one to send this message.'));
    } catch (error) {
      return this.fail(reportFailure(error, 'Message not sent'), draft);
    }
    if (!token) {
      const message = 'Message not sent: no API token is set.';
      void vscode.window.showWarningMessage(message, 'Set API Token').then((c) => c && this.resendAfterToken(draft));
      return { ok: false, fieldErrors: {}, message };
    }

    try {
      const client = this.clients.create(token);
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Sending message to ${draft.recipient_id}…`, cancellable: true },
        (_progress, cancel) => client.sendMessage(draft, abortSignalFor(cancel)),
      );
    } catch (error) {
      return this.fail(reportFailure(error, 'Message not sent'), draft);
    }

    this.log.info(`Message sent to ${draft.recipient_id} (study ${draft.study_id})`);
    await this.drafts.clearSent(draft, origin);
    void vscode.window.showInformationMessage(`Message sent to ${draft.recipient_id}.`);
    return { ok: true };
  }

  /** Reports a failure; the actions run only when the user picks them, never by themselves. */
  private fail(report: FailureReport, draft: Draft): SendResult {
    this.log.error(report.message);
    void vscode.window.showErrorMessage(report.message, ...report.actions).then(async (choice) => {
      if (choice === 'Retry') await this.send(draft);
      else if (choice === 'Set API Token') await this.resendAfterToken(draft);
      else if (choice === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', 'prolific.apiBaseUrl');
      else if (choice === 'Show Log') this.log.show(true);
    });
    return { ok: false, fieldErrors: report.fieldErrors, message: report.message };
  }

  private async resendAfterToken(draft: Draft): Promise<void> {
    if (await this.tokenController.promptAndSet()) await this.send(draft);
  }
}
