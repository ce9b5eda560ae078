// Runs inside a real VS Code extension host as the extensionTestsPath of one round (see
// activation.ts): activates the extensions in the order the round names, timing each from here
// until everything its activation scheduled for the next turns of the event loop has run too
// (DeferredWork), and notes what each changed on disk. In the last round it also times the editor selection
// listener's work on a real editor, and reads the API token once through the extension (a
// command that does) so that the launcher can show its secret-read counter sees such reads (the
// profile round is last in the full run: after that command, a new window could restore the
// Inbox view, which activates the extension before anything is timed).
// A profile round activates the extension under the CPU profiler instead (not timed): where
// the activation time goes.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { Session, type Profiler } from 'node:inspector';
import { basename, join, relative } from 'node:path';
import * as vscode from 'vscode';
import { holdsParticipantIds, pointedParticipants } from '../../src/features/editor/editorParticipants';
import { tableCosts, type TableCosts } from './tableCostsHost';

const PROLIFIC_ID = 'prolific-messenger.prolific-messenger';

export interface RoundInput {
  order: string[];
  /** Quiet time after activating, counted in the extension's window (timers it set, late writes). */
  settleMs: number;
  /** Folders whose files are compared before and after (the server's home, the workspace). */
  watch: string[];
  results: string;
  last: boolean;
  profile: boolean;
  /** The fake API's token, for the table costs of the last round (the hover shows once a token is set). */
  token: string;
  /** Hover samples in the last round's table costs. */
  tableSamples: number;
}

export interface ActivationSample {
  id: string;
  alreadyActive: boolean;
  /** performance.now() from calling activate() until it returned and the work it deferred (DeferredWork) had run. */
  totalMs: number;
  /** performance.now() around `await extension.activate()` alone. */
  returnedMs: number;
  /** Callbacks scheduled for the next turns during the activation (and by those), all run within totalMs. */
  deferred: number;
  /** Of them, scheduled from the extension's own files (its stack named them). */
  deferredByExtension: number;
  /** Timers set meanwhile for later than DEFERRED_MAX_MS (a poll, say): not activation work, not waited for. */
  later: number;
  /** False when the deferred work had not all run within SETTLE_LIMIT_MS (totalMs is then NaN). */
  settled: boolean;
  /** VS Code's own marks around loading the main module (1 ms resolution). */
  codeLoadingMs: number | undefined;
  /** Date.now() at the start of activate() and at the end of the settle time. */
  window: [number, number];
  /** Files created or changed in the window, as 'watched folder's name/path in it'. */
  written: string[];
  /** The extension's own modules loaded by the end of the window (Node's require cache), relative to it. */
  loaded: string[];
}

export interface SelectionCost {
  label: string;
  microsPerCall: number;
}

export interface RoundOutput {
  activations: ActivationSample[];
  selection?: SelectionCost[];
  tables?: TableCosts;
  /** When the token was read through the extension on purpose (the counter's positive control). */
  control?: [number, number];
  profile?: ProfileSummary;
}

