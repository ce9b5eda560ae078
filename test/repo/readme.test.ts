// The README's commands and settings tables are what package.json contributes, and the
// generator that writes them (`npm run docs`) renders each kind of contribution correctly.
import assert from 'node:assert/strict';
import { readProject } from '../docs/projectFiles';
import {
  SECTIONS,
  commandsTable,
  formatKey,
  generate,
  localize,
  renderReadme,
  sectionOf,
  settingsTable,
  type Manifest,
} from '../docs/readmeTables';

describe('README', () => {
  const { manifest, nls, readme } = readProject();

  for (const name of SECTIONS) {
    it(`has the ${name} table package.json describes now`, () => {
      const inReadme = sectionOf(readme, name);
      assert.ok(inReadme !== undefined, `README.md has no <!-- ${name}:start --> … <!-- ${name}:end --> markers`);
      assert.equal(
        inReadme,
        generate(name, manifest, nls),
        `README.md's ${name} table is out of date with package.json: run \`npm run docs\` and commit README.md`,
      );
    });
  }

  it('lists every contributed command and setting', () => {
    for (const c of manifest.contributes?.commands ?? []) assert.ok(sectionOf(readme, 'commands')?.includes(`\`${c.command}\``), c.command);
    const configuration = manifest.contributes?.configuration;
    for (const group of Array.isArray(configuration) ? configuration : [configuration]) {
      for (const key of Object.keys(group?.properties ?? {})) assert.ok(sectionOf(readme, 'settings')?.includes(`\`${key}\``), key);
    }
  });

  it('is unchanged by rendering it again', () => {
    const once = renderReadme(readme, manifest, nls);
    assert.equal(renderReadme(once, manifest, nls), once);
  });
});

