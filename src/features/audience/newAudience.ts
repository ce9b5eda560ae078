// "Prolific: New Audience…": the studies and statuses to include and to leave out, picked from the
// researcher's account, then the file is written into the workspace and opened, so nobody has to
// learn the format first. Its CodeLens then counts the participants.
import vscode = require('vscode');
import { reportFailure } from '../../host/failures';
import type { ProlificClient } from '../../prolific/client';
import type { Study } from '../../prolific/schemas';
import { formatAudience, newAudienceSpec, SUBMISSION_STATUSES, type SubmissionStatus } from './audienceFormat';

const STEPS = 5;
const MESSAGED_WITHIN = '7d';
const SUFFIX = '.audience.json';

type StudyItem = vscode.QuickPickItem & { study?: Study; messaged?: boolean };

export async function newAudience(clientFor: () => Promise<ProlificClient | undefined>): Promise<vscode.Uri | undefined> {
  const client = await clientFor();
  if (!client) return undefined;
  let studies: Study[];
  try {
    studies = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Listing your studies…') },
      () => client.listStudies(),
    );
  } catch (error) {
    void vscode.window.showErrorMessage(reportFailure(error, vscode.l10n.t('Could not list your studies')).message);
    return undefined;
  }
  if (studies.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Your account has no studies yet: an audience starts from a study.'));
    return undefined;
  }
  const included = await pickMany<StudyItem>(
    1,
    vscode.l10n.t('studies to include'),
    vscode.l10n.t('Whose participants get the message?'),
    studyItems(studies),
  );
  if (!included?.length) return undefined;
  const includeStatuses = await pickStatuses(2, vscode.l10n.t('statuses to include'));
  if (!includeStatuses) return undefined;
  const others = studies.filter((s) => !included.some((i) => i.study?.id === s.id));
  const messagedItem: StudyItem = {
    label: vscode.l10n.t('Participants you messaged in the last 7 days'),
    description: vscode.l10n.t('so that nobody gets a second reminder'),
    messaged: true,
  };
  const excluded = await pickMany<StudyItem>(
    3,
    vscode.l10n.t('leave out'),
    vscode.l10n.t('Who should not get it? Pick nothing to leave nobody out.'),
    [messagedItem, ...studyItems(others)],
  );
  if (!excluded) return undefined;
  const excludedStudies = excluded.flatMap((e) => (e.study ? [e.study] : []));
  const excludeStatuses = excludedStudies.length > 0 ? await pickStatuses(4, vscode.l10n.t('statuses to leave out')) : [];
  if (!excludeStatuses) return undefined;
  const spec = newAudienceSpec({
    include: included.flatMap((i) => (i.study ? [{ id: i.study.id, name: i.study.name }] : [])),
    includeStatuses,
    exclude: excludedStudies.map((s) => ({ id: s.id, name: s.name })),
    excludeStatuses,
    ...(excluded.some((e) => e.messaged) ? { messagedWithin: MESSAGED_WITHIN } : {}),
  });
  const target = await chooseFile(suggestedName(included[0].study?.name ?? ''));
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(formatAudience(spec)));
  await vscode.window.showTextDocument(target);
  return target;
}

function title(step: number, what: string): string {
  return vscode.l10n.t('New Audience ({0}/{1}): {2}', step, STEPS, what);
}

function studyItems(studies: Study[]): StudyItem[] {
  return studies.map((s) => ({ label: s.name, description: s.status ?? '', detail: s.id, study: s }));
}

async function pickMany<T extends vscode.QuickPickItem>(
  step: number,
  what: string,
  placeHolder: string,
  items: T[],
): Promise<readonly T[] | undefined> {
  return vscode.window.showQuickPick(items, {
    title: title(step, what),
    placeHolder,
    canPickMany: true,
    ignoreFocusOut: true,
    matchOnDetail: true,
  });
}

/** The statuses picked; [] (none picked) means every status; undefined: cancelled. */
async function pickStatuses(step: number, what: string): Promise<SubmissionStatus[] | undefined> {
  const picked = await pickMany(
    step,
    what,
    vscode.l10n.t('Which submissions count? Pick nothing for every status.'),
    SUBMISSION_STATUSES.map((status) => ({ label: status, status })),
  );
  return picked?.map((p) => p.status);
}

/** "sleep-mood-diary-wave-1-follow-up.audience.json". */
function suggestedName(studyName: string): string {
  const slug = studyName
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  return `${slug || 'audience'}-follow-up${SUFFIX}`;
}

/** Where to write: a name in the workspace folder of the active editor (or the first), else a save dialog. */
async function chooseFile(name: string): Promise<vscode.Uri | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  const folder = (active && vscode.workspace.getWorkspaceFolder(active)) ?? vscode.workspace.workspaceFolders?.[0];
  if (!folder) return vscode.window.showSaveDialog({ saveLabel: vscode.l10n.t('Create Audience'), filters: { JSON: ['json'] } });
  const uriOf = (value: string) => vscode.Uri.joinPath(folder.uri, ...withSuffix(value).split(/[\\/]/).filter(Boolean));
  const chosen = await vscode.window.showInputBox({
    title: title(STEPS, vscode.l10n.t('file name')),
    prompt: vscode.l10n.t('Where to write the audience file, in the workspace folder "{0}".', folder.name),
    value: name,
    valueSelection: [0, name.length - SUFFIX.length],
    ignoreFocusOut: true,
    validateInput: async (value) => {
      if (!value.trim()) return vscode.l10n.t('Give the file a name.');
      if (value.split(/[\\/]/).includes('..') || /^[\\/]/.test(value))
        return vscode.l10n.t('The file must be inside the workspace folder.');
      const exists = await vscode.workspace.fs.stat(uriOf(value)).then(
        () => true,
        () => false,
      );
      return exists ? vscode.l10n.t('{0} already exists: choose another name.', withSuffix(value)) : undefined;
    },
  });
  return chosen === undefined ? undefined : uriOf(chosen);
}

function withSuffix(name: string): string {
  const trimmed = name.trim();
  return trimmed.toLowerCase().endsWith(SUFFIX) ? trimmed : `${trimmed.replace(/\.json$/i, '')}${SUFFIX}`;
}