export interface ProfileSummary {
  /** The extension was active before the profiler started: the profile holds no activation. */
  alreadyActive: boolean;
  /** Sampled time by phase of the activation. */
  byPhase: [phase: string, ms: number][];
  /** Time in functions the bundle calls outside itself (VS Code's API, Node's require), with what they call. */
  calledFromBundle: [callee: string, ms: number][];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function run(): Promise<void> {
  const input = JSON.parse(readFileSync(process.env.BENCH_ROUND ?? '', 'utf8')) as RoundInput;
  const output: RoundOutput = { activations: [] };
  // The window is still starting (built-in extensions, the file explorer): let it settle.
  await sleep(2_000);
  if (input.profile) output.profile = await profileActivation(input.order[0]);
  for (const id of input.profile ? [] : input.order) {
    const extension = vscode.extensions.getExtension(id);
    if (!extension) throw new Error(`${id} is not loaded: check the round's extensionDevelopmentPath entries`);
    const alreadyActive = extension.isActive;
    const before = snapshot(input.watch);
    const start = Date.now();
    const timing = await timeActivation(extension);
    await sleep(input.settleMs);
    const end = Date.now();
    output.activations.push({
      id,
      alreadyActive,
      ...timing,
      codeLoadingMs: codeLoading(id),
      window: [start, end],
      written: changed(before, snapshot(input.watch)),
      loaded: loadedModules(extension.extensionPath),
    });
  }
  if (input.last) {
    output.selection = await selectionCost();
    output.tables = await tableCosts(input.tableSamples, async () => {
      const exports = vscode.extensions.getExtension(PROLIFIC_ID)?.exports as
        { testHandles?: () => { tokenController: { setToken(token: string): Promise<boolean> } } } | undefined;
      if (!(await exports?.testHandles?.().tokenController.setToken(input.token))) throw new Error('could not set the fake API token');
    });
    const start = Date.now();
    await vscode.commands.executeCommand('prolific.inbox.refresh');
    await sleep(input.settleMs);
    output.control = [start, Date.now()];
  }
  writeFileSync(input.results, JSON.stringify(output));
}

/** Timers up to this long, set during an activation, are part of it (the next tick, a short debounce); longer ones are scheduled for later. */
const DEFERRED_MAX_MS = 50;
/** Deferred work that has not all run by then is reported as not settled. */
const SETTLE_LIMIT_MS = 5_000;

type Timing = Pick<ActivationSample, 'totalMs' | 'returnedMs' | 'deferred' | 'deferredByExtension' | 'later' | 'settled'>;

/**
 * Activates the extension and times it as a user feels it: from calling activate() until it has
 * returned and every callback scheduled meanwhile for the next turns of the event loop has run,
 * and those they scheduled in turn (DeferredWork), then one more turn for their microtasks.
 */
async function timeActivation(extension: vscode.Extension<unknown>): Promise<Timing> {
  const work = new DeferredWork(extension.extensionPath);
  const t0 = performance.now();
  work.install();
  try {
    await extension.activate();
    const returnedMs = performance.now() - t0;
    work.windowClosed();
    const settled = await work.done(SETTLE_LIMIT_MS);
    const totalMs = settled ? performance.now() - t0 : NaN;
    return { totalMs, returnedMs, deferred: work.scheduled, deferredByExtension: work.byExtension, later: work.later, settled };
  } finally {
    work.uninstall();
  }
}

/**
 * Watches the global setTimeout (up to DEFERRED_MAX_MS) and setImmediate while an activation runs:
 * every callback scheduled from the call of activate() until it returns (by the extension, or by
 * the host for it), and every callback scheduled from within those while they run, is counted as
 * pending until it has run or been cleared. The extension's own deferred work (for example the
 * Accounts-menu stand-in and the token's status-bar item, made on a setTimeout(0) after activate()
 * returns) is therefore inside the time, and so is what the host does for it on the next turns.
 */
class DeferredWork {
  scheduled = 0;
  byExtension = 0;
  later = 0;
  private readonly pending = new Set<unknown>();
  private windowOpen = true;
  private running = 0;
  private onIdle: (() => void) | undefined;
  private readonly original = {
    setTimeout: globalThis.setTimeout,
    clearTimeout: globalThis.clearTimeout,
    setImmediate: globalThis.setImmediate,
    clearImmediate: globalThis.clearImmediate,
  };

  constructor(private readonly extensionPath: string) {}

  install(): void {
    const { original } = this;
    const tracking = () => this.windowOpen || this.running > 0;
    type Callback = (...args: unknown[]) => void;
    const timeout = original.setTimeout as unknown as (callback: Callback, delay?: number, ...args: unknown[]) => NodeJS.Timeout;
    const immediate = original.setImmediate as unknown as (callback: Callback, ...args: unknown[]) => NodeJS.Immediate;
    const patchedTimeout = (callback: unknown, delay?: number, ...args: unknown[]) => {
      if (!tracking() || typeof callback !== 'function') return timeout(callback as Callback, delay, ...args);
      if ((delay ?? 0) > DEFERRED_MAX_MS) {
        this.later++;
        return timeout(callback as Callback, delay, ...args);
      }
      const handle = timeout(() => this.run(handle, callback as Callback, args), delay);
      return this.track(handle);
    };
    const patchedImmediate = (callback: unknown, ...args: unknown[]) => {
      if (!tracking() || typeof callback !== 'function') return immediate(callback as Callback, ...args);
      const handle = immediate(() => this.run(handle, callback as Callback, args));
      return this.track(handle);
    };
    Object.assign(globalThis, {
      setTimeout: Object.assign(patchedTimeout, original.setTimeout),
      setImmediate: Object.assign(patchedImmediate, original.setImmediate),
      clearTimeout: (handle: NodeJS.Timeout | string | number | undefined) => {
        original.clearTimeout(handle);
        this.untrack(handle);
      },
      clearImmediate: (handle: NodeJS.Immediate | undefined) => {
        original.clearImmediate(handle);
        this.untrack(handle);
      },
    });
  }

