// Builds every bundle: the extension host's (dist/extension.js, loaded at activation, and
// dist/features.js, which it loads on first use), the compose and conversation pages
// (dist/webview.js, dist/conversation.js) and, with --tests, the test files (out/test/**).
// tsc only type-checks (npm run typecheck).
//   node esbuild.mjs               development: sourcemaps, not minified
//   node esbuild.mjs --production  packaging: minified, no sourcemaps
//   node esbuild.mjs --watch       development, rebuilding on change
//   node esbuild.mjs --tests       development bundles plus the tests
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const tests = process.argv.includes('--tests');
const metafile = process.argv.includes('--metafile');

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  metafile,
  legalComments: production ? 'none' : 'inline',
};

/** @type {import('esbuild').BuildOptions[]} */
const builds = [
  {
    ...common,
    // Two bundles: activation compiles and runs only the small one; it requires './features.js'
    // (kept external, so not bundled into it) when a command or view is first used.
    entryPoints: { extension: 'src/extension.ts', features: 'src/container.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // fetch-blob (under node-fetch) loads this stream polyfill only when the runtime has no
    // ReadableStream; every VS Code since 1.90 runs Node 20, so it would be 59 KB never run.
    external: ['vscode', 'web-streams-polyfill/*', './features.js'],
  },
  {
    ...common,
    entryPoints: { webview: 'src/webviews/apps/compose/page.ts', conversation: 'src/webviews/apps/conversation/page.ts' },
    outdir: 'dist',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

/**
 * The webview pages show a few of VS Code's own icons (codicons). Only the glyphs the style
 * sheets use are copied, as SVG files the CSS draws as masks in the text colour: about 700 bytes
 * each instead of the whole icon font (126 KB) and its style sheet (34 KB). The style sheets are
 * the list: every `url(../dist/codicons/NAME.svg)` in media/*.css names one.
 */
function copyCodicons() {
  const used = new Set();
  for (const name of readdirSync('media').filter((f) => f.endsWith('.css'))) {
    for (const m of readFileSync(join('media', name), 'utf8').matchAll(/url\(["']?\.\.\/dist\/codicons\/([\w-]+)\.svg["']?\)/g))
      used.add(m[1]);
  }
  rmSync('dist/codicons', { recursive: true, force: true });
  mkdirSync('dist/codicons', { recursive: true });
  for (const icon of used)
    copyFileSync(join('node_modules', '@vscode', 'codicons', 'src', 'icons', `${icon}.svg`), join('dist', 'codicons', `${icon}.svg`));
}

function listTests(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listTests(path);
    return /\.ts$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

if (tests) {
  // A test file that moved or went away must not leave its old bundle behind for a layer to run.
  rmSync(join('out', 'test'), { recursive: true, force: true });
  builds.push({
    ...common,
    minify: false,
    sourcemap: 'inline',
    entryPoints: listTests('test').filter((p) => !p.startsWith(join('test', 'harness', 'fixtures'))),
    outdir: 'out',
    outbase: '.',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // vscode exists only inside the extension host; mocha, playwright-core and typescript are loaded from node_modules.
    external: ['vscode', 'mocha', 'playwright-core', '@vscode/test-electron', 'typescript'],
  });
}

copyCodicons();

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[esbuild] watching');
} else {
  const results = await Promise.all(builds.map((b) => esbuild.build(b)));
  if (metafile) {
    for (const r of results) console.log(await esbuild.analyzeMetafile(r.metafile));
  }
}
