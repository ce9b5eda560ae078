// Sending to many participants: a list (bulk, in chunks), a list with {{column}} placeholders
// (one personalized message each) or a participant group. Asks before a large send, shows
// progress with Cancel, records every run in the history and offers "Retry Failed", which
// only ever sends to participants whose failure proves they did not get the message.
import vscode = require('vscode');
import type { ProlificClient } from '../../prolific/client';
import type { Audience, AudienceStore } from '../compose/audienceStore';
import type { Draft, FieldErrors } from '../../shared/draft';
import { retryableIds, type RunReport } from '../../shared/outcomes';
import { selectRows } from '../../shared/recipients/recipientList';
import { runBulk, runPersonalized, type RunProgress } from './sendRun';
import { checkTemplate, placeholders, renderTemplate } from '../../shared/template';
import { abortSignalFor } from '../../host/cancellation';
import { runCommand } from '../../host/commands';
import { showFailure } from '../../host/failureNotice';
import { reportFailure, type FixAction } from '../../host/failures';
import { readSettings } from '../../host/settings';
import type { HistoryEntry, HistoryStore, RunSpec, RunWriter } from '../history/historyStore';
import { askAboutAlreadyMessaged, findAlreadyMessaged } from './alreadyMessaged';
import { journaled, journaledMessages } from './journaled';
import { retryableFor, type BroadcastFacts } from '../history/historyEntry';
import { newBroadcastId } from '../../prolific/safeBroadcast';
import { sendBroadcast } from './broadcastRun';

type ListAudience = Extract<Audience, { kind: 'list' }>;
type GroupAudience = Extract<Audience, { kind: 'group' }>;
export type ManyResult = { ok: true } | { ok: false; fieldErrors: FieldErrors; message: string };

/** A run to start: who gets which text. Bodies per participant only when personalized. */
interface Run {
  kind: 'bulk' | 'personalized' | 'broadcast';
  /** A broadcast's ID (chosen before it is journaled), subject and topic. */
  broadcast?: BroadcastFacts;
  source: string;
  studyId: string;
  body: string;
  ids: string[];
  bodies?: Record<string, string>;
  /** The audience file the list came from (recorded in the history). */
  audience?: { file: string; content: string };
}

