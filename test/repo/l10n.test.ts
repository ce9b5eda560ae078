import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { renderComposeHtml } from '../../src/webviews/compose/html';
import { activeL10nBundle, configureL10n, l10n, type L10nBundle } from '../../src/shared/l10n';
import { renderConversationHtml } from '../../src/webviews/conversation/html';

const ROOT = resolve(__dirname, '..', '..', '..'); // out/test/repo → repository root
const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as Record<string, unknown>;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.ts$/.test(name) ? [path] : [];
  });
}

/** The first argument of every `l10n.t(` / `vscode.l10n.t(` call in src/, or why it is not a plain string. */
function calledMessages(): { messages: Set<string>; notLiteral: string[] } {
  const messages = new Set<string>();
  const notLiteral: string[] = [];
  for (const file of sources(join(ROOT, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const call of text.matchAll(/\bl10n\.t\(\s*/g)) {
      const rest = text.slice((call.index ?? 0) + call[0].length);
      const literal = /^(['"])((?:\\.|(?!\1)[^\\\n])*)\1\s*[,)]/.exec(rest);
      if (literal) messages.add(JSON.parse(`"${literal[2]!.replace(/\\'/g, "'").replace(/(?<!\\)"/g, '\\"')}"`) as string);
      else notLiteral.push(`${file.slice(ROOT.length + 1)}: l10n.t(${rest.slice(0, 50)}`);
    }
  }
  return { messages, notLiteral };
}

describe('localization', function () {
  this.timeout(60_000);

  it('the committed bundle and pseudo-locale files are what `npm run l10n` makes from the current sources', () => {
    const out = mkdtempSync(join(tmpdir(), 'l10n-'));
    try {
      const run = spawnSync(process.execPath, [join(ROOT, 'test', 'tools', 'l10n-export.mjs'), '--out', out], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      assert.equal(run.status, 0, run.stderr);
      const pages = readdirSync(join(ROOT, 'media', 'walkthrough')).filter((name) => name.endsWith('.md') && !name.includes('.nls.'));
      assert.ok(pages.length > 0, 'the walkthrough has pages');
      const pseudoPages = pages.map((name) => `media/walkthrough/${name.replace(/\.md$/, '.nls.qps-ploc.md')}`);
      for (const file of ['l10n/bundle.l10n.json', 'l10n/bundle.l10n.qps-ploc.json', 'package.nls.qps-ploc.json', ...pseudoPages]) {
        assert.equal(readFileSync(join(ROOT, file), 'utf8'), readFileSync(join(out, file), 'utf8'), `${file} is stale: run npm run l10n`);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('the English bundle holds exactly the strings of the l10n.t calls, each written as a plain string', () => {
    const { messages, notLiteral } = calledMessages();
    assert.deepEqual(notLiteral, [], 'l10n.t takes a string literal (the exporter cannot read anything else)');
    const bundle = Object.keys(readJson('l10n/bundle.l10n.json'));
    assert.deepEqual(
      [...messages].filter((m) => !bundle.includes(m)),
      [],
      'missing from l10n/bundle.l10n.json',
    );
    assert.deepEqual(
      bundle.filter((m) => !messages.has(m)),
      [],
      'unused in l10n/bundle.l10n.json',
    );
    assert.ok(bundle.length > 300, `only ${bundle.length} strings`);
  });

  it('package.nls.json holds exactly the %keys% of package.json, and every contributed title is one', () => {
    const manifest = readFileSync(join(ROOT, 'package.json'), 'utf8');
    const used = new Set([...manifest.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]!));
    const nls = Object.keys(readJson('package.nls.json'));
    assert.deepEqual(
      [...used].filter((k) => !nls.includes(k)),
      [],
      'missing from package.nls.json',
    );
    assert.deepEqual(
      nls.filter((k) => !used.has(k)),
      [],
      'unused in package.nls.json',
    );
    const pkg = JSON.parse(manifest) as { l10n: string; contributes: Record<string, unknown> };
    assert.equal(pkg.l10n, './l10n');
    // Every user-facing field of the contributions goes through a key.
    const plain: string[] = [];
    const visit = (value: unknown, key: string): void => {
      if (typeof value === 'string') {
        if (
          ['title', 'category', 'name', 'description', 'markdownDescription', 'patternErrorMessage', 'contents'].includes(key) &&
          !/^%[^%]+%$/.test(value)
        )
          plain.push(`${key}: ${value}`);
      } else if (Array.isArray(value)) value.forEach((v) => visit(v, key));
      else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, k);
    };
    visit(pkg.contributes, '');
    assert.deepEqual(plain, []);
  });

  it('the pseudo-locale translates every string and keeps the placeholders and command links', () => {
    for (const [english, pseudo] of [
      ['l10n/bundle.l10n.json', 'l10n/bundle.l10n.qps-ploc.json'],
      ['package.nls.json', 'package.nls.qps-ploc.json'],
    ] as const) {
      const en = readJson(english);
      const ps = readJson(pseudo);
      assert.deepEqual(Object.keys(ps), Object.keys(en));
      for (const [key, text] of Object.entries(en)) {
        const translated = String(ps[key]);
        if (/[A-Za-z]/.test(String(text).replace(/\{\d+\}/g, ''))) assert.notEqual(translated, text, key);
        const marks = (s: string) => [...s.matchAll(/\{\d+\}|\(command:[^)]*\)|\$\([a-z-]+\)/g)].map((m) => m[0]);
        assert.deepEqual(marks(translated), marks(String(text)), key);
      }
    }
  });

  describe('l10n.t (the vscode-free translator)', () => {
    afterEach(() => configureL10n(undefined));

    it('is English with the arguments in place when no bundle is loaded', () => {
      assert.equal(l10n.t('Message sent to {0}.', 'abc'), 'Message sent to abc.');
      assert.equal(l10n.t('{1} before {0}, {2} kept', 'a', 7), '7 before a, {2} kept');
    });

    it('uses the loaded bundle, also for entries with a comment, and English for missing keys', () => {
      configureL10n({ 'Hello {0}': 'Bonjour {0}', Bye: { message: 'Au revoir', comment: ['farewell'] } }, 'fr');
      assert.equal(l10n.t('Hello {0}', 'Ann'), 'Bonjour Ann');
      assert.equal(l10n.t('Bye'), 'Au revoir');
      assert.equal(l10n.t('Not translated'), 'Not translated');
      assert.equal(l10n.t('constructor'), 'constructor', 'only own keys of the bundle count');
    });
  });

  describe('the pages in the pseudo-locale', () => {
    const pseudo = readJson('l10n/bundle.l10n.qps-ploc.json') as L10nBundle;
    afterEach(() => configureL10n(undefined));
    const common = {
      cspSource: 'https://x.example',
      nonce: 'abcdef0123456789abcdef0123456789',
      scriptUri: 'https://x.example/s.js',
      styleUri: 'https://x.example/s.css',
    };

    /** Text a person sees or hears: element text, and the placeholder, title and aria-label attributes. */
    function visibleWords(html: string): string[] {
      const withoutData = html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '');
      const attributes = [...withoutData.matchAll(/\b(?:placeholder|title|aria-label)="([^"]*)"/g)].map((m) => m[1]!);
      const text = withoutData.replace(/<[^>]*>/g, ' ');
      // Pseudo-localized words have no plain ASCII letters; what is left is English. Entities and
      // the {{column}} syntax the user types are not words.
      const words = [...attributes, text]
        .join(' ')
        .replace(/&#?\w+;/g, ' ')
        .replace(/\{\{\w+\}\}/g, ' ');
      return words.match(/[A-Za-z]{2,}/g) ?? [];
    }

    it('the compose page shows no English word, lang is the BCP 47 tag of the display language, and the script gets the bundle', () => {
      configureL10n(pseudo, 'qps-ploc');
      const html = renderComposeHtml({ ...common, mode: 'view' });
      assert.deepEqual(visibleWords(html), []);
      assert.match(html, /<html lang="en-XA">/); // qps-ploc is not BCP 47; en-XA is pseudo-English
      const data = /<script type="application\/json" id="l10n-bundle">([\s\S]*?)<\/script>/.exec(html);
      assert.ok(data, 'the bundle for the page script');
      assert.deepEqual(JSON.parse(data[1]!), activeL10nBundle());
    });

    it('the conversation page shows no English word', () => {
      configureL10n(pseudo, 'qps-ploc');
      const html = renderConversationHtml({ ...common, title: '5f3a0000000000000000abcd' });
      assert.deepEqual(
        visibleWords(html).filter((w) => !/^[0-9a-f]+$/.test(w)),
        [],
      );
    });

    it('a translation cannot close the data element or add markup', () => {
      configureL10n({ Send: '</script><script>alert(1)</script>' }, 'xx');
      const html = renderComposeHtml({ ...common, mode: 'panel' });
      assert.equal(html.match(/<script\b/g)?.length, 2, 'the data block and the page script only');
      assert.doesNotMatch(html, /alert\(1\)<\/script>/);
    });

    it('in English the page carries no bundle', () => {
      const html = renderComposeHtml({ ...common, mode: 'panel' });
      assert.doesNotMatch(html, /l10n-bundle/);
      assert.match(html, /<html lang="en">/);
    });
  });
});
