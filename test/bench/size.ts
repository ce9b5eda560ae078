// Sizes of what ships: the three bundles and the .vsix (from `npm run package`, which the bench
// script runs first), and what each npm package adds to each bundle, from the production build
// with esbuild.mjs's --metafile flag (esbuild's analysis, which rounds each file to 0.1 KB).
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../harness/vscodeServer';
import { bytes, exact, info } from './report';

const VSIX_BUDGET = 250_000;
const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 * 1024 };

export async function benchSize(): Promise<void> {
  const build = spawnSync(process.execPath, ['esbuild.mjs', '--production', '--metafile'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`esbuild.mjs --production --metafile failed:\n${build.stderr}`);
  for (const name of ['extension.js', 'features.js', 'webview.js', 'conversation.js'])
    info(`dist/${name}`, bytes(statSync(join(ROOT, 'dist', name)).size));
  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const vsix = statSync(join(ROOT, `prolific-messenger-${version}.vsix`)).size;
  exact(`prolific-messenger-${version}.vsix`, bytes(vsix), `≤ ${bytes(VSIX_BUDGET)}`, vsix <= VSIX_BUDGET);

  const inputs = parseAnalysis(build.stdout);
  for (const [bundle, files] of inputs) {
    const total = [...files.values()].reduce((a, b) => a + b, 0);
    info(`${bundle} by package (≈ bytes)`, `${bytes(Math.round(total))} in all`);
    const byPackage = new Map<string, number>();
    for (const [file, size] of files) byPackage.set(packageOf(file), (byPackage.get(packageOf(file)) ?? 0) + size);
    for (const [name, size] of [...byPackage].sort((a, b) => b[1] - a[1]))
      info(`  ${name}`, `${bytes(Math.round(size))} (${((size / total) * 100).toFixed(1)}%)`);
  }

  const specifiers = new Map<string, number>();
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    for (const match of readFileSync(file, 'utf8').matchAll(/from '(zod[^']*)'/g))
      specifiers.set(match[1], (specifiers.get(match[1]) ?? 0) + 1);
  }
  info('zod imports in src/', [...specifiers].map(([s, n]) => `'${s}' in ${n} file(s)`).join(', ') || 'none');
  const zodFiles = [...inputs.values()].flatMap((files) => [...files.keys()]).filter((f) => f.includes('node_modules/zod/'));
  const classic = zodFiles.filter((f) => f.includes('/classic/'));
  info('zod parts in the bundles', [...new Set(zodFiles.map((f) => f.split('/').slice(1, 4).join('/')))].join(', '));
  exact(
    'zod: only zod/mini is bundled',
    classic.length ? `${classic.length} zod/classic files` : 'zod/mini only',
    'no zod classic',
    classic.length === 0 && [...specifiers.keys()].every((s) => s === 'zod/mini'),
  );
}

/** esbuild's analyzeMetafile text: per output, its input files and their bytes in it. */
function parseAnalysis(text: string): Map<string, Map<string, number>> {
  const outputs = new Map<string, Map<string, number>>();
  let current: Map<string, number> | undefined;
  for (const line of text.split('\n')) {
    const output = /^\s{2}(\S+)\s+[\d.]+(?:b|kb|mb)\s+100\.0%$/.exec(line);
    if (output) outputs.set(output[1], (current = new Map()));
    const input = /^\s+[├└]\s+(\S+)\s+([\d.]+)(b|kb|mb)\s/.exec(line);
    if (input && current) current.set(input[1], Number(input[2]) * UNITS[input[3]]);
  }
  return outputs;
}

/** 'node_modules/@scope/name/x.js' → '@scope/name'; the innermost package wins; else the extension's own code. */
function packageOf(file: string): string {
  const parts = file.split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) return file.startsWith('src/') ? "(the extension's own code, src/)" : '(esbuild runtime helpers)';
  return parts[at + 1].startsWith('@') ? `${parts[at + 1]}/${parts[at + 2]}` : parts[at + 1];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}
