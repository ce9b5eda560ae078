// Message templates: named bodies the user saves once and puts in the compose draft later.
// Kept in globalState, so they are shared by every workspace (and follow Settings Sync if
// the key is registered with setKeysForSync). The commands are templateCommands.ts.
import type * as vscode from 'vscode';

const KEY = 'prolific.templates';
/** The longest name a template may have. */
export const MAX_NAME = 80;

export interface Template {
  name: string;
  body: string;
}

export class TemplateStore {
  constructor(private readonly memento: vscode.Memento) {}

  /** Sorted by name. Anything malformed in storage is skipped, not trusted. */
  list(): Template[] {
    const saved = this.memento.get<unknown>(KEY);
    const valid = Array.isArray(saved) ? saved.filter(isTemplate).map(({ name, body }) => ({ name, body })) : [];
    return valid.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Names match ignoring case and surrounding spaces, so "Reminder" and "reminder " are one template. */
  find(name: string): Template | undefined {
    return this.list().find((t) => sameName(t.name, name));
  }

  /** Adds, or replaces the one with the same name. */
  async save(name: string, body: string): Promise<void> {
    await this.write([...this.list().filter((t) => !sameName(t.name, name)), { name: name.trim(), body }]);
  }

  async rename(from: string, to: string): Promise<void> {
    await this.write(this.list().map((t) => (sameName(t.name, from) ? { ...t, name: to.trim() } : t)));
  }

  async delete(name: string): Promise<void> {
    await this.write(this.list().filter((t) => !sameName(t.name, name)));
  }

  private write(templates: Template[]): Thenable<void> {
    return this.memento.update(KEY, templates);
  }
}

/** Names match ignoring case and surrounding spaces. */
export function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

function isTemplate(value: unknown): value is Template {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.name === 'string' && v.name.trim() !== '' && typeof v.body === 'string';
}
