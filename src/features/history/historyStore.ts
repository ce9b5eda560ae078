// The sent history: one JSON file, history.json, in the extension's global storage (so every
// window of this VS Code profile sees the same history; it is not synced between machines).
// Nothing is read until the history is first used, never during activation. Every read and
// write runs one at a time on a promise chain, so two adds at once both land.
import { randomUUID } from 'node:crypto';
import vscode = require('vscode');
import { cleanEntry, type HistoryEntry } from './historyEntry';

export type { HistoryEntry, HistoryKind } from './historyEntry';

const FILE = 'history.json';
const FORMAT_VERSION = 1;
const DEFAULT_MAX = 200;

interface Snapshot {
  entries: HistoryEntry[];
  /** The file's mtime and size when read, or -1 when absent: another window's write changes them. */
  mtime: number;
  size: number;
}

export class HistoryStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly file: vscode.Uri;
  private cache: Snapshot | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly storageDir: vscode.Uri,
    private readonly maxEntries: () => number,
    /** Told, in a sentence for the user, when history.json could not be read and was set aside. */
    private readonly onCorrupt?: (message: string) => void,
  ) {
    this.file = vscode.Uri.joinPath(storageDir, FILE);
  }

  /** Newest first. */
  list(): Promise<HistoryEntry[]> {
    return this.serial(async () => [...(await this.load())]);
  }

  async get(id: string): Promise<HistoryEntry | undefined> {
    return (await this.list()).find((e) => e.id === id);
  }

  /** Records a send; the oldest entries past the historyMaxEntries setting are dropped. */
  add(entry: Omit<HistoryEntry, 'id' | 'time'>): Promise<HistoryEntry> {
    return this.serial(async () => {
      // Rebuilt from the known fields only: whatever else the caller's object holds is not stored.
      const full = cleanEntry({ ...entry, id: randomUUID(), time: new Date().toISOString() });
      if (!full) throw new Error(vscode.l10n.t('Not a valid sent-history entry.'));
      const entries = await this.load();
      await this.save([full, ...entries].slice(0, this.limit()));
      this.changed.fire();
      return full;
    });
  }

  clear(): Promise<void> {
    return this.serial(async () => {
      await this.save([]);
      this.changed.fire();
    });
  }

  dispose(): void {
    this.changed.dispose();
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined); // one failed write must not block the ones after it
    return run;
  }

  private limit(): number {
    const n = this.maxEntries();
    return Number.isInteger(n) && n >= 1 ? n : DEFAULT_MAX;
  }

  /**
   * The entries, from memory unless the file changed since it was read (a stat is cheap and
   * lets a second window's sends show up here, and not be overwritten by this window's add).
   */
  private async load(): Promise<HistoryEntry[]> {
    const stat = await this.statFile();
    if (!stat) return (this.cache = { entries: [], mtime: -1, size: -1 }).entries;
    if (this.cache && this.cache.mtime === stat.mtime && this.cache.size === stat.size) return this.cache.entries;

    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(this.file));
    const { entries, problem } = parse(text);
    if (problem) {
      // Keep what could not be read for the user (or us) to look at; start again with what could.
      const kept = await this.setAside();
      const outcome =
        entries.length === 0
          ? vscode.l10n.t('A new history was started.')
          : entries.length === 1
            ? vscode.l10n.t('1 readable entry was kept.')
            : vscode.l10n.t('{0} readable entries were kept.', entries.length);
      this.onCorrupt?.(vscode.l10n.t('{0} {1} {2}', problem, kept, outcome));
      await this.save(entries); // replaces the bad file even if it could not be renamed, so it is reported once
      return entries;
    }
    this.cache = { entries, mtime: stat.mtime, size: stat.size };
    return entries;
  }

  /** Writes the whole file: to a temporary file first, then renamed over, so a crash mid-write cannot leave half a file. */
  private async save(entries: HistoryEntry[]): Promise<void> {
    const fs = vscode.workspace.fs;
    await fs.createDirectory(this.storageDir);
    const temp = vscode.Uri.joinPath(this.storageDir, `${FILE}.${randomUUID()}.tmp`);
    await fs.writeFile(temp, new TextEncoder().encode(JSON.stringify({ version: FORMAT_VERSION, entries })));
    try {
      await fs.rename(temp, this.file, { overwrite: true });
    } catch (error) {
      await Promise.resolve(fs.delete(temp)).catch(() => undefined);
      throw error;
    }
    const stat = await this.statFile();
    this.cache = { entries, mtime: stat?.mtime ?? -1, size: stat?.size ?? -1 };
  }

  /** Renames history.json to history.corrupt-<time>.json; returns a sentence saying where it is. */
  private async setAside(): Promise<string> {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-'); // no colons: Windows file names
    const target = vscode.Uri.joinPath(this.storageDir, `history.corrupt-${stamp}.json`);
    try {
      await vscode.workspace.fs.rename(this.file, target, { overwrite: false });
      return vscode.l10n.t('The file was kept as {0}.', target.fsPath);
    } catch (error) {
      return vscode.l10n.t('It could not be kept ({0}) and will be replaced.', error instanceof Error ? error.message : String(error));
    }
  }

  private async statFile(): Promise<vscode.FileStat | undefined> {
    try {
      return await vscode.workspace.fs.stat(this.file);
    } catch (error) {
      if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') return undefined;
      throw error;
    }
  }
}

/** The valid entries in the file, and what was wrong with it if anything. */
function parse(text: string): { entries: HistoryEntry[]; problem?: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { entries: [], problem: vscode.l10n.t('The sent history file is not valid JSON.') };
  }
  const list = typeof data === 'object' && data !== null ? (data as { entries?: unknown }).entries : undefined;
  if (!Array.isArray(list)) return { entries: [], problem: vscode.l10n.t('The sent history file has no list of entries.') };
  const entries = list.map(cleanEntry).filter((e): e is HistoryEntry => e !== undefined);
  const bad = list.length - entries.length;
  if (!bad) return { entries };
  return {
    entries,
    problem:
      bad === 1
        ? vscode.l10n.t('The sent history file had 1 damaged entry.')
        : vscode.l10n.t('The sent history file had {0} damaged entries.', bad),
  };
}
