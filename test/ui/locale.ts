// The UI tests' view of the extension's strings in the display language the workbench runs in:
// PROLIFIC_UI_LOCALE (default en; qps-ploc is the pseudo-locale that `npm run l10n` writes).
// Tests name our strings in English and `t` gives what the user sees; VS Code's own strings
// (e.g. "View: Close All Editors", "OK") are not ours and stay as written.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../harness/vscodeServer';

export const UI_LOCALE = process.env.PROLIFIC_UI_LOCALE || 'en';

type Strings = Record<string, string | { message: string }>;
const readStrings = (path: string): Strings => JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as Strings;
const text = (value: Strings[string] | undefined): string | undefined => (typeof value === 'object' ? value.message : value);

function load() {
  if (UI_LOCALE === 'en') return undefined;
  const files = [`l10n/bundle.l10n.${UI_LOCALE}.json`, `package.nls.${UI_LOCALE}.json`];
  for (const f of files)
    if (!existsSync(join(ROOT, f))) throw new Error(`PROLIFIC_UI_LOCALE=${UI_LOCALE}: ${f} is missing (npm run l10n writes qps-ploc)`);
  // package.nls.json is keyed by name; tests name a contributed string by its English text.
  const nlsEnglish = readStrings('package.nls.json');
  const nlsLocal = readStrings(files[1]!);
  const nls = new Map(Object.entries(nlsEnglish).map(([key, english]) => [text(english) ?? '', text(nlsLocal[key]) ?? '']));
  return { bundle: readStrings(files[0]!), nls };
}
const strings = load();

function lookup(english: string): string | undefined {
  if (!strings) return english;
  const own = Object.prototype.hasOwnProperty.call(strings.bundle, english) ? text(strings.bundle[english]) : undefined;
  return own ?? strings.nls.get(english);
}

/**
 * One of the extension's strings (an l10n.t message or a package.json string such as a command
 * title) in the active locale, with {0}, {1}… replaced by `args`. "Category: Title" (a command
 * as the palette lists it) is translated part by part. An unknown string is a mistake in the test.
 */
export function t(english: string, ...args: (string | number)[]): string {
  let found = lookup(english);
  const [category, title] = english.split(/: (.*)/s);
  if (found === undefined && title !== undefined) {
    const [c, tt] = [lookup(category!), lookup(title)];
    if (c !== undefined && tt !== undefined) found = `${c}: ${tt}`;
  }
  if (found === undefined) throw new Error(`"${english}" is not one of the extension's strings in ${UI_LOCALE}`);
  return found.replace(/\{(\d+)\}/g, (m, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : m));
}

/**
 * A pattern for a localized message: `t(english)` with the given arguments in place (a RegExp
 * argument as a pattern, so patterns nest) and any other {n} matching anything. For
 * notifications whose details the test does not fix.
 */
export function tPattern(english: string, ...args: (string | number | RegExp)[]): RegExp {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const arg = (i: number) => {
    const value = args[i];
    return value === undefined ? '.*?' : value instanceof RegExp ? value.source : escape(String(value));
  };
  return new RegExp(
    t(english)
      .split(/(\{\d+\})/)
      .map((part) => (/^\{\d+\}$/.test(part) ? arg(Number(part.slice(1, -1))) : escape(part)))
      .join(''),
  );
}

/** The palette title VS Code gives a view's Focus command, e.g. "Prolific: Focus on Compose View". */
export function focusViewCommand(view: string): string {
  return `${t('Prolific')}: Focus on ${t(view)} View`;
}
