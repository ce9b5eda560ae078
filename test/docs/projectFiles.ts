// Reads what the README generator works from: package.json, package.nls.json (when the
// manifest is localized) and README.md, from the repository root.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Manifest, Nls } from './readmeTables';

/** out/test/<folder>/<file>.js → the repository root. */
export const ROOT = resolve(__dirname, '..', '..', '..');
export const README = join(ROOT, 'README.md');

export function readProject(): { manifest: Manifest; nls: Nls | undefined; readme: string } {
  const nlsFile = join(ROOT, 'package.nls.json');
  return {
    manifest: JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest,
    nls: existsSync(nlsFile) ? (JSON.parse(readFileSync(nlsFile, 'utf8')) as Nls) : undefined,
    readme: readFileSync(README, 'utf8'),
  };
}