  uninstall(): void {
    Object.assign(globalThis, this.original);
  }

  windowClosed(): void {
    this.windowOpen = false;
  }

  /** Resolves true once nothing is pending (checked again one turn later), false after `limitMs`. */
  done(limitMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const limit = this.original.setTimeout(() => finish(false), limitMs);
      const finish = (settled: boolean) => {
        this.original.clearTimeout(limit);
        this.onIdle = undefined;
        resolve(settled);
      };
      // One more turn, untracked: what the last callback queued as microtasks or ticks runs first.
      const check = () => {
        this.onIdle = undefined;
        this.original.setImmediate(() => (this.pending.size === 0 ? finish(true) : (this.onIdle = check)));
      };
      if (this.pending.size === 0) check();
      else this.onIdle = check;
    });
  }

  private track<T>(handle: T): T {
    this.pending.add(handle);
    this.scheduled++;
    if (new Error().stack?.includes(this.extensionPath)) this.byExtension++;
    return handle;
  }

  private untrack(handle: unknown): void {
    if (this.pending.delete(handle) && this.pending.size === 0) this.onIdle?.();
  }

  private run(handle: unknown, callback: (...args: unknown[]) => void, args: unknown[]): void {
    this.running++;
    try {
      callback(...args);
    } finally {
      this.running--;
      this.untrack(handle);
    }
  }
}

/** The extension host's own performance marks around `require` of the extension's main module. */
function codeLoading(id: string): number | undefined {
  const marks =
    (globalThis as { MonacoPerformanceMarks?: { getMarks(): { name: string; startTime: number }[] } }).MonacoPerformanceMarks?.getMarks() ??
    [];
  const at = (name: string) => marks.find((m) => m.name === `code/extHost/${name}/${id}`)?.startTime;
  const will = at('willLoadExtensionCode');
  const did = at('didLoadExtensionCode');
  return will === undefined || did === undefined ? undefined : did - will;
}

/** What the extension host has required from the extension's folder so far. */
function loadedModules(extensionPath: string): string[] {
  return Object.keys(require.cache)
    .filter((path) => path.startsWith(`${extensionPath}/`))
    .map((path) => relative(extensionPath, path));
}

type Snapshot = Map<string, string>;

function snapshot(folders: string[]): Snapshot {
  const files: Snapshot = new Map();
  const walk = (root: string, dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      const stat = statSync(path, { throwIfNoEntry: false });
      if (stat?.isDirectory()) walk(root, path);
      else if (stat) files.set(`${basename(root)}/${relative(root, path)}`, `${stat.size}:${stat.mtimeMs}`);
    }
  };
  for (const folder of folders) walk(folder, folder);
  return files;
}

function changed(before: Snapshot, after: Snapshot): string[] {
  return [...after].filter(([path, stamp]) => before.get(path) !== stamp).map(([path]) => path);
}

/**
 * What src/features/editor/editorParticipants.ts does, on a real editor: the context key's look
 * at a document when it becomes active or its typing pauses (holdsParticipantIds: at most its
 * first megabyte), and what the command reads where the cursor is (pointedParticipants).
 */
async function selectionCost(): Promise<SelectionCost[]> {
  const id = '5f8d0c3e4b2a1c0012345678';
  const prose = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.\n'.repeat(2_000); // ~160 KB, no ID
  const rows = Array.from({ length: 20_000 }, (_, i) => `${i.toString(16).padStart(24, '0')},APPROVED,row ${i}\n`).join('');
  const document = await vscode.workspace.openTextDocument({ content: `${prose}${id} is the first\n${rows}` });
  const editor = await vscode.window.showTextDocument(document);
  const idLine = prose.split('\n').length - 1;
  const cases: [string, vscode.Selection, () => unknown][] = [
    ['cursor on an ID', new vscode.Selection(idLine, 5, idLine, 5), () => pointedParticipants(editor)],
    ['cursor on a word', new vscode.Selection(3, 8, 3, 8), () => pointedParticipants(editor)],
    ['document key, first ID after 160 KB', new vscode.Selection(0, 0, 0, 0), () => holdsParticipantIds(document)],
  ];
  const costs: SelectionCost[] = [];
  for (const [label, selection, call] of cases) {
    editor.selection = selection;
    for (let i = 0; i < 50; i++) call(); // warm up
    let calls = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 300) {
      call();
      calls++;
    }
    costs.push({ label, microsPerCall: ((performance.now() - t0) * 1000) / calls });
  }
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  return costs;
}

