// The one path every entry point takes to send a message: validate, make sure there is a
// token, post, then report the result as a notification. One participant is handled here;
// lists and groups go to ListSender. The API client knows nothing of the UI; the compose
// forms know nothing of HTTP.
import vscode = require('vscode');
import { abortSignalFor } from '../../host/cancellation';
import type { ClientFactory } from '../../host/clientFactory';
import { showFailure } from '../../host/failureNotice';
import type { AudienceStore } from '../compose/audienceStore';
import type { DraftStore } from '../compose/draftStore';
import type { StudyOption } from '../../webviews/compose/protocol';
import { placeholders } from '../../shared/template';
import { normalizeDraft, validateDraft, type Draft, type FieldErrors, type SendResult } from '../../shared/draft';
import { namedFieldErrors, reportFailure, sendFailure, type FailureReport } from '../../host/failures';
import type { HistoryStore } from '../history/historyStore';
import { journaled } from './journaled';
import type { ListSender } from './listSender';
import type { TokenController } from '../account/tokenController';
import type { MessagingFeaturesProbe } from '../account/messagingFeatures';
import type { TokenStore } from '../account/tokenStore';
import type { MessagingFeatures } from '../../prolific/conversationsApi';
import type { ProlificClient } from '../../prolific/client';

export class MessageService implements vscode.Disposable {
  /** Sends in flight, by content: a second identical send while one runs is dropped. */
  private readonly inFlight = new Set<string>();
  /** Names of the studies last listed, to name a study in confirmations. */
  readonly studyNames = new Map<string, string>();
  private readonly delivered = new vscode.EventEmitter<Draft>();
  /** A message to one participant was delivered: sent from a form, a reply, or a notification's Retry. */
  readonly onDidDeliver = this.delivered.event;

  constructor(
    private readonly tokens: TokenStore,
    private readonly tokenController: TokenController,
    private readonly clients: ClientFactory,
    private readonly drafts: DraftStore,
    private readonly audiences: AudienceStore,
    private readonly lists: ListSender,
    private readonly history: HistoryStore,
    private readonly log: vscode.LogOutputChannel,
    private readonly probe: MessagingFeaturesProbe,
    /** The account's Prolific user ID, when known: the probe's answer is kept per account. */
    private readonly accountId: () => string | undefined,
  ) {
    // Another token may be another account, or the same one with other features: forgotten first,
    // then announced, so that whoever asks on hearing it gets the new account's answer.
    this.tokenChange = tokens.onDidChange(() => {
      probe.clear();
      this.featuresChanged.fire();
    });
  }

  private readonly tokenChange: vscode.Disposable;
  private readonly featuresChanged = new vscode.EventEmitter<void>();
  /** The form's features may have changed (the token did); features() then asks afresh. */
  readonly onDidChangeFeatures = this.featuresChanged.event;

  dispose(): void {
    this.delivered.dispose();
    this.tokenChange.dispose();
    this.featuresChanged.dispose();
  }

  /** What the form may offer: a subject where the account has conversations (broadcasts, for a list). Never asks for a token, never fails. */
  async features(): Promise<{ subjects: boolean; broadcasts: boolean }> {
    const token = await this.tokens.get().catch(() => undefined);
    if (!token) return { subjects: false, broadcasts: false };
    const found = await this.featuresFor(token);
    return { subjects: found.conversations, broadcasts: found.broadcasts };
  }

