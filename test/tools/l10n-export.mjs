// `npm run l10n`: extracts every `vscode.l10n.t(...)` and `l10n.t(...)` string of src/ into
// l10n/bundle.l10n.json with @vscode/l10n-dev's exporter, then writes the pseudo-locale
// (qps-ploc) of that bundle and of package.nls.json with its pseudo-localizer.
//   node test/tools/l10n-export.mjs [--out <dir>]   --out writes the three files under <dir> instead
//                                        (the unit test compares them with the committed ones)
// The exporter only recognizes `import * as vscode from 'vscode'`-style imports, not TypeScript's
// `import vscode = require('vscode')` (microsoft/vscode-l10n#168), nor our vscode-free
// src/shared/l10n.ts. So each file is read as the equivalent it understands: `const vscode =
// require('vscode')`, and the core module as `@vscode/l10n`, whose `l10n.t` it mirrors.
import { getL10nJson, getL10nPseudoLocalized } from '@vscode/l10n-dev';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const outIndex = process.argv.indexOf('--out');
const out = outIndex > 0 ? process.argv[outIndex + 1] : root;

function sources(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return sources(path);
      return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
    });
}

export function asExporterReads(contents) {
  return contents
    .replace(/^import (\w+) = require\((['"])vscode\2\);?/gm, 'const $1 = require($2vscode$2);')
    .replace(/^import \{ l10n \} from (['"])(?:\.{1,2}\/)+(?:shared\/)?l10n\1;?/gm, "import { l10n } from '@vscode/l10n';");
}

const files = sources(join(root, 'src')).map((path) => ({
  extension: extname(path),
  contents: asExporterReads(readFileSync(path, 'utf8')),
}));
const extracted = await getL10nJson(files);
// Sorted, so the bundle's order does not depend on which file first used a string.
const bundle = Object.fromEntries(
  Object.keys(extracted)
    .sort()
    .map((key) => [key, extracted[key]]),
);
const nls = JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8'));

const write = (path, value) => {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, undefined, 2)}\n`);
};
write(join(out, 'l10n', 'bundle.l10n.json'), bundle);
write(join(out, 'l10n', 'bundle.l10n.qps-ploc.json'), getL10nPseudoLocalized(bundle));
write(join(out, 'package.nls.qps-ploc.json'), getL10nPseudoLocalized(nls));
// The walkthrough's step pages: VS Code shows <page>.nls.<locale>.md in that locale when it exists.
// Code spans (setting names, {{column}}) stay as they are; the prose around them is pseudo-localized.
const walkthrough = join(root, 'media', 'walkthrough');
const walkthroughPages = readdirSync(walkthrough)
  .filter((name) => name.endsWith('.md') && !name.includes('.nls.'))
  .sort();
for (const page of walkthroughPages) {
  const parts = readFileSync(join(walkthrough, page), 'utf8').split(/(`[^`]*`)/);
  const prose = Object.fromEntries(parts.map((part, i) => [String(i), part]).filter(([, part]) => !part.startsWith('`')));
  const pseudo = getL10nPseudoLocalized(prose);
  const localized = parts.map((part, i) => pseudo[String(i)] ?? part).join('');
  mkdirSync(join(out, 'media', 'walkthrough'), { recursive: true });
  writeFileSync(join(out, 'media', 'walkthrough', page.replace(/\.md$/, '.nls.qps-ploc.md')), localized);
}
console.log(
  `l10n: ${Object.keys(bundle).length} strings in l10n/bundle.l10n.json, ${Object.keys(nls).length} in package.nls.json (+ qps-ploc pseudo-locale, also of the ${walkthroughPages.length} walkthrough pages)`,
);
