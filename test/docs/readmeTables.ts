// The README's commands and settings tables, generated from package.json so they cannot drift
// from what the extension contributes. Pure: the caller reads and writes the files
// (test/docs/writeReadme.ts for `npm run docs`, test/repo/readme.test.ts to check the README).
// package.json strings may be "%key%" references; they are resolved from package.nls.json the
// way VS Code does (only a whole-string reference is replaced).

/** package.nls.json: a key's English text, or VS Code's { message, comment } form. */
export type Nls = Record<string, string | { message: string }>;

interface Command {
  command: string;
  title: string;
  category?: string;
}

interface MenuItem {
  command?: string;
  when?: string;
  group?: string;
}

interface Keybinding {
  command: string;
  key?: string;
  mac?: string;
}

interface View {
  id: string;
  name: string;
}

export interface Setting {
  type?: string | string[];
  default?: unknown;
  scope?: string;
  description?: string;
  markdownDescription?: string;
  deprecationMessage?: string;
  markdownDeprecationMessage?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
}

interface Configuration {
  properties?: Record<string, Setting>;
}

export interface Manifest {
  contributes?: {
    commands?: Command[];
    menus?: Record<string, MenuItem[]>;
    keybindings?: Keybinding | Keybinding[];
    views?: Record<string, View[]>;
    configuration?: Configuration | Configuration[];
  };
}

export type SectionName = 'commands' | 'settings';
export const SECTIONS: readonly SectionName[] = ['commands', 'settings'];

const NOTICE = '<!-- Generated from package.json by `npm run docs`: edit package.json (or package.nls.json), not this table. -->';

/** A package.json string with a "%key%" reference replaced by its text from package.nls.json. */
export function localize(value: string, nls: Nls | undefined): string {
  const key = /^%([^%\s]+)%$/.exec(value)?.[1];
  if (key === undefined) return value;
  const entry = nls && Object.hasOwn(nls, key) ? nls[key] : undefined;
  if (entry === undefined) throw new Error(`package.json refers to "%${key}%", which package.nls.json does not define.`);
  return typeof entry === 'string' ? entry : entry.message;
}

/** Text safe inside a Markdown table cell: pipes escaped, line breaks as <br>. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

function code(text: string): string {
  return `\`${text}\``;
}

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** "ctrl+alt+m" → "Ctrl+Alt+M"; a chord "ctrl+k ctrl+m" keeps its space. */
export function formatKey(key: string): string {
  const names: Record<string, string> = { ctrl: 'Ctrl', alt: 'Alt', shift: 'Shift', cmd: 'Cmd', meta: 'Meta', win: 'Win', option: 'Option' };
  return key
    .trim()
    .split(/\s+/)
    .map((chord) => chord.split('+').map((part) => names[part.toLowerCase()] ?? part.charAt(0).toUpperCase() + part.slice(1)).join('+'))
    .join(' ');
}

function keybindingsOf(manifest: Manifest, command: string): string[] {
  const all = manifest.contributes?.keybindings;
  const list = Array.isArray(all) ? all : all ? [all] : [];
  return list
    .filter((k) => k.command === command && (k.key || k.mac))
    .map((k) => {
      const key = k.key ? formatKey(k.key) : undefined;
      const mac = k.mac ? formatKey(k.mac) : undefined;
      if (key && mac && mac !== key) return `${code(key)} (macOS ${code(mac)})`;
      return key ? code(key) : `macOS ${code(mac ?? '')}`;
    });
}

/** The view a `view == id` condition names, by its displayed name. */
function viewNameIn(when: string | undefined, manifest: Manifest, nls: Nls | undefined): string | undefined {
  const id = when ? /\bview\s*==\s*'?([\w.-]+)'?/.exec(when)?.[1] : undefined;
  if (!id) return undefined;
  const view = Object.values(manifest.contributes?.views ?? {})
    .flat()
    .find((v) => v.id === id);
  return view ? localize(view.name, nls) : id;
}

/** Where a menu entry shows the command, in the words a user sees, with a detail such as "button". */
function placeOf(menu: string, item: MenuItem, manifest: Manifest, nls: Nls | undefined): { place: string; detail?: string } {
  const inline = item.group === 'inline' || item.group?.startsWith('inline@');
  const navigation = item.group === 'navigation' || item.group?.startsWith('navigation@');
  const view = viewNameIn(item.when, manifest, nls) ?? 'a';
  switch (menu) {
    case 'editor/context':
      return { place: 'editor context menu' };
    case 'editor/title':
      return { place: 'editor title bar' };
    case 'editor/title/context':
      return { place: 'editor tab context menu' };
    case 'explorer/context':
      return { place: 'Explorer context menu' };
    case 'view/title':
      return { place: `${view} view title bar`, detail: navigation ? 'button' : '… menu' };
    case 'view/item/context':
      return { place: `${view} view items`, detail: inline ? 'button' : 'context menu' };
    default:
      return { place: `${code(menu)} menu` };
  }
}

