// The house plan holds (README, "Developing"): the folders of src/ import each other in one
// direction only. ESLint keeps each import pointing down (eslint.config.mjs); this finds cycles
// between folders, which no single import shows. One thing has one place: every page's nonce.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(__dirname, '..', '..', '..');
const SRC = join(ROOT, 'src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** A file's folder as the plan names it: src/features/send/x.ts → features/send; src/x.ts → (top). */
function folderOf(file: string): string {
  const parts = relative(SRC, dirname(file)).split(/[\\/]/).filter(Boolean);
  if (parts.length === 0) return '(top)';
  if (parts[0] === 'features' || parts[0] === 'webviews') return parts.slice(0, parts[1] === 'apps' ? 3 : 2).join('/');
  return parts[0];
}

/** folder → the folders its files import (relative imports only). */
function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sources(SRC)) {
    const from = folderOf(file);
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of info.importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const to = folderOf(resolve(dirname(file), fileName) + '.ts');
      if (to === from) continue;
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)!.add(to);
    }
  }
  return graph;
}

/** The strongly connected components with more than one folder (Tarjan). */
function cycles(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (v: string) => {
    order.set(v, index);
    low.set(v, index++);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!order.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, order.get(w)!));
    }
    if (low.get(v) !== order.get(v)) return;
    const component: string[] = [];
    for (let w = stack.pop(); w !== undefined; w = w === v ? undefined : stack.pop()) component.push(w);
    if (component.length > 1) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!order.has(v)) visit(v);
  return found;
}

describe('the house plan', () => {
  it('has no cycles between the folders of src/', () => {
    const graph = folderGraph();
    assert.ok(graph.size >= 10, `found the folders: ${[...graph.keys()].join(', ')}`);
    assert.deepEqual(cycles(graph), []);
  });

  it('finds a cycle when there is one (the check can fail)', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set(['a'])],
    ]);
    assert.deepEqual(cycles(graph), [['a', 'b', 'c']]);
  });

  it('keeps src/ to the activation entry and the container at its top', () => {
    const loose = readdirSync(SRC, { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => e.name)
      .sort();
    assert.deepEqual(loose, ['container.ts', 'extension.ts']);
  });

  it('makes every nonce in the one webview host, so the conversation page gets its nonce where the compose page does', () => {
    const sources = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const callers = sources.filter((f) => /(?<!function )\bmakeNonce\(\)/.test(readFileSync(join(SRC, f), 'utf8')));
    assert.deepEqual(
      callers.map((f) => f.replace(/\\/g, '/')),
      ['host/webviewHost.ts'],
    );
  });
});
