// Before a send to a list: who already got this same text in this study? From this computer's
// sent history (runs of the same text, whatever their outcome said: sent, or may have received
// it), and, where the API allows it cheaply, from Prolific's own record of the researcher's
// messages: one request per participant (`GET /messages/?user_id=`, the last 30 days), so only for
// lists of up to PROLIFIC_CHECK_LIMIT. The user then leaves them out (the default) or not.
import vscode = require('vscode');
import { reportFailure } from '../../host/failures';
import type { ProlificClient } from '../../prolific/client';
import type { HistoryStore } from '../history/historyStore';

/** Lists longer than this are checked against the local history only: one request per participant. */
export const PROLIFIC_CHECK_LIMIT = 100;
const CONCURRENCY = 4;
const WINDOW_MS = 30 * 24 * 60 * 60 * 1000;

/** One recipient and the text they would get (the template's rendering, for a personalized send). */
export interface Recipient {
  id: string;
  text: string;
}

export interface AlreadyMessaged {
  /** Participants of the list who already got it, from either record. */
  ids: Set<string>;
  fromHistory: number;
  fromProlific: number;
  /** Why Prolific's record was not read, if it was not. */
  prolificNotChecked?: string;
}

/**
 * @param template the message as the history keys it (the template, for a personalized send)
 */
export async function findAlreadyMessaged(
  history: HistoryStore,
  client: ProlificClient,
  studyId: string,
  template: string,
  recipients: readonly Recipient[],
  log: vscode.LogOutputChannel,
): Promise<AlreadyMessaged> {
  const local = await history.alreadyReached(
    studyId,
    template,
    recipients.map((r) => r.id),
  );
  const result: AlreadyMessaged = { ids: new Set(local), fromHistory: local.size, fromProlific: 0 };
  if (recipients.length > PROLIFIC_CHECK_LIMIT) {
    result.prolificNotChecked = vscode.l10n.t('Prolific is asked only for lists of up to {0} participants.', PROLIFIC_CHECK_LIMIT);
    return result;
  }
  try {
    const remote = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking who already got this message…') },
      () =>
        reachedInProlific(
          client,
          studyId,
          recipients.filter((r) => !local.has(r.id)),
        ),
    );
    for (const id of remote) result.ids.add(id);
    result.fromProlific = remote.size;
  } catch (error) {
    result.prolificNotChecked = reportFailure(error, vscode.l10n.t('Prolific could not be asked')).message;
    log.warn(result.prolificNotChecked);
  }
  return result;
}

/** The recipients Prolific's record shows the researcher already sent this text, in this study. */
async function reachedInProlific(client: ProlificClient, studyId: string, recipients: readonly Recipient[]): Promise<Set<string>> {
  const reached = new Set<string>();
  if (recipients.length === 0) return reached;
  const me = (await client.getMe()).id;
  const since = new Date(Date.now() - WINDOW_MS + 60_000);
  let next = 0;
  const worker = async () => {
    while (next < recipients.length) {
      const { id, text } = recipients[next++];
      const messages = await client.getMessages({ userId: id, createdAfter: since });
      if (messages.some((m) => m.senderId === me && (m.studyId === null || m.studyId === studyId) && same(m.body, text))) reached.add(id);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, recipients.length) }, worker));
  return reached;
}

/** The same text, give or take the white space Prolific may trim or fold. */
function same(a: string, b: string): boolean {
  const fold = (s: string) => s.trim().replace(/\s+/g, ' ');
  return fold(a) === fold(b);
}

/**
 * Asks whether to leave out those who already got it. Resolves to the IDs to leave out (empty:
 * nobody had it, or the user chose to include them), or undefined when the user cancelled.
 */
export async function askAboutAlreadyMessaged(found: AlreadyMessaged, total: number): Promise<Set<string> | undefined> {
  const n = found.ids.size;
  if (n === 0) return new Set();
  const leaveOut = vscode.l10n.t('Leave Them Out');
  const include = n === total ? vscode.l10n.t('Send Again to Everyone') : vscode.l10n.t('Include Them');
  const where = [
    found.fromHistory ? vscode.l10n.t("{0} in this computer's sent history", found.fromHistory) : '',
    found.fromProlific ? vscode.l10n.t("{0} in Prolific's record of your messages", found.fromProlific) : '',
  ]
    .filter(Boolean)
    .join(', ');
  const detail = [where ? vscode.l10n.t('Found: {0}.', where) : '', found.prolificNotChecked ?? ''].filter(Boolean).join(' ');
  const message =
    n === total
      ? vscode.l10n.t('Everyone on the list already got this message in this study.')
      : n === 1
        ? vscode.l10n.t('1 of {0} participants already got this message in this study. Leave them out?', total)
        : vscode.l10n.t('{0} of {1} participants already got this message in this study. Leave them out?', n, total);
  const buttons = n === total ? [include] : [leaveOut, include];
  const choice = await vscode.window.showWarningMessage(message, { modal: true, detail }, ...buttons);
  if (choice === leaveOut) return found.ids;
  if (choice === include) return new Set();
  return undefined;
}
