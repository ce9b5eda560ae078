// The one place the extension's settings are read and written. The base URL decides where the
// token is sent, so only the user's own (application-scope) value counts: a workspace or folder
// value is ignored even if an old VS Code failed to enforce the scope declared in package.json.
// historyMaxEntries is read the same way: it decides what is deleted from this computer.
import vscode = require('vscode');
import { parseBaseUrl, type BaseUrlResult } from '../prolific/baseUrl';

export const SECTION = 'prolific';

/** Every setting of the extension, by its name after "prolific.". */
export type SettingId =
  | 'apiBaseUrl'
  | 'requestTimeoutSeconds'
  | 'defaultStudyId'
  | 'bulkChunkSize'
  | 'bulkConfirmThreshold'
  | 'personalizedConcurrency'
  | 'historyMaxEntries'
  | 'inboxPollMinutes'
  | 'inboxNotify';

export interface Settings {
  baseUrl: BaseUrlResult;
  timeoutMs: number;
  defaultStudyId: string;
  /** Recipients per bulk request; larger lists go in sequential chunks. */
  bulkChunkSize: number;
  /** From this many recipients on, ask before sending. */
  bulkConfirmThreshold: number;
  /** Personalized messages in flight at once. */
  personalizedConcurrency: number;
  /** Sent-history entries kept. */
  historyMaxEntries: number;
  /** Minutes between unread checks; 0 turns them off. */
  inboxPollMinutes: number;
  inboxNotify: boolean;
}

export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const seconds = config.get<number>('requestTimeoutSeconds', 30);
  return {
    baseUrl: parseBaseUrl(userOrDefault<string>(config, 'apiBaseUrl') ?? 'https://api.prolific.com'),
    timeoutMs: Math.max(1, Number.isFinite(seconds) ? seconds : 30) * 1000,
    defaultStudyId: config.get<string>('defaultStudyId', '').trim(),
    bulkChunkSize: whole(config.get<number>('bulkChunkSize'), 4000, 1),
    bulkConfirmThreshold: whole(config.get<number>('bulkConfirmThreshold'), 20, 1),
    personalizedConcurrency: whole(config.get<number>('personalizedConcurrency'), 4, 1, 16),
    historyMaxEntries: whole(userOrDefault<number>(config, 'historyMaxEntries'), 200, 1, 10_000),
    inboxPollMinutes: inboxPollMinutes(config),
    inboxNotify: config.get<boolean>('inboxNotify', false) === true,
  };
}

/** Minutes between unread checks (0: off). Read alone at activation, which needs nothing else. */
export function inboxPollMinutes(config = vscode.workspace.getConfiguration(SECTION)): number {
  const minutes = config.get<number>('inboxPollMinutes', 5);
  return typeof minutes === 'number' && Number.isFinite(minutes) ? Math.max(0, minutes) : 5;
}

/** The value in the user's settings, if they set one (not a workspace's). */
export function userSetting<T>(id: SettingId): T | undefined {
  return vscode.workspace.getConfiguration(SECTION).inspect<T>(id)?.globalValue;
}

/** Writes a setting to the user's settings. */
export function setUserSetting(id: SettingId, value: unknown): Thenable<void> {
  return vscode.workspace.getConfiguration(SECTION).update(id, value, vscode.ConfigurationTarget.Global);
}

export function affectsSetting(event: vscode.ConfigurationChangeEvent, id: SettingId): boolean {
  return event.affectsConfiguration(`${SECTION}.${id}`);
}

export function openSetting(id: SettingId): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.${id}`);
}

function userOrDefault<T>(config: vscode.WorkspaceConfiguration, id: SettingId): T | undefined {
  const inspect = config.inspect<T>(id);
  return inspect?.globalValue ?? inspect?.defaultValue;
}

function whole(value: number | undefined, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, Math.floor(value))) : fallback;
}
