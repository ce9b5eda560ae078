// The compose draft, saved in the workspace as the user types so it survives closing the
// panel, hiding the view and reloading the window. It is cleared only after a send succeeds.
// Changes are made in memory at once and told field by field (see DraftChange), then saved:
// two changes can never interleave, and a form is only ever told of the fields that changed.
import vscode = require('vscode');
import { CONVERSATION_FIELDS, DRAFT_FIELDS, EMPTY_DRAFT, type Draft, type DraftChanges } from '../../shared/draft';

const DRAFT_KEY = 'prolific.composeDraft';
const LAST_STUDY_KEY = 'prolific.lastStudyId';

export interface DraftChange {
  /** Only the fields whose value changed. */
  changes: DraftChanges;
  /** Who changed it (a compose host), so that host is not told of its own typing. */
  origin: unknown;
}

export class DraftStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<DraftChange>();
  readonly onDidChange = this.changed.event;
  /** The saved draft, read once; undefined until first asked for. */
  private saved: Draft | undefined;

  constructor(
    private readonly memento: vscode.Memento,
    private readonly defaultStudyId: () => string,
  ) {}

  get(): Draft {
    if (!this.saved) {
      const stored: unknown = this.memento.get(DRAFT_KEY);
      this.saved = isDraft(stored) ? { ...EMPTY_DRAFT, ...definedFields(stored) } : EMPTY_DRAFT;
    }
    const draft = this.saved;
    return draft.study_id ? draft : { ...draft, study_id: this.lastStudyId() };
  }

  /** Replaces the whole draft (what a form sends). */
  update(draft: Draft, origin?: unknown): Thenable<void> {
    return this.patch(draft, origin);
  }

  /** Changes the given fields and leaves the others as they are. */
  patch(changes: DraftChanges, origin?: unknown): Thenable<void> {
    const before = this.get();
    const after: Draft = { ...before, ...definedFields(changes) };
    // An empty subject or topic is no subject: not kept, so a plain draft stays the three fields it always was.
    for (const f of CONVERSATION_FIELDS) if (!after[f]) delete after[f];
    const changed: DraftChanges = {};
    for (const f of DRAFT_FIELDS) if (after[f] !== before[f]) changed[f] = after[f] ?? '';
    this.saved = after;
    if (Object.keys(changed).length > 0) this.changed.fire({ changes: changed, origin });
    return this.memento.update(DRAFT_KEY, after);
  }

  setRecipient(recipientId: string): Thenable<void> {
    return this.patch({ recipient_id: recipientId });
  }

  /** After a successful send: forget what was sent, keep the study for the next message. */
  async clearSent(sent: Draft, origin?: unknown): Promise<void> {
    await this.memento.update(LAST_STUDY_KEY, sent.study_id);
    const current = this.get();
    const sameMessage = current.recipient_id.trim().toLowerCase() === sent.recipient_id && current.body === sent.body;
    // A subject started one conversation: it goes with the message (the topic too).
    const conversation = sent.subject ? { subject: '', topic: '' } : {};
    if (sameMessage) await this.update({ recipient_id: '', body: '', study_id: sent.study_id, ...conversation }, origin);
  }

  private lastStudyId(): string {
    return this.memento.get<string>(LAST_STUDY_KEY) || this.defaultStudyId();
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** The fields that are set: a page's changes never carry `undefined` on purpose. */
function definedFields(changes: DraftChanges): DraftChanges {
  const defined: DraftChanges = {};
  for (const f of DRAFT_FIELDS) if (typeof changes[f] === 'string') defined[f] = changes[f];
  return defined;
}

function isDraft(value: unknown): value is Draft {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.recipient_id === 'string' && typeof v.study_id === 'string' && typeof v.body === 'string';
}