describe('README table generator', () => {
  const manifest: Manifest = {
    contributes: {
      commands: [
        { command: 'x.send', title: '%send.title%', category: '%category%' },
        { command: 'x.pick', title: 'Pick | Choose', category: 'X' },
        { command: 'x.open', title: 'Open', category: 'X' },
        { command: 'x.retry', title: 'Retry', category: 'X' },
      ],
      keybindings: [{ command: 'x.send', key: 'ctrl+alt+m', mac: 'cmd+alt+m' }],
      menus: {
        commandPalette: [
          { command: 'x.open', when: 'false' },
          { command: 'x.retry', when: 'false' },
          { command: 'x.pick', when: 'editorIsOpen' },
        ],
        'editor/context': [{ command: 'x.send', when: 'editorTextFocus', group: 'navigation' }],
        'view/title': [
          { command: 'x.send', when: 'view == x.sent', group: 'navigation@1' },
          { command: 'x.pick', when: 'view == x.sent', group: '1_more' },
        ],
        'view/item/context': [
          { command: 'x.retry', when: 'view == x.sent && viewItem == entry', group: 'inline@1' },
          { command: 'x.retry', when: 'view == x.sent && viewItem == entry', group: '2_actions@1' },
        ],
      },
      views: { x: [{ id: 'x.sent', name: '%view.sent%' }] },
      configuration: {
        properties: {
          'x.url': {
            type: 'string',
            default: 'https://example.com',
            scope: 'application',
            description: 'plain',
            markdownDescription: '%url.md%',
          },
          'x.count': { type: 'integer', default: 4, minimum: 1, maximum: 16, description: 'How many\nat once | in flight' },
          'x.name': { type: 'string', default: '', scope: 'resource', description: 'A name' },
          'x.mode': {
            type: 'string',
            enum: ['a', 'b'],
            default: 'a',
            scope: 'machine',
            description: 'Mode',
            deprecationMessage: 'Use x.name',
          },
        },
      },
    },
  };
  const nls = { category: 'Prolific', 'send.title': 'Send Message', 'view.sent': 'Sent', 'url.md': { message: 'Where `requests` go' } };
  const row = (table: string, id: string) =>
    table.split('\n').find((line) => line.includes(`\`${id}\``)) ?? assert.fail(`no row for ${id} in\n${table}`);

  it('resolves %key% references from package.nls.json, in both its forms', () => {
    assert.equal(localize('%send.title%', nls), 'Send Message');
    assert.equal(localize('%url.md%', nls), 'Where `requests` go');
    assert.equal(localize('100% sure, 5%', nls), '100% sure, 5%', 'only a whole-string reference is one');
  });

  it('fails, naming the key, when package.nls.json lacks a referenced key or is absent', () => {
    assert.throws(() => localize('%missing.key%', nls), /%missing\.key%.*package\.nls\.json/);
    assert.throws(() => localize('%send.title%', undefined), /%send\.title%/);
    assert.throws(() => localize('%toString%', nls), /%toString%/, 'inherited object properties are not keys');
  });

  it('gives each command its title with its category, its shortcut and where it appears', () => {
    const table = commandsTable(manifest, nls);
    assert.equal(
      row(table, 'x.send'),
      '| **Prolific: Send Message** | `x.send` | `Ctrl+Alt+M` (macOS `Cmd+Alt+M`) | Command Palette, editor context menu, Sent view title bar (button) |',
    );
    assert.equal(row(table, 'x.pick'), '| **X: Pick \\| Choose** | `x.pick` | — | Command Palette, Sent view title bar (… menu) |');
    assert.equal(row(table, 'x.retry'), '| **X: Retry** | `x.retry` | — | Sent view items (button, context menu) |');
    assert.equal(row(table, 'x.open'), '| **X: Open** | `x.open` | — | not in menus (run from the views) |');
  });

  it('formats shortcuts the way VS Code shows them, chords included', () => {
    assert.equal(formatKey('ctrl+shift+p'), 'Ctrl+Shift+P');
    assert.equal(formatKey('ctrl+k ctrl+m'), 'Ctrl+K Ctrl+M');
    assert.equal(formatKey('alt+enter'), 'Alt+Enter');
  });

  it('gives each setting its type, default, scope and description, preferring markdownDescription', () => {
    const table = settingsTable(manifest, nls);
    assert.equal(row(table, 'x.url'), '| `x.url` | string | `https://example.com` | user only | Where `requests` go |');
    assert.equal(row(table, 'x.count'), '| `x.count` | integer, 1–16 | `4` | user, workspace | How many<br>at once \\| in flight |');
    assert.equal(row(table, 'x.name'), '| `x.name` | string | empty | user, workspace, folder | A name |');
    assert.equal(
      row(table, 'x.mode'),
      '| `x.mode` | string: `"a"`, `"b"` | `a` | user only (per machine) | Mode **Deprecated:** Use x.name |',
    );
    assert.match(table, /"User only": `x\.url`, `x\.mode` are read from your user settings alone/);
  });

  it('rewrites only the text between the markers, and refuses a README without them', () => {
    const before =
      'intro\n<!-- commands:start -->\nold\n<!-- commands:end -->\nmiddle\r\n<!-- settings:start --><!-- settings:end -->\nend\n';
    const after = renderReadme(before, manifest, nls);
    assert.ok(after.startsWith('intro\n<!-- commands:start -->\n'));
    assert.ok(after.includes('<!-- commands:end -->\nmiddle\n<!-- settings:start -->'));
    assert.ok(after.endsWith('<!-- settings:end -->\nend\n'));
    assert.doesNotMatch(after, /\bold\b/);
    assert.equal(sectionOf(after, 'commands'), commandsTable(manifest, nls));
    assert.equal(sectionOf(after, 'settings'), settingsTable(manifest, nls));
    assert.throws(() => renderReadme('no markers', manifest, nls), /<!-- commands:start -->/);
  });
});

describe('README on remote windows', () => {
  const { manifest, readme } = readProject();

  it('declares where the extension runs, and the README says what that means', () => {
    assert.deepEqual((manifest as { extensionKind?: unknown }).extensionKind, ['workspace']);
    const section = readme.split('\n## Remote windows\n')[1]?.split('\n## ')[0] ?? '';
    for (const topic of ['Remote-SSH', 'secret storage', 'Sent history', 'prolific.apiBaseUrl'])
      assert.ok(section.includes(topic), `the Remote windows section covers ${topic}`);
  });
});