  /** A broadcast's counts as Prolific has them now, for the Sent view; undefined without a token or an answer. */
  async broadcastCounts(broadcastId: string): Promise<{ recipients: number | null; replied: number | null } | undefined> {
    const token = await this.tokens.get().catch(() => undefined);
    if (!token) return undefined;
    try {
      const b = await this.clients.create(token).conversations.getBroadcast(broadcastId);
      return { recipients: b.recipient_count ?? null, replied: b.replied_count ?? null };
    } catch (error) {
      this.log.warn(`Could not read broadcast ${broadcastId}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  private featuresFor(token: string): Promise<MessagingFeatures> {
    return this.messagingFeatures(this.clients.create(token));
  }

  /** What the account behind `client` has: asked once per window and account, classic when the probe fails. */
  messagingFeatures(client: ProlificClient): Promise<MessagingFeatures> {
    return this.probe.features(this.accountId() ?? '', client);
  }

  /**
   * Sends the draft to the form's audience: the recipient field, or the list or group the
   * form holds.
   * @param origin the compose form that asked, which clears itself on success; every other
   *   form is told of the cleared draft. Undefined (e.g. Retry from a notification) tells all.
   */
  async send(input: Draft, origin?: unknown): Promise<SendResult> {
    const audience = this.audiences.get();
    const fieldErrors = validateDraft(input, audience.kind);
    const names = placeholders(input.body);
    if (names.length > 0 && input.subject?.trim() && audience.kind === 'list') {
      // A broadcast is one text for everyone: nothing can fill a placeholder in it.
      fieldErrors.body ??= vscode.l10n.t(
        '{0} cannot be filled in for a broadcast (a list with a subject). Remove it, or clear the subject to personalize.',
        `{{${names[0]}}}`,
      );
    } else if (names.length > 0 && !(audience.kind === 'list' && audience.rows)) {
      // Only a table fills placeholders; anywhere else they would reach participants as written.
      fieldErrors.body ??= vscode.l10n.t(
        '{0} can only be filled in when sending to the participants of a CSV file ("Message Participants in This File"). Remove it or fill it in.',
        `{{${names[0]}}}`,
      );
    }
    if (Object.keys(fieldErrors).length > 0) {
      return this.refuse(vscode.l10n.t('Message not sent. {0}', namedFieldErrors(fieldErrors)), fieldErrors);
    }
    const draft = normalizeDraft(input);
    const key = JSON.stringify([draft, audience.kind === 'list' ? audience.ids : audience.kind === 'group' ? audience.groupId : '']);
    if (this.inFlight.has(key)) return { ok: false, fieldErrors: {}, message: vscode.l10n.t('This message is already being sent.') };
    this.inFlight.add(key);
    try {
      const token = await this.tokenOrAsk(draft, (d) => this.send(d));
      if (typeof token !== 'string') return token;
      if (audience.kind === 'single') {
        try {
          return await this.postOne(draft, token, origin);
        } catch (error) {
          return this.fail(sendFailure(error, 'message'), draft, (d) => this.sendTo(d, undefined));
        }
      }
      if (draft.subject && !(await this.featuresFor(token)).broadcasts)
        return this.refuseSubject(
          vscode.l10n.t('Your Prolific workspace has no broadcasts yet: clear the subject to send a plain bulk message.'),
        );
      const result = await this.lists.send(audience, draft, this.clients.create(token), this.studyNames.get(draft.study_id));
      if (result.ok) await this.drafts.clearSent(draft, origin);
      return result;
    } catch (error) {
      return this.fail(sendFailure(error, 'message'), draft);
    } finally {
      this.inFlight.delete(key);
    }
  }

  /**
   * A reply from a conversation: one participant, the thread's study, the compose draft
   * untouched. The same checks, token handling and notifications as any send.
   * @param conversationId Prolific's conversation the reply goes into, where it has them.
   */
  reply(message: Draft, conversationId?: string): Promise<SendResult> {
    return this.sendTo(message, false, conversationId);
  }

  /**
   * One message to the participant it names, whatever list the form holds now: what Retry
   * runs, so a retry can never reach anyone else.
   * @param origin as for send(); false leaves the compose draft alone (a reply).
   */
  private async sendTo(message: Draft, origin: unknown, conversationId?: string): Promise<SendResult> {
    const fieldErrors = validateDraft(message);
    if (Object.keys(fieldErrors).length > 0) {
      return this.refuse(vscode.l10n.t('Reply not sent. {0}', namedFieldErrors(fieldErrors)), fieldErrors);
    }
    const draft = normalizeDraft(message);
    const key = JSON.stringify([draft, '']);
    if (this.inFlight.has(key)) return { ok: false, fieldErrors: {}, message: vscode.l10n.t('This message is already being sent.') };
    this.inFlight.add(key);
    try {
      const token = await this.tokenOrAsk(draft, (d) => this.sendTo(d, origin, conversationId));
      if (typeof token !== 'string') return token;
      return await this.postOne(draft, token, origin, conversationId);
    } catch (error) {
      return this.fail(sendFailure(error, origin === false ? 'reply' : 'message'), draft, (d) => this.sendTo(d, origin, conversationId));
    } finally {
      this.inFlight.delete(key);
    }
  }

  /** The account's studies for the study picker; never asks for a token. */
  async listStudies(): Promise<{ studies: StudyOption[]; error?: string }> {
    try {
      const token = await this.tokens.get();
      if (!token) return { studies: [], error: vscode.l10n.t('Set an API token to list your studies; you can still type a study ID.') };
      const studies = await this.clients.create(token).listStudies();
      for (const s of studies) this.studyNames.set(s.id, s.name);
      return { studies: studies.map((s) => ({ id: s.id, name: s.name, status: s.status ?? null })) };
    } catch (error) {
      const report = reportFailure(error, vscode.l10n.t('Could not list your studies'));
      this.log.warn(report.message);
      return { studies: [], error: report.message };
    }
  }

  /** The stored token, or one the user sets now; otherwise the result to return. */
  private async tokenOrAsk(draft: Draft, again: (d: Draft) => Promise<unknown>): Promise<string | SendResult> {
    const token =
      (await this.tokens.get()) ??
      (await this.tokenController.promptAndSet(vscode.l10n.t('No Prolific API token is set. Paste one to send this message.')));
    if (token) return token;
    const message = vscode.l10n.t('Message not sent: no API token is set.');
    void showFailure(message, ['Set API Token'], { log: this.log, afterTokenSet: () => again(draft), warning: true });
    return { ok: false, fieldErrors: {}, message };
  }

  /**
   * @param origin the compose form to clear after success, or false for a reply (no draft).
   * @param conversationId the conversation a reply goes into (POST /messages/ with conversation_id).
   */
  private async postOne(draft: Draft, token: string, origin: unknown, conversationId?: string): Promise<SendResult> {
    const client = this.clients.create(token);
    const { subject, topic = '' } = draft;
    if (subject && !(await this.featuresFor(token)).conversations)
      return this.refuseSubject(
        vscode.l10n.t('Your Prolific workspace has no conversations yet: clear the subject to send a plain message.'),
      );
    const post = (signal: AbortSignal) =>
      subject
        ? client.conversations
            .start(
              { recipient_id: draft.recipient_id, subject, topic, study_id: draft.study_id, body: draft.body },
              this.accountId() ?? '',
              signal,
            )
            .then(() => undefined)
        : conversationId
          ? client.conversations.reply({ conversation_id: conversationId, body: draft.body }, signal)
          : client.sendMessage(draft, signal);
    // Journaled like any run: if VS Code dies while it is on its way, the history still says so.
    const run = await this.history.startRun({
      kind: 'single',
      studyId: draft.study_id,
      body: draft.body,
      recipientCount: 1,
      items: [{ id: draft.recipient_id }],
    });
    try {
      await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: vscode.l10n.t('Sending message to {0}…', draft.recipient_id),
          cancellable: true,
        },
        (_progress, cancel) => journaled(run, [draft.recipient_id], () => post(abortSignalFor(cancel))),
      );
    } finally {
      await run.end({ cancelled: false });
    }
    this.log.info(`${subject ? 'Conversation started' : 'Message sent'} with ${draft.recipient_id} (study ${draft.study_id})`);
    if (origin !== false) await this.drafts.clearSent(draft, origin);
    this.delivered.fire(draft);
    void vscode.window.showInformationMessage(
      subject
        ? vscode.l10n.t('Conversation "{0}" started with {1}.', subject, draft.recipient_id)
        : vscode.l10n.t('Message sent to {0}.', draft.recipient_id),
    );
    return { ok: true };
  }

  /** A subject kept from a window where Prolific took it: sending it plain would drop it, so it is refused by name. */
  private refuseSubject(why: string): SendResult {
    const fieldErrors = { subject: why };
    return this.refuse(vscode.l10n.t('Message not sent. {0}', namedFieldErrors(fieldErrors)), fieldErrors);
  }

  private refuse(message: string, fieldErrors: FieldErrors): SendResult {
    void vscode.window.showErrorMessage(message);
    return { ok: false, fieldErrors, message };
  }

  /** Reports a failure; the actions run only when the user picks them, never by themselves. */
  private fail(report: FailureReport, draft: Draft, again: (d: Draft) => Promise<unknown> = (d) => this.send(d)): SendResult {
    this.log.error(report.message);
    void showFailure(report.message, report.actions, { log: this.log, retry: () => again(draft), afterTokenSet: () => again(draft) });
    return { ok: false, fieldErrors: report.fieldErrors, message: report.message };
  }
}