export class ListSender {
  constructor(
    private readonly audiences: AudienceStore,
    private readonly history: HistoryStore,
    private readonly clientFor: () => Promise<ProlificClient | undefined>,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async send(
    audience: Exclude<Audience, { kind: 'single' }>,
    draft: Draft,
    client: ProlificClient,
    studyName?: string,
  ): Promise<ManyResult> {
    if (audience.kind === 'group') return this.sendToGroup(audience, draft, client, studyName);
    const planned = this.planList(audience, draft);
    if ('fieldErrors' in planned) return planned;
    const run = await this.prepare(planned, client, studyName);
    if (!run) return { ok: false, fieldErrors: {}, message: vscode.l10n.t('Not sent: you cancelled before anything was sent.') };
    if (run.ids.length === 0) return { ok: false, fieldErrors: {}, message: nobodyLeft() };
    return this.execute(run, await this.history.startRun(specOf(run)), client);
  }

  /** "Retry Failed" from a notification or the Sent view: only those proven not to have it. */
  async retryFailed(entry: HistoryEntry): Promise<void> {
    // A personalized message is resent only with its own text, never the raw template. A
    // broadcast goes again with its own ID, to everyone who may lack it (Prolific makes it once).
    const ids = retryableFor(entry.kind, entry.outcomes).filter((id) => entry.kind !== 'personalized' || entry.bodies?.[id] !== undefined);
    if (ids.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Nobody to retry: everyone either got the message or may have got it.'));
      return;
    }
    const client = await this.clientFor();
    if (!client) return;
    const bodies = entry.kind === 'personalized' ? Object.fromEntries(ids.map((id) => [id, entry.bodies?.[id] ?? ''])) : undefined;
    const source = entry.source ? vscode.l10n.t('Retry of {0}', entry.source) : vscode.l10n.t('Retry of an earlier send');
    const run = await this.prepare({ ...runOf(entry, ids, bodies), source }, client, undefined, true);
    if (!run?.ids.length) return;
    await this.execute(run, await this.history.startRun(specOf(run)), client);
  }

  /**
   * "Resume" an interrupted send: only those it never sent to, each once, with the same checks,
   * confirmation and progress as any send. Those who may have received it stay as they are.
   */
  async resume(runId: string): Promise<void> {
    const plan = await this.history.interruptedPlan(runId);
    if (!plan) {
      void vscode.window.showInformationMessage(vscode.l10n.t('That send is no longer interrupted: it was resumed or finished.'));
      return;
    }
    if (plan.items.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Nobody to resume: everyone either got the message or may have got it.'));
      return;
    }
    const client = await this.clientFor();
    if (!client) return;
    const bodies = plan.entry.kind === 'personalized' ? Object.fromEntries(plan.items.map((i) => [i.id, i.body ?? ''])) : undefined;
    const run = await this.prepare(
      runOf(
        plan.entry,
        plan.items.map((i) => i.id),
        bodies,
      ),
      client,
      undefined,
      true,
    );
    if (!run?.ids.length) return;
    const writer = await this.history.resumeRun(runId);
    if (!writer) {
      void vscode.window.showWarningMessage(vscode.l10n.t('That send was resumed in another window.'));
      return;
    }
    await this.execute(run, writer, client);
  }

  /**
   * Leaves out who already got this text (when the user agrees), then asks before a large send.
   * Undefined: the user cancelled.
   * @param again a Retry or Resume of an earlier run: a broadcast then goes with its own ID, so
   *   those the earlier run may have reached are not asked about (Prolific makes it only once).
   */
  private async prepare(run: Run, client: ProlificClient, studyName: string | undefined, again = false): Promise<Run | undefined> {
    if (again && run.broadcast) return (await this.confirm(run.ids.length, run.studyId, studyName)) ? run : undefined;
    const recipients = run.ids.map((id) => ({ id, text: run.bodies?.[id] ?? run.body }));
    const found = await findAlreadyMessaged(this.history, client, run.studyId, run.body, recipients, this.log);
    const leftOut = await askAboutAlreadyMessaged(found, run.ids.length);
    if (!leftOut) return undefined;
    const kept = leftOut.size ? withoutIds(run, leftOut) : run;
    if (kept.ids.length === 0) {
      void vscode.window.showInformationMessage(nobodyLeft());
      return kept;
    }
    return (await this.confirm(kept.ids.length, run.studyId, studyName)) ? kept : undefined;
  }

  private planList(audience: ListAudience, draft: Draft): Run | { ok: false; fieldErrors: FieldErrors; message: string } {
    const base = {
      source: audience.source,
      studyId: draft.study_id,
      body: draft.body,
      ids: audience.ids,
      ...(audience.audienceFile ? { audience: audience.audienceFile } : {}),
    };
    if (audience.ids.length === 0)
      return { ok: false, fieldErrors: {}, message: vscode.l10n.t('Not sent: the list has no participant IDs.') };
    if (draft.subject)
      return { kind: 'broadcast', ...base, broadcast: { id: newBroadcastId(), subject: draft.subject, topic: draft.topic ?? '' } };
    if (!audience.rows || placeholders(draft.body).length === 0) return { kind: 'bulk', ...base };
    const rows = audience.rows();
    const problems = checkTemplate(draft.body, audience.columns ?? [], rows, audience.rowNumbers);
    if (problems.length > 0) {
      const message = vscode.l10n.t('Not sent: {0}', problems.join(' '));
      void vscode.window.showErrorMessage(message);
      return { ok: false, fieldErrors: { body: problems.join(' ') }, message };
    }
    const bodies = Object.fromEntries(audience.ids.map((id, i) => [id, renderTemplate(draft.body, rows[i] ?? {})]));
    return { kind: 'personalized', ...base, bodies };
  }

  private async confirm(count: number, studyId: string, studyName: string | undefined): Promise<boolean> {
    if (count < readSettings().bulkConfirmThreshold) return true;
    const detail = studyName
      ? vscode.l10n.t('Study: "{0}" ({1}). Each participant gets it in their Prolific inbox and by email.', studyName, studyId)
      : vscode.l10n.t('Study: {0}. Each participant gets it in their Prolific inbox and by email.', studyId);
    const action = vscode.l10n.t('Send to {0}', count);
    const choice = await vscode.window.showWarningMessage(
      count === 1 ? vscode.l10n.t('Send this message to 1 participant?') : vscode.l10n.t('Send this message to {0} participants?', count),
      { modal: true, detail },
      action,
    );
    return choice === action;
  }

  /** Sends the run, every request journaled by `writer`, then reports it. */
  private async execute(run: Run, writer: RunWriter, client: ProlificClient): Promise<ManyResult> {
    if (run.broadcast) return this.executeBroadcast(run, run.broadcast, writer, client);
    const settings = readSettings();
    const total = run.ids.length;
    // The error behind each participant's last failed attempt, to word the outcome and offer its fix.
    const errors = new Map<string, unknown>();
    const noting = (ids: string[], sending: Promise<void>) =>
      sending.catch((error: unknown) => {
        for (const id of ids) errors.set(id, error);
        throw error;
      });
    const report = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: run.kind === 'personalized' ? vscode.l10n.t('Sending personalized messages') : vscode.l10n.t('Sending message'),
        cancellable: true,
      },
      (progress, cancel) => {
        const signal = abortSignalFor(cancel);
        let reported = 0;
        const onProgress = (p: RunProgress) => {
          const done = p.failed
            ? vscode.l10n.t('{0} of {1} sent, {2} failed', p.sent, total, p.failed)
            : vscode.l10n.t('{0} of {1} sent', p.sent, total);
          const message = p.waitingSeconds
            ? vscode.l10n.t('{0} (Prolific asked to slow down: waiting {1} s)', done, p.waitingSeconds)
            : done;
          progress.report({ message, increment: ((p.done - reported) / total) * 100 });
          reported = p.done;
        };
        const bodies = run.bodies;
        const sendOne = journaledMessages(writer, client, run.studyId);
        return bodies
          ? runPersonalized(
              run.ids.map((id) => ({ id, body: bodies[id] ?? run.body })),
              (item, s) => noting([item.id], sendOne(item, s)),
              { concurrency: settings.personalizedConcurrency, signal, onProgress },
            )
          : runBulk(
              run.ids,
              settings.bulkChunkSize,
              (ids, s) =>
                noting(
                  ids,
                  journaled(writer, ids, () => client.sendBulk({ ids, body: run.body, study_id: run.studyId }, s)),
                ),
              { signal, onProgress },
            );
      },
    );
    const notTried = report.outcomes.find((o) => o.status === 'skipped')?.reason;
    const entry = await writer.end({ cancelled: report.cancelled, ...(notTried ? { reason: notTried } : {}) });
    this.log.info(
      `${run.kind} send to ${total}: ${report.counts.sent} sent, ${report.counts.failed} failed, ${report.counts.skipped} skipped${report.cancelled ? ' (cancelled)' : ''}`,
    );
    this.keepUnsent(run, report);
    return this.announce(run, report, entry, errors);
  }

  /** Sends a broadcast (retried with its ID where that is safe), then reports it. */
  private async executeBroadcast(run: Run, broadcast: BroadcastFacts, writer: RunWriter, client: ProlificClient): Promise<ManyResult> {
    const outcome = await sendBroadcast(
      { ...broadcast, studyId: run.studyId, body: run.body, ids: run.ids },
      writer,
      client.conversations,
      this.log,
    );
    const counted = outcome.ok && outcome.recipientCount !== null ? { broadcastRecipients: outcome.recipientCount } : {};
    const entry = await writer.end({ cancelled: false, ...counted });
    const report: RunReport = { outcomes: entry.outcomes, counts: entry.counts, cancelled: false };
    this.keepUnsent(run, report);
    if (outcome.ok) {
      const count = outcome.recipientCount ?? run.ids.length;
      void vscode.window.showInformationMessage(
        count === 1
          ? vscode.l10n.t('Broadcast "{0}" sent to 1 participant, in a conversation of their own.', broadcast.subject)
          : vscode.l10n.t('Broadcast "{0}" sent to {1} participants, each in a conversation of their own.', broadcast.subject, count),
      );
      return { ok: true };
    }
    const message = outcome.message;
    // Retry sends the same ID again, which cannot deliver twice; a refusal (400) would only be refused again.
    const retry = { label: vscode.l10n.t('Retry'), run: () => this.retryFailed(entry) };
    const openReport = { label: vscode.l10n.t('Open Report'), run: () => runCommand('openSent', entry.id) };
    void showFailure(message, outcome.fixes, {
      log: this.log,
      extra: [...(outcome.refused ? [] : [retry]), openReport],
      afterTokenSet: () => this.retryFailed(entry),
    });
    return { ok: false, fieldErrors: outcome.fieldErrors, message };
  }

  /**
   * After a run the form holds only those who may safely get the message still, so pressing
   * Send again cannot reach anyone twice. Empty: back to one recipient.
   */
  private keepUnsent(run: Run, report: RunReport): void {
    const current = this.audiences.get();
    const rest = new Set(retryableIds(report.outcomes));
    if (rest.size === 0 || current.kind !== 'list') {
      this.audiences.clear();
      return;
    }
    const keep = current.ids.map((id, i) => [id, i] as const).filter(([id]) => rest.has(id));
    this.audiences.set({
      ...current,
      source: vscode.l10n.t('Not yet sent, from {0}', run.source),
      ids: keep.map(([id]) => id),
      invalid: [],
      duplicates: 0,
      ...(current.rows
        ? {
            rows: selectRows(
              current.rows,
              keep.map(([, i]) => i),
            ),
          }
        : {}),
      ...(current.rowNumbers ? { rowNumbers: keep.map(([, i]) => current.rowNumbers?.[i] ?? 0) } : {}),
    });
  }

  private announce(run: Run, report: RunReport, entry: HistoryEntry, errors: ReadonlyMap<string, unknown>): ManyResult {
    const { sent, failed, skipped } = report.counts;
    const total = run.ids.length;
    if (sent === total) {
      const sentAll =
        run.kind === 'personalized'
          ? total === 1
            ? vscode.l10n.t('Personalized message sent to 1 participant.')
            : vscode.l10n.t('Personalized messages sent to {0} participants.', total)
          : total === 1
            ? vscode.l10n.t('Message sent to 1 participant.')
            : vscode.l10n.t('Message sent to {0} participants.', total);
      void vscode.window.showInformationMessage(sentAll);
      return { ok: true };
    }
    const retryable = retryableIds(report.outcomes).length;
    const firstFailure = report.outcomes.find((o) => o.status === 'failed');
    const counts = skipped
      ? vscode.l10n.t('Sent to {0} of {1} participants; {2} failed, {3} not attempted', sent, total, failed, skipped)
      : vscode.l10n.t('Sent to {0} of {1} participants; {2} failed', sent, total, failed);
    // The first failure worded as for a single message, with the action that fixes it (a token,
    // the base URL setting). Its Retry becomes Retry Failed, which only offers those proven not to
    // have the message: the others are said to be left out, so nobody resends to them by hand.
    const fix =
      !report.cancelled && firstFailure && errors.has(firstFailure.id) ? reportFailure(errors.get(firstFailure.id), counts) : undefined;
    const uncertain = report.outcomes.filter((o) => o.status === 'failed' && !o.retryable).length;
    const leftOut = !uncertain
      ? ''
      : uncertain === failed
        ? failed === 1
          ? vscode.l10n.t('That participant may have received it all the same, so is not offered for retry.')
          : vscode.l10n.t('They may have received it all the same, so are not offered for retry.')
        : uncertain === 1
          ? vscode.l10n.t('1 of them may have received it all the same, so is not offered for retry.')
          : vscode.l10n.t('{0} of them may have received it all the same, so are not offered for retry.', uncertain);
    const summary = fix
      ? fix.message.startsWith(counts)
        ? fix.message
        : vscode.l10n.t('{0}. {1}', counts, fix.message)
      : firstFailure?.reason
        ? vscode.l10n.t('{0}. {1}', counts, firstFailure.reason)
        : vscode.l10n.t('{0}.', counts);
    const message = report.cancelled
      ? vscode.l10n.t('Cancelled: sent to {0} of {1} participants; {2} not sent.', sent, total, skipped)
      : leftOut
        ? vscode.l10n.t('{0} {1}', summary, leftOut)
        : summary;
    const fixes = (fix?.actions ?? []).filter((a): a is FixAction => a === 'Set API Token' || a === 'Open Settings');
    const retryFailed = { label: vscode.l10n.t('Retry Failed'), run: () => this.retryFailed(entry) };
    const openReport = { label: vscode.l10n.t('Open Report'), run: () => runCommand('openSent', entry.id) };
    void showFailure(message, fixes, {
      log: this.log,
      extra: [...(retryable > 0 ? [retryFailed] : []), openReport],
      afterTokenSet: () => retryable > 0 && this.retryFailed(entry),
    });
    return { ok: false, fieldErrors: fix?.fieldErrors ?? {}, message };
  }

  private async sendToGroup(audience: GroupAudience, draft: Draft, client: ProlificClient, studyName?: string): Promise<ManyResult> {
    if (!(await this.confirm(audience.count ?? Number.MAX_SAFE_INTEGER, draft.study_id, studyName))) {
      return { ok: false, fieldErrors: {}, message: vscode.l10n.t('Not sent: you cancelled before anything was sent.') };
    }
    const count = audience.count ?? 0;
    const writer = await this.history.startRun({
      kind: 'group',
      studyId: draft.study_id,
      body: draft.body,
      recipientCount: count,
      groupName: audience.name,
      items: [],
    });
    try {
      await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: vscode.l10n.t('Sending message to participant group {0}…', audience.name),
          cancellable: true,
        },
        (_progress, cancel) =>
          journaled(writer, [audience.groupId], () =>
            client.sendToGroup(
              { participant_group_id: audience.groupId, body: draft.body, study_id: draft.study_id },
              abortSignalFor(cancel),
            ),
          ),
      );
    } catch (error) {
      await writer.end({ cancelled: false, counts: { sent: 0, failed: count, skipped: 0, unknown: 0 } });
      throw error;
    }
    await writer.end({ cancelled: false, counts: { sent: count, failed: 0, skipped: 0, unknown: 0 } });
    this.audiences.clear();
    void vscode.window.showInformationMessage(vscode.l10n.t('Message sent to participant group {0}.', audience.name));
    return { ok: true };
  }
}

