// The look of the extension follows VS Code's: a monochrome activity-bar icon, codicons that
// exist, and only theme colours in the pages, so dark, light and high-contrast themes all work.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { renderComposeHtml } from '../../src/webviews/compose/html';
import { renderConversationHtml } from '../../src/webviews/conversation/html';

const ROOT = join(__dirname, '..', '..', '..'); // out/test/repo → repository root
const read = (...path: string[]) => readFileSync(join(ROOT, ...path), 'utf8');
const CODICONS = join(ROOT, 'node_modules', '@vscode', 'codicons', 'src', 'icons');

describe('the activity-bar icon', () => {
  const pkg = JSON.parse(read('package.json'));
  const iconPath: string = pkg.contributes.viewsContainers.activitybar[0].icon;
  const svg = read(iconPath);

  it('is an SVG on the 24×24 grid of activity-bar icons', () => {
    assert.match(iconPath, /\.svg$/);
    assert.match(svg, /<svg\b[^>]*\bviewBox="0 0 24 24"/);
    assert.match(svg, /<svg\b[^>]*\bwidth="24"[^>]*\bheight="24"/);
  });

  it('is monochrome: VS Code masks it and paints it in the theme colour', () => {
    // Every paint is currentColor or none; nothing that brings its own colour or shades.
    const paints = [...svg.matchAll(/\b(fill|stroke|stop-color|color)="([^"]*)"/g)].map((m) => m[2]);
    assert.ok(paints.length > 0, 'the icon says how it is painted');
    for (const paint of paints) assert.match(paint!, /^(currentColor|none)$/, `paint ${paint}`);
    assert.doesNotMatch(
      svg,
      /<(style|linearGradient|radialGradient|image|pattern|filter|mask)\b/,
      'no style sheet, gradient, bitmap, pattern, filter or mask',
    );
    assert.doesNotMatch(svg, /\bstyle="/, 'no inline style');
    assert.doesNotMatch(svg, /\b(opacity|fill-opacity|stroke-opacity)=/, 'no partial opacity: a mask would turn it into a second shade');
    assert.doesNotMatch(svg, /#[0-9a-f]{3,8}\b|rgba?\(|hsla?\(/i, 'no colour value anywhere');
  });
});

describe('codicons', () => {
  const pkg = JSON.parse(read('package.json'));

  it('every $(icon) in package.json is a codicon', () => {
    const names = [...JSON.stringify(pkg.contributes).matchAll(/\$\(([\w-]+)\)/g)].map((m) => m[1]!);
    assert.ok(names.length >= 5);
    for (const name of names) assert.ok(existsSync(join(CODICONS, `${name}.svg`)), `$(${name}) is a codicon`);
  });

  it('every action in a view title or on a view item has an icon', () => {
    const commands = new Map<string, { icon?: string }>(pkg.contributes.commands.map((c: { command: string }) => [c.command, c]));
    const menus = [...pkg.contributes.menus['view/title'], ...pkg.contributes.menus['view/item/context']] as Array<{
      command: string;
      group?: string;
    }>;
    for (const views of ['prolific.compose', 'prolific.inbox', 'prolific.sent']) {
      assert.ok(
        menus.some((m) => JSON.stringify(m).includes(views)),
        `${views} has actions`,
      );
    }
    for (const item of menus) assert.match(commands.get(item.command)?.icon ?? '', /^\$\([\w-]+\)$/, `${item.command} has a codicon`);
  });

  it("the pages' style sheets draw only codicons the build can copy", () => {
    const icons = readdirSync(join(ROOT, 'media'))
      .filter((f) => f.endsWith('.css'))
      .flatMap((f) => [...read('media', f).matchAll(/(@import\s+)?url\(([^)]*)\)/g)].filter((m) => !m[1]).map((m) => m[2]!)); // @import: a sheet of ours
    assert.ok(icons.length >= 4, 'the buttons have icons');
    for (const url of icons) {
      const m = /^\.\.\/dist\/codicons\/([\w-]+)\.svg$/.exec(url);
      assert.ok(m, `${url} is a codicon copied by the build`);
      assert.ok(existsSync(join(CODICONS, `${m[1]}.svg`)), `${m[1]} is a codicon`);
    }
  });
});

/** The CSS without comments. */
const uncommented = (css: string) => css.replace(/\/\*[\s\S]*?\*\//g, '');

/** Each `property: value` of a style sheet. */
function declarations(css: string): Array<[string, string]> {
  return [...uncommented(css).matchAll(/([\w-]+)\s*:\s*([^;{}]+);/g)].map((m) => [m[1]!.toLowerCase(), m[2]!.trim()]);
}

/** The parts of a colour-bearing value that are neither a theme variable nor a keyword or size. */
function nonThemeColours(value: string): string[] {
  const tokens = value.match(/var\(|--[\w-]+|[#\w.%-]+|[(),/]/g) ?? [];
  const allowed =
    /^(var\(|--vscode-[\w-]+|[(),/]|transparent|currentcolor|inherit|initial|unset|none|solid|dashed|dotted|double|inset|-?[\d.]+(px|em|rem|%)?)$/i;
  return tokens.filter((t) => !allowed.test(t));
}

const COLOUR_PROPERTY =
  /^(color|background(-color)?|border(-(top|right|bottom|left))?(-color)?|outline(-color)?|box-shadow|text-shadow|caret-color|accent-color|fill|stroke|text-decoration(-color)?|column-rule(-color)?)$/;

describe('theme colours only', () => {
  const sheets = readdirSync(join(ROOT, 'media')).filter((f) => f.endsWith('.css'));

  it("finds the pages' style sheets", () => {
    assert.deepEqual(sheets.sort(), ['base.css', 'compose.css', 'conversation.css']);
  });

  it('no sheet @imports another: the pages link each, so they load at once (see pageHead)', () => {
    for (const sheet of sheets) assert.doesNotMatch(uncommented(read('media', sheet)), /@import/, sheet);
  });

  for (const sheet of sheets) {
    it(`${sheet}: every colour is a --vscode-* variable (or transparent/currentColor/inherit)`, () => {
      const css = read('media', sheet);
      const coloured = declarations(css).filter(([p]) => COLOUR_PROPERTY.test(p));
      assert.ok(coloured.length > 5, 'the sheet sets colours');
      for (const [property, value] of coloured) assert.deepEqual(nonThemeColours(value), [], `${sheet}: ${property}: ${value}`);
      // A colour can also hide in a custom property or any other declaration.
      assert.doesNotMatch(
        uncommented(css),
        /#[0-9a-f]{3,8}\b|\b(rgba?|hsla?|hwb|lab|lch|oklab|oklch|color)\(/i,
        `${sheet} has no colour literal`,
      );
      // Only VS Code's variables: one of our own could hold anything.
      for (const m of uncommented(css).matchAll(/--[\w-]+/g)) assert.match(m[0], /^--vscode-/, `${sheet}: ${m[0]}`);
    });
  }

  it('the checker itself catches hard-coded colours', () => {
    assert.deepEqual(nonThemeColours('1px solid var(--vscode-input-border, transparent)'), []);
    assert.deepEqual(nonThemeColours('var(--vscode-foo, #fff)'), ['#fff']);
    assert.deepEqual(nonThemeColours('1px solid red'), ['red']);
    assert.deepEqual(nonThemeColours('rgb(0, 0, 0)'), ['rgb']);
    assert.deepEqual(nonThemeColours('var(--my-colour)'), ['--my-colour']);
  });

  it('the pages have no inline styles (their CSP forbids them; colours come from the sheets)', () => {
    const common = {
      cspSource: 'https://x.test',
      nonce: '0123456789abcdef0123456789abcdef',
      scriptUri: 'https://x.test/s.js',
      styleUri: 'https://x.test/s.css',
    };
    for (const html of [
      renderComposeHtml({ ...common, mode: 'panel' }),
      renderComposeHtml({ ...common, mode: 'view' }),
      renderConversationHtml({ ...common, title: 'T' }),
    ]) {
      assert.doesNotMatch(html, /\sstyle=|<style\b/i);
      assert.match(html, /style-src https:\/\/x\.test;/, 'no unsafe-inline styles');
    }
    const scripts = readdirSync(join(ROOT, 'src', 'webviews', 'apps'), { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.ts'),
    );
    assert.ok(scripts.length >= 5, `the pages' scripts: ${scripts.join(', ')}`);
    for (const script of scripts) {
      const source = read('src', 'webviews', 'apps', script);
      assert.doesNotMatch(source, /\.style\.|setProperty\(|cssText/, `${script} sets no style from script`);
    }
  });
});
