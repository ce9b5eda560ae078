// Runs one layer's mocha files in this process and counts the outcomes. Used in plain Node
// (unit, UI) and inside the extension host (integration, through test/integration/index.ts).
import Mocha from 'mocha';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LayerResult } from './layerResult';

/** `onlyFiles`: the names (without `.test.js`) of the files to run; all of them when absent. */
export async function runMochaLayer(dir: string, options: Mocha.MochaOptions, onlyFiles?: readonly string[]): Promise<LayerResult> {
  const isTest = (f: string) => f.endsWith('.test.js') && (!onlyFiles || onlyFiles.includes(f.slice(0, -'.test.js'.length)));
  const files = existsSync(dir) ? readdirSync(dir).filter(isTest) : [];
  const result: LayerResult = { passed: 0, failed: 0, failures: [] };
  if (files.length === 0) return result;
  // A forgotten .only or .skip would pass the run with tests left out: both fail it instead.
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', ...options, forbidOnly: true, forbidPending: true });
  for (const file of files.sort()) mocha.addFile(join(dir, file));
  await new Promise<void>((resolve) => {
    let runner: Mocha.Runner;
    try {
      runner = mocha.run(() => resolve());
    } catch (error) {
      // Loading the files failed, e.g. a .only (forbidden) or a test file that throws.
      result.failed++;
      result.failures.push(`loading the tests: ${error instanceof Error ? error.message : String(error)}`);
      resolve();
      return;
    }
    runner.on('pass', () => result.passed++);
    runner.on('fail', (test, error: Error) => {
      result.failed++;
      result.failures.push(`${test.fullTitle()}: ${error.message}`);
    });
  });
  return result;
}