/** "Command Palette, Sent view items (button, context menu)": one entry per place, its details merged. */
function placesOf(command: string, manifest: Manifest, nls: Nls | undefined): string[] {
  const menus = manifest.contributes?.menus ?? {};
  const hiddenFromPalette = (menus.commandPalette ?? []).some((m) => m.command === command && m.when?.trim() === 'false');
  const places = new Map<string, Set<string>>(hiddenFromPalette ? [] : [['Command Palette', new Set()]]);
  for (const [menu, items] of Object.entries(menus)) {
    if (menu === 'commandPalette') continue;
    for (const item of items.filter((i) => i.command === command)) {
      const { place, detail } = placeOf(menu, item, manifest, nls);
      const details = places.get(place) ?? new Set<string>();
      if (detail) details.add(detail);
      places.set(place, details);
    }
  }
  return [...places].map(([place, details]) => (details.size ? `${place} (${[...details].join(', ')})` : place));
}

export function commandsTable(manifest: Manifest, nls?: Nls): string {
  const rows = (manifest.contributes?.commands ?? []).map((c) => {
    const title = localize(c.title, nls);
    const full = c.category ? `${localize(c.category, nls)}: ${title}` : title;
    const keys = keybindingsOf(manifest, c.command);
    const places = placesOf(c.command, manifest, nls);
    return [`**${cell(full)}**`, code(c.command), keys.length ? keys.join(', ') : '—', places.length ? cell(places.join(', ')) : 'not in menus (run from the views)'];
  });
  return table(['Command', 'ID', 'Shortcut', 'Where'], rows);
}

const SCOPES: Record<string, string> = {
  application: 'user only',
  machine: 'user only (per machine)',
  'machine-overridable': 'user, workspace',
  window: 'user, workspace',
  resource: 'user, workspace, folder',
  'language-overridable': 'user, workspace, folder, language',
};

function typeOf(setting: Setting): string {
  const type = Array.isArray(setting.type) ? setting.type.join(' or ') : (setting.type ?? 'any');
  if (setting.enum) return `${type}: ${setting.enum.map((v) => code(JSON.stringify(v))).join(', ')}`;
  const { minimum: min, maximum: max } = setting;
  if (min !== undefined && max !== undefined) return `${type}, ${min}–${max}`;
  if (min !== undefined) return `${type}, ≥ ${min}`;
  if (max !== undefined) return `${type}, ≤ ${max}`;
  return type;
}

function defaultOf(setting: Setting): string {
  if (setting.default === undefined) return '—';
  if (setting.default === '') return 'empty';
  return code(typeof setting.default === 'string' ? setting.default : JSON.stringify(setting.default));
}

function descriptionOf(setting: Setting, nls: Nls | undefined): string {
  const text = setting.markdownDescription ?? setting.description;
  const deprecated = setting.markdownDeprecationMessage ?? setting.deprecationMessage;
  const parts = [text ? localize(text, nls) : '', deprecated ? `**Deprecated:** ${localize(deprecated, nls)}` : ''];
  return cell(parts.filter(Boolean).join(' '));
}

export function settingsTable(manifest: Manifest, nls?: Nls): string {
  const configuration = manifest.contributes?.configuration;
  const groups = Array.isArray(configuration) ? configuration : configuration ? [configuration] : [];
  const settings = groups.flatMap((g) => Object.entries(g.properties ?? {}));
  const rows = settings.map(([key, s]) => [code(key), cell(typeOf(s)), defaultOf(s), SCOPES[s.scope ?? 'window'] ?? cell(s.scope ?? ''), descriptionOf(s, nls)]);
  const userOnly = settings.filter(([, s]) => s.scope === 'application' || s.scope === 'machine').map(([key]) => code(key));
  const note = userOnly.length
    ? `\n\n"User only": ${userOnly.join(', ')} ${userOnly.length === 1 ? 'is' : 'are'} read from your user settings alone; a workspace's \`.vscode/settings.json\` cannot change ${userOnly.length === 1 ? 'it' : 'them'}.`
    : '';
  return table(['Setting', 'Type', 'Default', 'Where it can be set', 'Description'], rows) + note;
}

export function generate(name: SectionName, manifest: Manifest, nls?: Nls): string {
  return name === 'commands' ? commandsTable(manifest, nls) : settingsTable(manifest, nls);
}

function markers(name: SectionName): { start: string; end: string } {
  return { start: `<!-- ${name}:start -->`, end: `<!-- ${name}:end -->` };
}

/** The generated text between a section's markers (without the notice), or undefined if the markers are missing. */
export function sectionOf(readme: string, name: SectionName): string | undefined {
  const { start, end } = markers(name);
  const from = readme.indexOf(start);
  const to = readme.indexOf(end, from);
  if (from < 0 || to < 0) return undefined;
  return readme
    .slice(from + start.length, to)
    .replace(/\r\n/g, '\n')
    .replace(NOTICE, '')
    .trim();
}

/** The README with every section between its markers replaced by what package.json says now. */
export function renderReadme(readme: string, manifest: Manifest, nls?: Nls): string {
  let text = readme.replace(/\r\n/g, '\n');
  for (const name of SECTIONS) {
    const { start, end } = markers(name);
    const from = text.indexOf(start);
    const to = text.indexOf(end, from);
    if (from < 0 || to < 0) throw new Error(`README.md has no "${start}" … "${end}" markers for the ${name} table.`);
    text = `${text.slice(0, from + start.length)}\n${NOTICE}\n\n${generate(name, manifest, nls)}\n\n${text.slice(to)}`;
  }
  return text;
}
