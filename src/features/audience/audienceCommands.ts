// The commands that fill the compose form with many recipients: a selection or a file of IDs,
// a CSV's ID column, a study's participants by submission status, a participant group.
import vscode = require('vscode');
import type { ProlificClient } from '../../prolific/client';
import type { AudienceStore } from '../compose/audienceStore';
import type { DraftStore } from '../compose/draftStore';
import {
  columnNames,
  delimiterForDocument,
  detectFileIdColumn,
  isTableDocument,
  openCsv,
  readRows,
  type CsvFile,
} from '../../shared/recipients/csv';
import { parseRecipientList, recipientsFromFile } from '../../shared/recipients/recipientList';
import { extractParticipantIds } from '../../shared/recipients/participantIds';
import { reportFailure } from '../../host/failures';

export class AudienceCommands {
  constructor(
    private readonly audiences: AudienceStore,
    private readonly drafts: DraftStore,
    private readonly clientFor: () => Promise<ProlificClient | undefined>,
    private readonly openCompose: () => void,
  ) {}

  /** From text the user selected (or a whole file): many IDs in lines, commas or a CSV. */
  fromText(text: string, source: string): void {
    const list = parseRecipientList(text);
    this.audiences.set({ kind: 'list', source, ...list });
    this.openCompose();
  }

  /**
   * "Message Participants in This File": a table by its ID column (the given one, else the detected
   * one, which the user confirms or changes), else every ID in the text.
   */
  async fromFile(document: vscode.TextDocument | undefined, givenColumn?: number): Promise<void> {
    if (!document) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Open a file with participant IDs first (a CSV export, for example).'));
      return;
    }
    const name = document.uri.path.split('/').pop() ?? vscode.l10n.t('this file');
    const text = document.getText();
    if (!isTableDocument(document.uri.path, document.languageId)) {
      this.fromText(text, name);
      return;
    }
    const file = openCsv(text, delimiterForDocument(name, document.languageId));
    const column =
      givenColumn !== undefined && givenColumn >= 0 && givenColumn < file.header.length
        ? givenColumn
        : await pickColumn(file, detectFileIdColumn(file));
    if (column === undefined) return;
    const list = recipientsFromFile(file, column);
    this.audiences.set({
      kind: 'list',
      source: vscode.l10n.t('{0} (column {1})', name, file.header[column] ?? ''),
      ...list,
      columns: columnNames(file.header),
    });
    this.openCompose();
  }

  /**
   * "Message Participants in This Cell's Output": the IDs a notebook cell printed (a DataFrame, a
   * list), from the cell whose menu was used, else the selected cell of the active notebook.
   */
  fromCellOutput(arg: unknown): void {
    const cell = notebookCellOf(arg) ?? selectedCell();
    if (!cell) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Select a notebook cell with output first.'));
      return;
    }
    const ids = extractParticipantIds(cell.outputs.map(outputText).join('\n'));
    if (ids.length === 0) {
      void vscode.window.showWarningMessage(vscode.l10n.t("This cell's output holds no participant IDs."));
      return;
    }
    this.audiences.set({
      kind: 'list',
      source: vscode.l10n.t('Output of cell {0}', cell.index + 1),
      ...parseRecipientList(ids.join('\n')),
    });
    this.openCompose();
  }

  /** "Message Study Participants…": a study, the statuses to include, then the people. */
  async fromStudy(): Promise<void> {
    const client = await this.clientFor();
    if (!client) return;
    const study = await this.pickStudy(client);
    if (!study) return;
    const submissions = await this.load(vscode.l10n.t('Could not list the submissions of "{0}"', study.label), () =>
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Fetching the submissions of "{0}"…', study.label) },
        () => client.listSubmissions(study.study.id),
      ),
    );
    if (!submissions) return;
    if (submissions.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('"{0}" has no submissions yet.', study.label));
      return;
    }
    const statuses = await pickStatuses(submissions);
    if (!statuses?.length) return;
    const chosen = new Set(statuses.map((s) => s.status));
    const people = await vscode.window.showQuickPick(
      submissions
        .filter((s) => chosen.has(statusOf(s)))
        .map((s) => ({ label: s.participant_id, description: statusLabel(statusOf(s)), picked: true })),
      {
        title: vscode.l10n.t('Message Study Participants (3/3): review'),
        ignoreFocusOut: true,
        placeHolder: vscode.l10n.t('Untick anyone who should not get the message'),
        canPickMany: true,
      },
    );
    if (!people?.length) return;
    const list = parseRecipientList(people.map((p) => p.label).join('\n'));
    this.audiences.set({
      kind: 'list',
      source: vscode.l10n.t('{0} ({1})', study.label, statuses.map((s) => s.label).join(', ')),
      ...list,
      studyId: study.study.id,
    });
    await this.drafts.patch({ study_id: study.study.id });
    this.openCompose();
  }

  /** Step 1 of "Message Study Participants…": one of the user's studies. */
  private async pickStudy(client: ProlificClient) {
    const studies = await this.load(vscode.l10n.t('Could not list your studies'), () => client.listStudies());
    if (!studies) return;
    return vscode.window.showQuickPick(
      studies.map((s) => ({ label: s.name, description: s.status ?? '', detail: s.id, study: s })),
      {
        title: vscode.l10n.t('Message Study Participants (1/3): study'),
        ignoreFocusOut: true,
        placeHolder: vscode.l10n.t('Pick the study'),
        matchOnDetail: true,
      },
    );
  }

  /** "Message Participant Group…": a group of the user's workspace. */
  async fromGroup(): Promise<void> {
    const client = await this.clientFor();
    if (!client) return;
    const workspaces = await this.load(vscode.l10n.t('Could not list your workspaces'), () => client.listWorkspaces());
    if (!workspaces) return;
    const workspace =
      workspaces.length === 1
        ? workspaces[0]
        : (
            await vscode.window.showQuickPick(
              workspaces.map((w) => ({ label: w.title, detail: w.id, workspace: w })),
              { title: vscode.l10n.t('Message Participant Group: workspace'), ignoreFocusOut: true },
            )
          )?.workspace;
    if (!workspace) return;
    const groups = await this.load(vscode.l10n.t('Could not list the participant groups'), () =>
      client.listParticipantGroups(workspace.id),
    );
    if (!groups) return;
    const live = groups.filter((g) => !g.is_deleted);
    if (live.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Workspace "{0}" has no participant groups.', workspace.title));
      return;
    }
    const group = await vscode.window.showQuickPick(
      live.map((g) => ({
        label: g.name,
        description:
          g.participant_count == null
            ? ''
            : g.participant_count === 1
              ? vscode.l10n.t('1 participant')
              : vscode.l10n.t('{0} participants', g.participant_count),
        detail: g.description ?? undefined,
        group: g,
      })),
      { title: vscode.l10n.t('Message Participant Group'), ignoreFocusOut: true, placeHolder: vscode.l10n.t('Pick the group') },
    );
    if (!group) return;
    this.audiences.set({ kind: 'group', groupId: group.group.id, name: group.group.name, count: group.group.participant_count ?? null });
    this.openCompose();
  }

  private async load<T>(what: string, fetch: () => Thenable<T>): Promise<T | undefined> {
    try {
      return await fetch();
    } catch (error) {
      void vscode.window.showErrorMessage(reportFailure(error, what).message);
      return undefined;
    }
  }
}