/** A run of `ids` of an earlier entry (retry, resume): its kind, study and text. */
function runOf(entry: HistoryEntry, ids: string[], bodies: Record<string, string> | undefined): Run {
  return {
    kind: entry.kind === 'personalized' || entry.kind === 'broadcast' ? entry.kind : 'bulk',
    ...(entry.broadcast ? { broadcast: entry.broadcast } : {}),
    source: entry.source ?? vscode.l10n.t('an earlier send'),
    studyId: entry.studyId ?? '',
    body: entry.body,
    ids,
    ...(bodies ? { bodies } : {}),
    ...(entry.audience ? { audience: entry.audience } : {}),
  };
}

/** The run without `left`: their IDs and their texts. */
function withoutIds(run: Run, left: ReadonlySet<string>): Run {
  const ids = run.ids.filter((id) => !left.has(id));
  const bodies = run.bodies;
  return { ...run, ids, ...(bodies ? { bodies: Object.fromEntries(ids.map((id) => [id, bodies[id] ?? run.body])) } : {}) };
}

/** What the history journals before anything is sent: everyone, with their texts when personalized. */
function specOf(run: Run): RunSpec {
  const bodies = run.bodies;
  return {
    kind: run.kind,
    studyId: run.studyId,
    body: run.body,
    source: run.source,
    recipientCount: run.ids.length,
    items: run.ids.map((id) => (bodies ? { id, body: bodies[id] ?? run.body } : { id })),
    ...(run.audience ? { audience: run.audience } : {}),
    ...(run.broadcast ? { broadcast: run.broadcast } : {}),
  };
}

function nobodyLeft(): string {
  return vscode.l10n.t('Not sent: everyone on the list already got this message.');
}
