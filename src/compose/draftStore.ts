// The compose draft, saved in the workspace as the user types so it survives closing the
// panel, hiding the view and reloading the window. It is cleared only after a send succeeds.
import vscode = require('vscode');
import { EMPTY_DRAFT, type Draft } from './protocol';

const DRAFT_KEY = 'prolific.composeDraft';
const LAST_STUDY_KEY = 'prolific.lastStudyId';

export interface DraftChange {
  draft: Draft;
  /** Who changed it (a compose host), so that host is not told of its own typing. */
  origin: unknown;
}

export class DraftStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<DraftChange>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly memento: vscode.Memento,
    private readonly defaultStudyId: () => string,
  ) {}

  get(): Draft {
    const saved = this.memento.get<Draft>(DRAFT_KEY);
    const draft = isDraft(saved) ? saved : EMPTY_DRAFT;
    return draft.study_id ? draft : { ...draft, study_id: this.lastStudyId() };
  }

  async update(draft: Draft, origin?: unknown): Promise<void> {
    await this.memento.update(DRAFT_KEY, draft);
    this.changed.fire({ draft, origin });
  }

  async setRecipient(recipientId: string): Promise<void> {
    await this.update({ ...this.get(), recipient_id: recipientId });
  }

  /** After a successful send: forget what was sent, keep the study for the next message. */
  async clearSent(sent: Draft, origin?: unknown): Promise<void> {
    await this.memento.update(LAST_STUDY_KEY, sent.study_id);
    const current = this.get();
    const sameMessage = current.recipient_id.trim().toLowerCase() === sent.recipient_id && current.body === sent.body;
    if (sameMessage) await this.update({ recipient_id: '', body: '', study_id: sent.study_id }, origin);
  }

  private lastStudyId(): string {
    return this.memento.get<string>(LAST_STUDY_KEY) || this.defaultStudyId();
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function isDraft(value: unknown): value is Draft {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.recipient_id === 'string' && typeof v.study_id === 'string' && typeof v.body === 'string';
}