async function profileActivation(id: string): Promise<ProfileSummary> {
  const session = new Session();
  session.connect();
  const post = <T>(method: string, params?: object) =>
    new Promise<T>((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 50 });
  await post('Profiler.start');
  const extension = vscode.extensions.getExtension(id);
  const alreadyActive = extension?.isActive ?? false;
  await extension?.activate();
  const { profile } = await post<{ profile: Profiler.Profile }>('Profiler.stop');
  session.disconnect();
  return {
    alreadyActive,
    ...summarise(profile, extension ? readFileSync(join(extension.extensionPath, 'dist', 'extension.js'), 'utf8') : ''),
  };
}

/**
 * Sorts the samples by phase, from their stacks: compiling the bundle, running its top level
 * (module init: building schemas, requiring Node modules, esbuild's copy of the vscode API for
 * each file that imports it), activate() itself (the extension's code and the API calls it
 * makes), and the host's own work. The profiler's own calls are left out.
 */
function summarise(profile: Profiler.Profile, bundle: string): Omit<ProfileSummary, 'alreadyActive'> {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, Profiler.ProfileNode>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n);
  const inBundle = (n: Profiler.ProfileNode) => n.callFrame.url.endsWith('/dist/extension.js');
  // esbuild turns each file's `import * as vscode from 'vscode'` into `toESM(require("vscode"))`.
  const toEsm = /(\w+)\(require\("vscode"\)\)/.exec(bundle)?.[1];
  const imports = bundle.split('require("vscode")').length - 1;
  const byPhase = new Map<string, number>();
  const calledFromBundle = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, us: number) => map.set(key, (map.get(key) ?? 0) + us / 1000);
  profile.samples?.forEach((id, i) => {
    const us = profile.timeDeltas?.[i] ?? 0;
    const stack: Profiler.ProfileNode[] = [];
    for (let n = nodes.get(id); n; n = parent.get(n.id)) stack.push(n);
    const has = (test: (n: Profiler.ProfileNode) => boolean) => stack.some(test);
    const named = (name: string) => has((n) => n.callFrame.functionName === name);
    if (has((n) => n.callFrame.url === 'node:inspector') || named('(idle)')) return;
    const leaf = stack[0].callFrame.functionName;
    let phase = "the host's own JavaScript (bookkeeping, messages)";
    if (leaf === '(garbage collector)') phase = 'garbage collection';
    else if (leaf === '(program)') phase = 'native work outside JavaScript ((program))';
    else if (named('_callActivateOptional'))
      phase = inBundle(stack[0]) ? "activate(): the extension's code" : 'activate(): VS Code API calls';
    else if (named('wrapSafe') || named('compileFunction')) phase = 'loading: compiling dist/extension.js';
    else if (toEsm && has((n) => inBundle(n) && n.callFrame.functionName === toEsm))
      phase = `loading: copying the vscode API (${imports} imports)`;
    else if (has(inBundle)) phase = 'loading: the rest of the top level (module init)';
    add(byPhase, phase, us);
    // The outermost frame outside the bundle whose caller is in the bundle: an API call, a require.
    let callee: Profiler.ProfileNode | undefined;
    for (let j = 0; j + 1 < stack.length; j++) if (!inBundle(stack[j]) && inBundle(stack[j + 1])) callee = stack[j];
    if (callee)
      add(calledFromBundle, `${callee.callFrame.functionName || '(anonymous)'} (${callee.callFrame.url.split('/').pop() || 'native'})`, us);
  });
  const top = (map: Map<string, number>, n: number) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n);
  return { byPhase: top(byPhase, 8), calledFromBundle: top(calledFromBundle, 6) };
}
