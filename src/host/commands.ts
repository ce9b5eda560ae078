// Every command ID the extension registers or runs, in one place, and the one way commands are
// registered. The contributed ones must match package.json (a unit test checks).
import vscode = require('vscode');

export const COMMANDS = {
  sendMessage: 'prolific.sendMessage',
  sendMessageToParticipant: 'prolific.sendMessageToParticipant',
  messageSelectedParticipants: 'prolific.messageSelectedParticipants',
  messageParticipantsInFile: 'prolific.messageParticipantsInFile',
  messageParticipantsInCellOutput: 'prolific.messageParticipantsInCellOutput',
  messageStudyParticipants: 'prolific.messageStudyParticipants',
  messageParticipantGroup: 'prolific.messageParticipantGroup',
  messageAudience: 'prolific.audience.message',
  previewAudience: 'prolific.audience.preview',
  newAudience: 'prolific.audience.new',
  setApiToken: 'prolific.setApiToken',
  clearApiToken: 'prolific.clearApiToken',
  manageAccount: 'prolific.manageAccount',
  insertTemplate: 'prolific.insertTemplate',
  saveTemplate: 'prolific.saveTemplate',
  manageTemplates: 'prolific.manageTemplates',
  openSent: 'prolific.history.open',
  retryFailed: 'prolific.history.retryFailed',
  resumeSend: 'prolific.history.resume',
  exportSent: 'prolific.history.export',
  clearSent: 'prolific.history.clear',
  refreshSent: 'prolific.history.refresh',
  showInbox: 'prolific.inbox.show',
  showInStudies: 'prolific.showInStudies',
  refreshInbox: 'prolific.inbox.refresh',
  openConversation: 'prolific.inbox.open',
  clearInboxCache: 'prolific.inbox.clearCache',
  chooseDefaultStudy: 'prolific.chooseDefaultStudy',
  getStarted: 'prolific.getStarted',
} as const;

export type CommandName = keyof typeof COMMANDS;

/** Commands VS Code makes for our contributions, which the extension runs but does not register. */
export const VIEW_COMMANDS = {
  focusInbox: 'prolific.inbox.focus',
} as const;

/** Registers a handler for each named command; dispose the result to unregister them all. */
export function registerCommands(handlers: { [name in CommandName]?: (...args: unknown[]) => unknown }): vscode.Disposable {
  return vscode.Disposable.from(
    ...Object.entries(handlers).map(([name, handler]) => vscode.commands.registerCommand(COMMANDS[name as CommandName], handler)),
  );
}

/** Runs one of the extension's commands (from code that may not import the feature that owns it). */
export function runCommand<T = unknown>(name: CommandName | keyof typeof VIEW_COMMANDS, ...args: unknown[]): Thenable<T> {
  const id = name in COMMANDS ? COMMANDS[name as CommandName] : VIEW_COMMANDS[name as keyof typeof VIEW_COMMANDS];
  return vscode.commands.executeCommand<T>(id, ...args);
}
