// Who the compose form sends to when it is not one participant: a list (from a selection, a
// file, a study's submissions) or a participant group. Kept in memory for the window: lists
// can be large, and rows from a file may hold personal data that should not be copied to disk.
import vscode = require('vscode');
import type { RowRecords } from '../../shared/recipients/recipientList';
import type { AudienceSummary } from '../../webviews/compose/protocol';

/** The page's AudienceSummary, and for a list what stays in the extension host (see summarize). */
export type Audience =
  | Exclude<AudienceSummary, { kind: 'list' }>
  | (Extract<AudienceSummary, { kind: 'list' }> & {
      /**
       * For lists from a table: the row of each id (same order), for {{column}} placeholders. Made on the
       * first call, so a list that is sent without placeholders never pays for a record per row.
       */
      rows?: RowRecords;
      /** Each row's number in the file (header = row 1), for error messages. */
      rowNumbers?: ArrayLike<number>;
      /** The study the list came from, to fill in the form. */
      studyId?: string;
      /** From an audience file: its name and text when it was evaluated, for the sent history. */
      audienceFile?: AudienceFileRecord;
    });

/** An audience file as the sent history records it. */
export interface AudienceFileRecord {
  /** Workspace-relative, as the user knows it. */
  file: string;
  content: string;
}

const SINGLE: Audience = { kind: 'single' };

export class AudienceStore implements vscode.Disposable {
  private current: Audience = SINGLE;
  private readonly changed = new vscode.EventEmitter<Audience>();
  readonly onDidChange = this.changed.event;

  get(): Audience {
    return this.current;
  }

  set(audience: Audience): void {
    this.current = audience;
    this.changed.fire(audience);
  }

  clear(): void {
    if (this.current.kind !== 'single') this.set(SINGLE);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** What the page is told: everything but the rows, which stay in the extension host. */
export function summarize(audience: Audience): AudienceSummary {
  switch (audience.kind) {
    case 'single':
      return audience;
    case 'group':
      return { kind: 'group', groupId: audience.groupId, name: audience.name, count: audience.count };
    case 'list':
      return {
        kind: 'list',
        source: audience.source,
        ids: audience.ids,
        invalid: audience.invalid,
        duplicates: audience.duplicates,
        ...(audience.columns ? { columns: audience.columns } : {}),
      };
  }
}
