// One broadcast, journaled and retried where that is safe. Its ID was chosen and journaled with
// the run before this is called, so every attempt (these, a later Retry, a Resume after VS Code
// died) sends the same ID, and Prolific makes the broadcast once. A timeout, a reset, a 5xx or a
// 429 is retried here by itself (sendBroadcastSafely), which no other send does.
import vscode = require('vscode');
import { abortSignalFor } from '../../host/cancellation';
import { sendFailure, type FixAction } from '../../host/failures';
import type { ConversationsApi } from '../../prolific/conversationsApi';
import { ProlificApiError } from '../../prolific/errors';
import { BROADCAST_ATTEMPTS, sendBroadcastSafely, worthRetrying } from '../../prolific/safeBroadcast';
import type { FieldErrors } from '../../shared/draft';
import type { BroadcastFacts } from '../history/historyEntry';
import { broadcastRefusal } from './broadcastRefusal';
import type { RunLog } from './journaled';
import { notDelivered } from './sendRun';

export interface BroadcastPlan extends BroadcastFacts {
  studyId: string;
  body: string;
  ids: readonly string[];
}

export type BroadcastOutcome =
  | { ok: true; recipientCount: number | null }
  | { ok: false; message: string; fixes: FixAction[]; fieldErrors: FieldErrors; refused: boolean };

export async function sendBroadcast(
  plan: BroadcastPlan,
  journal: RunLog,
  api: ConversationsApi,
  log: vscode.LogOutputChannel,
): Promise<BroadcastOutcome> {
  const title =
    plan.ids.length === 1
      ? vscode.l10n.t('Sending broadcast "{0}" to 1 participant…', plan.subject)
      : vscode.l10n.t('Sending broadcast "{0}" to {1} participants…', plan.subject, plan.ids.length);
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, cancel) => {
      await journal.trying(plan.ids);
      try {
        const made = await sendBroadcastSafely(
          api,
          { id: plan.id, study_id: plan.studyId, subject: plan.subject, topic: plan.topic, body: plan.body, recipient_ids: [...plan.ids] },
          {
            signal: abortSignalFor(cancel),
            onRetry: ({ attempt, error, waitMs }) => {
              log.warn(`Broadcast ${plan.id}: attempt ${attempt} failed (${error.message}); trying again with the same ID in ${waitMs} ms`);
              progress.report({
                message: vscode.l10n.t(
                  'No clear answer from Prolific ({0}). Sending again with the same broadcast ID in {1} s (attempt {2} of {3}); Prolific makes it only once.',
                  error.status ?? error.kind,
                  Math.ceil(waitMs / 1000),
                  attempt + 1,
                  BROADCAST_ATTEMPTS,
                ),
              });
            },
          },
        );
        await journal.sent(plan.ids);
        log.info(`Broadcast ${plan.id} sent to ${made.recipient_count ?? plan.ids.length} (study ${plan.studyId})`);
        return { ok: true, recipientCount: made.recipient_count ?? null };
      } catch (error) {
        const reason = error instanceof Error && error.message ? error.message : vscode.l10n.t('The broadcast could not be sent.');
        await journal.failed(plan.ids, reason, notDelivered(error));
        log.error(`Broadcast ${plan.id} failed: ${reason}`);
        return failure(error, plan.ids);
      }
    },
  );
}

function failure(error: unknown, ids: readonly string[]): BroadcastOutcome {
  const refusal = broadcastRefusal(error, ids);
  if (refusal) return { ok: false, message: vscode.l10n.t('Broadcast not sent. {0}', refusal), fixes: [], fieldErrors: {}, refused: true };
  const report = sendFailure(error, 'broadcast');
  // Prolific refused the request itself: sending it again would be refused again.
  const refused = error instanceof ProlificApiError && error.kind === 'http' && !worthRetrying(error);
  const message = refused
    ? report.message
    : vscode.l10n.t('{0} Retry sends it with the same broadcast ID, so nobody gets it twice.', report.message);
  return { ok: false, message, fixes: report.actions, fieldErrors: report.fieldErrors, refused };
}