/** The ID column: the detected one first and preselected, so Enter accepts it. */
async function pickColumn(file: CsvFile, detected: number): Promise<number | undefined> {
  const firstRows = readRows(file, 3);
  const sample = (i: number) =>
    firstRows
      .map((r) => r[i] ?? '')
      .filter(Boolean)
      .join(', ');
  const items = file.header.map((name, index) => ({
    label: name || vscode.l10n.t('(column {0})', index + 1),
    description: index === detected ? vscode.l10n.t('detected participant IDs') : '',
    detail: sample(index),
    index,
  }));
  if (detected >= 0) items.unshift(...items.splice(detected, 1));
  const pick = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Message Participants in This File: ID column'),
    ignoreFocusOut: true,
    placeHolder:
      detected >= 0
        ? vscode.l10n.t('Press Enter to use the detected column, or pick another')
        : vscode.l10n.t('Which column holds the participant IDs?'),
  });
  return pick?.index;
}

// A submission may come without a status; those are offered together under their own label.
const statusOf = (s: { status?: string | null }) => s.status || null;
const statusLabel = (status: string | null) => status ?? vscode.l10n.t('(no status)');

/** Step 2 of "Message Study Participants…": which submission statuses, all ticked. */
async function pickStatuses(submissions: readonly { participant_id: string; status?: string | null }[]) {
  const byStatus = new Map<string | null, string[]>();
  for (const s of submissions) byStatus.set(statusOf(s), [...(byStatus.get(statusOf(s)) ?? []), s.participant_id]);
  return vscode.window.showQuickPick(
    [...byStatus].map(([status, ids]) => ({
      label: statusLabel(status),
      status,
      description: ids.length === 1 ? vscode.l10n.t('1 participant') : vscode.l10n.t('{0} participants', ids.length),
      picked: true,
    })),
    {
      title: vscode.l10n.t('Message Study Participants (2/3): statuses'),
      ignoreFocusOut: true,
      placeHolder: vscode.l10n.t('Which submissions? (all are ticked)'),
      canPickMany: true,
    },
  );
}

/** The cell a notebook menu passes (the cell itself, or a context holding it). */
function notebookCellOf(arg: unknown): vscode.NotebookCell | undefined {
  const isCell = (v: unknown): v is vscode.NotebookCell =>
    typeof v === 'object' && v !== null && 'outputs' in v && 'notebook' in v && Array.isArray((v as vscode.NotebookCell).outputs);
  if (isCell(arg)) return arg;
  const inner = typeof arg === 'object' && arg !== null ? (arg as { cell?: unknown }).cell : undefined;
  return isCell(inner) ? inner : undefined;
}

function selectedCell(): vscode.NotebookCell | undefined {
  const editor = vscode.window.activeNotebookEditor;
  const index = editor?.selection.start;
  return editor && index !== undefined && index < editor.notebook.cellCount ? editor.notebook.cellAt(index) : undefined;
}

/** One output's text: its plain text if it has one (a DataFrame comes as text and as HTML), else its first textual item. */
const TEXT_MIMES = ['text/plain', 'application/vnd.code.notebook.stdout', 'text/markdown', 'text/html', 'application/json'];
function outputText(output: vscode.NotebookCellOutput): string {
  for (const mime of TEXT_MIMES) {
    const item = output.items.find((i) => i.mime === mime);
    if (item) return new TextDecoder().decode(item.data);
  }
  return '';
}
