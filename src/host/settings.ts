// Reads the extension's settings. The base URL decides where the token is sent, so only the
// user's own (application-scope) value counts: a workspace or folder value is ignored even
// if an old VS Code failed to enforce the scope declared in package.json.
import vscode = require('vscode');
import { parseBaseUrl, type BaseUrlResult } from '../prolific/baseUrl';

export const SECTION = 'prolific';

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
}

export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const baseInspect = config.inspect<string>('apiBaseUrl');
  const base = baseInspect?.globalValue ?? baseInspect?.defaultValue ?? 'https://api.prolific.com';
  const seconds = config.get<number>('requestTimeoutSeconds', 30);
  return {
    baseUrl: parseBaseUrl(base),
    timeoutMs: Math.max(1, Number.isFinite(seconds) ? seconds : 30) * 1000,
    defaultStudyId: config.get<string>('defaultStudyId', '').trim(),
    bulkChunkSize: whole(config.get<number>('bulkChunkSize'), 4000, 1),
    bulkConfirmThreshold: whole(config.get<number>('bulkConfirmThreshold'), 20, 1),
    personalizedConcurrency: whole(config.get<number>('personalizedConcurrency'), 4, 1, 16),
  };
}

function whole(value: number | undefined, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, Math.floor(value))) : fallback;
}

export function openSetting(id: string): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.${id}`);
}
