// The templates' commands: Insert Template, Save Message as Template, Manage Templates.
import vscode = require('vscode');
import { registerCommands } from '../../host/commands';
import { firstLine } from '../../shared/text';
import type { DraftStore } from '../compose/draftStore';
import { MAX_NAME, TemplateStore, sameName, type Template } from './templateStore';

/** Templates are kept in globalState, shared by every workspace. */
export function registerTemplates(context: vscode.ExtensionContext, drafts: DraftStore): vscode.Disposable {
  const store = new TemplateStore(context.globalState);
  return vscode.Disposable.from(
    registerCommands({
      insertTemplate: () => insertTemplate(store, drafts),
      saveTemplate: () => saveTemplate(store, drafts),
      manageTemplates: () => manageTemplates(store, drafts),
    }),
  );
}

type TemplateItem = vscode.QuickPickItem & { template: Template };

function items(templates: Template[], buttons?: vscode.QuickInputButton[]): TemplateItem[] {
  return templates.map((template) => ({ label: template.name, detail: firstLine(template.body, 100), buttons, template }));
}

async function insertTemplate(store: TemplateStore, drafts: DraftStore): Promise<void> {
  const templates = store.list();
  if (templates.length === 0) return offerToSave(store, drafts);
  const picked = await vscode.window.showQuickPick(items(templates), {
    title: vscode.l10n.t('Insert Template'),
    ignoreFocusOut: true,
    placeHolder: vscode.l10n.t('Choose a template for the message'),
    matchOnDetail: true,
  });
  if (picked) await useTemplate(picked.template, drafts);
}

/** Puts the template in the draft; asks first when that would replace a different message the user wrote. */
async function useTemplate(template: Template, drafts: DraftStore): Promise<void> {
  const draft = drafts.get();
  if (draft.body.trim() && draft.body !== template.body) {
    const replace = vscode.l10n.t('Replace');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Replace the message you are writing with the template "{0}"?', template.name),
      { modal: true },
      replace,
    );
    if (choice !== replace) return;
  }
  await drafts.patch({ body: template.body });
}

async function offerToSave(store: TemplateStore, drafts: DraftStore): Promise<void> {
  const action = vscode.l10n.t('Save Current Message as Template');
  const choice = await vscode.window.showInformationMessage(vscode.l10n.t('You have no saved templates yet.'), action);
  if (choice === action) await saveTemplate(store, drafts);
}

async function saveTemplate(store: TemplateStore, drafts: DraftStore): Promise<void> {
  const body = drafts.get().body;
  if (!body.trim()) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Write a message first.'));
    return;
  }
  const name = await askName(store, {
    title: vscode.l10n.t('Save Template'),
    prompt: vscode.l10n.t('A name for this template'),
    value: firstLine(body, 40).replace(/…$/, ''),
    existing: 'warn',
  });
  if (name === undefined) return;
  const existing = store.find(name);
  if (existing) {
    const replace = vscode.l10n.t('Replace');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Replace the template "{0}"?', existing.name),
      { modal: true },
      replace,
    );
    if (choice !== replace) return;
  }
  await store.save(name, body);
  void vscode.window.showInformationMessage(vscode.l10n.t('Template "{0}" saved.', name.trim()));
}

/**
 * Lists the templates; each row has Rename and Delete buttons, and choosing a row (which works
 * from the keyboard, unlike the buttons) offers Insert, Rename and Delete. Comes back to the
 * list after a rename or delete, so several can be tidied in one go.
 */
async function manageTemplates(store: TemplateStore, drafts: DraftStore): Promise<void> {
  for (let first = true; ; first = false) {
    const templates = store.list();
    if (templates.length === 0) return first ? offerToSave(store, drafts) : undefined; // not after deleting the last one
    const choice = await pickForManaging(templates);
    if (!choice) return;
    const action = choice.action ?? (await pickAction(choice.template));
    if (action === 'insert') return useTemplate(choice.template, drafts);
    if (action === 'rename') await renameTemplate(store, choice.template);
    else if (action === 'delete') await deleteTemplate(store, choice.template);
  }
}

