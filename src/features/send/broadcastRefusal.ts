// Prolific's two refusals of a broadcast, in sentences the user can act on (docs/prolific-api/
// messages.md § 6): more recipients than the cap (a 400 that states the cap), and recipients
// without a submission in the study (a 400 that names them). Pure: no vscode.
import { ProlificApiError } from '../../prolific/errors';
import { l10n } from '../../shared/l10n';

/** The documented default cap, for a refusal that does not state one. */
export const DEFAULT_BROADCAST_CAP = 4000;
/** Participants named in the sentence; the rest are counted. */
const NAMED = 5;

/**
 * The sentence for a broadcast's 400, or undefined when it is neither refusal (the usual wording
 * then applies). Participants are named only when the server's answer names them among `ids`.
 */
export function broadcastRefusal(error: unknown, ids: readonly string[]): string | undefined {
  if (!(error instanceof ProlificApiError) || error.status !== 400) return undefined;
  const text = [...Object.values(error.fieldErrors).flat(), error.detail ?? ''].join(' ');
  const listed = new Set(ids);
  const named = [...new Set(text.toLowerCase().match(/\b[0-9a-f]{24}\b/g) ?? [])].filter((id) => listed.has(id));
  if (named.length > 0) {
    const shown = named.slice(0, NAMED).join(', ');
    const who = named.length > NAMED ? l10n.t('{0} and {1} more', shown, named.length - NAMED) : shown;
    return named.length === 1
      ? l10n.t(
          'Prolific broadcasts only to participants with a submission in this study, and 1 on the list has none: {0}. Remove them from the list, or clear the subject to send a plain bulk message.',
          who,
        )
      : l10n.t(
          'Prolific broadcasts only to participants with a submission in this study, and {0} on the list have none: {1}. Remove them from the list, or clear the subject to send a plain bulk message.',
          named.length,
          who,
        );
  }
  if (!/\b(at most|more than|maximum|limit|cap|exceed)/i.test(text)) return undefined;
  const stated = (text.match(/\d[\d,]*/g) ?? []).map((n) => Number(n.replace(/,/g, ''))).find((n) => n > 1 && n < ids.length);
  return l10n.t(
    'Prolific sends a broadcast to at most {0} participants, and this list has {1}. Split the list, or clear the subject to send a plain bulk message.',
    stated ?? DEFAULT_BROADCAST_CAP,
    ids.length,
  );
}
