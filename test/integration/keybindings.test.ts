// The extension's keyboard shortcuts against VS Code's own defaults, read from the real
// workbench's "Default Keyboard Shortcuts (JSON)" document: a key VS Code already uses would
// either be taken from the user or never reach us.
import * as assert from 'node:assert/strict';
import vscode = require('vscode');
import { waitFor } from '../harness/processes';
import { EXTENSION_ID, activate } from '../support/extensionHost';

interface Binding {
  key: string;
  command: string;
  mac?: string;
  win?: string;
  linux?: string;
}

/** "Shift+Ctrl+M" and "ctrl+shift+m" are the same key: modifiers sorted, lower case. */
function normalize(chord: string): string {
  return chord
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .map((part) => {
      const keys = part.split('+');
      const main = keys.pop() ?? '';
      return [...keys.sort(), main].join('+');
    })
    .join(' ');
}

/** Every default binding, as [key, command]; lines commented out are not bindings. */
function parseDefaults(text: string): Array<[string, string]> {
  const live = text
    .split('\n')
    .filter((line) => !/^\s*\/\//.test(line))
    .join('\n');
  return [...live.matchAll(/\{\s*"key":\s*"([^"]+)",\s*"command":\s*"([^"]+)"/g)].map((m) => [normalize(m[1]!), m[2]!]);
}

/** The key our package.json gives a binding on this platform (what the default list shows). */
function keyHere(b: Binding): string {
  const own = process.platform === 'darwin' ? b.mac : process.platform === 'win32' ? b.win : b.linux;
  return normalize(own ?? b.key);
}

async function defaultKeybindingsText(): Promise<string> {
  await vscode.commands.executeCommand('workbench.action.openDefaultKeybindingsFile');
  const isDefaults = (d: vscode.TextDocument | undefined) => d?.uri.scheme === 'vscode' && d.uri.path.endsWith('keybindings.json');
  const doc = await waitFor(
    'the default keybindings document',
    () =>
      [vscode.window.activeTextEditor?.document, ...vscode.workspace.textDocuments].find(
        (d) => isDefaults(d) && d?.getText().includes('"command"'),
      ),
    20_000,
  );
  return doc.getText();
}

describe('keyboard shortcuts', () => {
  const ours = (): Binding[] => vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON.contributes.keybindings ?? [];

  it('declare a key for Linux, Windows and macOS for every binding', () => {
    assert.ok(ours().length >= 2, 'the extension contributes keybindings');
    for (const b of ours()) {
      assert.ok(b.key, `${b.command} has a key (Linux and Windows)`);
      assert.ok(b.mac, `${b.command} has a mac key`);
      assert.doesNotMatch(b.key, /\bcmd\b/, `${b.command}: cmd only exists on mac`);
    }
  });

  it('bind no key that VS Code binds by default on this platform', async function () {
    this.timeout(60_000);
    await activate();
    const text = await defaultKeybindingsText();
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    // The document lists extensions' keybindings too: ours are not clashes.
    const defaults = parseDefaults(text).filter(
      ([, command]) => !command.startsWith('prolific.') && !command.startsWith('workbench.view.extension.prolific'),
    );
    assert.ok(defaults.length > 300, `the default list was read (${defaults.length} bindings)`);
    assert.ok(
      defaults.some(([key]) => key === normalize(process.platform === 'darwin' ? 'cmd+shift+p' : 'ctrl+shift+p')),
      'the list holds the palette key',
    );
    for (const b of ours()) {
      const key = keyHere(b);
      const first = key.split(' ')[0]!;
      const clashes = defaults.filter(([k]) => k === key || k.split(' ')[0] === key || (key.includes(' ') && k === first));
      assert.deepEqual(clashes, [], `${key} (${b.command}) is free by default`);
    }
  });
});
