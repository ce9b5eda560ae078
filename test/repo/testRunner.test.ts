// The runner behind every layer (test/harness/mochaLayer.ts) must not pass a run that left tests
// out: a forgotten .only or .skip fails it. Each case runs the real runner in a child process on
// a folder of its own test files.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LayerResult } from '../harness/layerResult';

const MOCHA_LAYER = join(__dirname, '..', 'harness', 'mochaLayer.js');

function runLayer(files: Record<string, string>): LayerResult {
  const dir = mkdtempSync(join(tmpdir(), 'prolific-runner-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const script = `require(${JSON.stringify(MOCHA_LAYER)}).runMochaLayer(${JSON.stringify(dir)}, { reporter: 'dot' }).then((r) => process.stdout.write('RESULT' + JSON.stringify(r)))`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });
    const json = /RESULT(.*)$/s.exec(run.stdout)?.[1];
    assert.ok(json, `no result: ${run.stdout}\n${run.stderr}`);
    return JSON.parse(json) as LayerResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the test runner', () => {
  it('counts passing and failing tests', () => {
    const result = runLayer({ 'a.test.js': `it('passes', () => {}); it('fails', () => { throw new Error('no'); });` });
    assert.deepEqual([result.passed, result.failed], [1, 1]);
  });

  it('fails a run with a .only instead of running only that test', () => {
    const result = runLayer({ 'a.test.js': `it.only('the one', () => {}); it('left out', () => {});` });
    assert.ok(result.failed >= 1, JSON.stringify(result));
    assert.match(result.failures.join('\n'), /only/i);
  });

  it('fails a skipped test, whether skipped by .skip or by this.skip()', () => {
    const result = runLayer({
      'a.test.js': `it.skip('skipped', () => {}); it('skips itself', function () { this.skip(); }); it('passes', () => {});`,
    });
    assert.deepEqual([result.passed, result.failed], [1, 2]);
  });
});
