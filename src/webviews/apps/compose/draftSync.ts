// The compose page's side of the draft protocol (src/webviews/compose/protocol.ts): which fields
// the user edited, and which of the page's draft messages (`seq`) carried them, so that a change
// the host made before it had seen the user's typing never overwrites it. No DOM: `read` gives a
// field's value as shown and `post` sends, so this is unit-tested in Node.
import type { DraftChanges, DraftField, PageMessage } from '../../compose/protocol';
import { DRAFT_FIELDS } from '../../../shared/draft';

/** The host hears about edits at most this often. */
export const REPORT_DELAY_MS = 150;

export interface DraftSync {
  /** The user changed these fields (or the page did, or they were typed in before the script ran). */
  markEdited(...fields: DraftField[]): void;
  /** Reports the edited fields after REPORT_DELAY_MS, unless something reports them earlier. */
  scheduleReport(): void;
  /**
   * Reports a waiting update at once (before a send, or when the page loses focus or is being
   * hidden). Only the edited fields go: the others may have been changed by the host meanwhile.
   */
  reportNow(): void;
  /**
   * The part of the host's change to apply. `seen` is the last of the page's draft messages the
   * host had applied when it made the change: a field the user is editing, or edited after that,
   * keeps what the user typed, because the host's value is older than the user's.
   */
  newerThanUser(changes: DraftChanges, seen: number): DraftChanges;
  /** The `seq` of a send: the host saves the draft as sent, so it carries every field. */
  sendSeq(): number;
}

export function createDraftSync(
  read: (field: DraftField) => string,
  post: (message: Extract<PageMessage, { type: 'draftChanged' }>) => void,
): DraftSync {
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Counts the page's draft messages (draftChanged and send). */
  let seq = 0;
  /** Fields edited since they were last reported to the host. */
  const unreported = new Set<DraftField>();
  /** For each field, the `seq` of the last draft message that carried the user's value of it. */
  const reportedIn: Record<DraftField, number> = { recipient_id: 0, study_id: 0, subject: 0, topic: 0, body: 0 };

  function reportNow(): void {
    clearTimeout(timer);
    timer = undefined;
    if (unreported.size === 0) return;
    const current = ++seq;
    const changes: DraftChanges = {};
    for (const f of unreported) {
      changes[f] = read(f);
      reportedIn[f] = current;
    }
    unreported.clear();
    post({ type: 'draftChanged', seq: current, changes });
  }

  return {
    markEdited(...fields) {
      for (const f of fields) unreported.add(f);
    },
    scheduleReport() {
      clearTimeout(timer);
      timer = setTimeout(reportNow, REPORT_DELAY_MS);
    },
    reportNow,
    newerThanUser(changes, seen) {
      const newer: DraftChanges = {};
      for (const f of DRAFT_FIELDS) if (changes[f] !== undefined && !unreported.has(f) && reportedIn[f] <= seen) newer[f] = changes[f];
      return newer;
    },
    sendSeq() {
      const current = ++seq;
      for (const f of DRAFT_FIELDS) reportedIn[f] = current;
      return current;
    },
  };
}
