// Builds an API client from the current settings for one operation. Settings are read each
// time so a change takes effect without a reload.
import type * as vscode from 'vscode';
import { ProlificClient } from '../prolific/client';
import { readSettings } from './settings';
import { SettingsError } from './errors';

export class ClientFactory {
  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly userAgent: string,
  ) {}

  create(token: string): ProlificClient {
    const settings = readSettings();
    if (!settings.baseUrl.ok) throw new SettingsError(settings.baseUrl.message, 'apiBaseUrl');
    return new ProlificClient({
      baseUrl: settings.baseUrl.url,
      token,
      timeoutMs: settings.timeoutMs,
      userAgent: this.userAgent,
      log: (e) => {
        const line = `${e.method} ${e.path} ${e.status ?? '-'} ${Math.round(e.durationMs)}ms${e.error ? ` (${e.error})` : ''}${e.warning ? ` (${e.warning})` : ''}`;
        if (e.error || e.warning || (e.status ?? 0) >= 400) this.log.warn(line);
        else this.log.info(line);
      },
    });
  }
}