type Action = 'insert' | 'rename' | 'delete';

/** The chosen template, with the action when a row button was clicked. */
function pickForManaging(templates: Template[]): Promise<{ template: Template; action?: Action } | undefined> {
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<TemplateItem>();
    // Every picker of a multi-step flow stays open when focus moves: between steps VS Code hands
    // the focus back to the editor (often a webview) for a moment, which would close the next one.
    pick.ignoreFocusOut = true;
    // Made here, not at load: their tooltips are in the user's language.
    const RENAME: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('edit'), tooltip: vscode.l10n.t('Rename') };
    const DELETE: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('trash'), tooltip: vscode.l10n.t('Delete') };
    pick.title = vscode.l10n.t('Manage Templates');
    pick.placeholder = vscode.l10n.t('Choose a template, or use its Rename and Delete buttons');
    pick.matchOnDetail = true;
    pick.items = items(templates, [RENAME, DELETE]);
    let result: { template: Template; action?: Action } | undefined;
    pick.onDidTriggerItemButton((e) => {
      result = { template: e.item.template, action: e.button === DELETE ? 'delete' : 'rename' };
      pick.hide();
    });
    pick.onDidAccept(() => {
      const item = pick.selectedItems[0];
      if (item) result = { template: item.template };
      pick.hide();
    });
    // Every way out ends here (Escape, clicking away, or the hide() above), exactly once.
    pick.onDidHide(() => {
      pick.dispose();
      resolve(result);
    });
    pick.show();
  });
}

async function pickAction(template: Template): Promise<Action | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: `$(insert) ${vscode.l10n.t('Insert into Message')}`, action: 'insert' as const },
      { label: `$(edit) ${vscode.l10n.t('Rename…')}`, action: 'rename' as const },
      { label: `$(trash) ${vscode.l10n.t('Delete…')}`, action: 'delete' as const },
    ],
    { title: vscode.l10n.t('Template "{0}"', template.name), ignoreFocusOut: true },
  );
  return picked?.action;
}

async function renameTemplate(store: TemplateStore, template: Template): Promise<void> {
  const name = await askName(store, {
    title: vscode.l10n.t('Rename Template "{0}"', template.name),
    prompt: vscode.l10n.t('The new name'),
    value: template.name,
    existing: 'error',
    self: template.name,
  });
  if (name === undefined || name.trim() === template.name) return;
  await store.rename(template.name, name);
  void vscode.window.showInformationMessage(vscode.l10n.t('Template "{0}" renamed to "{1}".', template.name, name.trim()));
}

async function deleteTemplate(store: TemplateStore, template: Template): Promise<void> {
  const remove = vscode.l10n.t('Delete');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('Delete the template "{0}"?', template.name),
    { modal: true },
    remove,
  );
  if (choice !== remove) return;
  await store.delete(template.name);
  void vscode.window.showInformationMessage(vscode.l10n.t('Template "{0}" deleted.', template.name));
}

/**
 * Asks for a template name. A name already taken is a warning when saving (the user may mean
 * to replace it, and is asked to confirm) and an error when renaming (two would share it).
 */
function askName(
  store: TemplateStore,
  options: { title: string; prompt: string; value: string; existing: 'warn' | 'error'; self?: string },
): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: options.title,
    ignoreFocusOut: true,
    prompt: options.prompt,
    value: options.value,
    validateInput: (value) => {
      if (!value.trim()) return vscode.l10n.t('Enter a name.');
      if (value.trim().length > MAX_NAME) return vscode.l10n.t('Use at most {0} characters.', MAX_NAME);
      const taken = store.find(value);
      if (!taken || (options.self !== undefined && sameName(taken.name, options.self))) return undefined;
      return options.existing === 'error'
        ? vscode.l10n.t('A template named "{0}" already exists.', taken.name)
        : {
            message: vscode.l10n.t('A template named "{0}" exists: saving replaces it.', taken.name),
            severity: vscode.InputBoxValidationSeverity.Warning,
          };
    },
  });
}
