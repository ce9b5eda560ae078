// Translation for the code that must not import `vscode`: the API client, the pure core, the
// pages' HTML and the page scripts. `l10n.t` has the signature of `vscode.l10n.t`, so one
// extractor (`npm run l10n`) finds the strings of both into l10n/bundle.l10n.json.
// The host hands over VS Code's loaded bundle at activation (`vscode.l10n.bundle`) and to each
// page; without one (English, plain Node tests) every message is its English text.

/** A loaded bundle: English message (or "message/comment") → translation. */
export type L10nBundle = Record<string, string | { message: string; comment?: string[] }>;
export type L10nArg = string | number | boolean;

let contents: L10nBundle | undefined;
let language = 'en';

/** @param lang VS Code's display language (`vscode.env.language`), for the pages' `lang`. */
export function configureL10n(bundle: L10nBundle | undefined, lang = 'en'): void {
  contents = bundle;
  language = lang;
}

/** The display language given to configureL10n, e.g. "en", "de", "qps-ploc". */
export function l10nLanguage(): string {
  return language;
}

/** The bundle in use, to pass on to a page; undefined in English. */
export function activeL10nBundle(): L10nBundle | undefined {
  return contents;
}

export const l10n = {
  /** `message` translated, with {0}, {1}… replaced by `args` (as `vscode.l10n.t` does). */
  t(message: string, ...args: L10nArg[]): string {
    const entry = contents && Object.prototype.hasOwnProperty.call(contents, message) ? contents[message] : undefined;
    const text = typeof entry === 'string' ? entry : (entry?.message ?? message);
    return args.length === 0
      ? text
      : text.replace(/\{(\d+)\}/g, (match, index: string) => (Number(index) < args.length ? String(args[Number(index)]) : match));
  },
};
