// The audience file (`*.audience.json`): who to message, written down. Its format and the one
// parser every other part trusts: what it returns is checked to the last field, and what it
// refuses is named by its place in the file ("include[1].statuses[0]"). Pure: no vscode, so it is
// unit- and property-tested (test/unit/audienceFormat.test.ts). audienceSchema.ts describes the
// same format to VS Code's JSON editor.
import { isRecord } from '../../shared/guards';
import { l10n } from '../../shared/l10n';
import { isParticipantId } from '../../shared/recipients/participantIds';

/** Submission statuses as Prolific returns them (docs/prolific-api/related.md § 4). */
export const SUBMISSION_STATUSES = [
  'ACTIVE',
  'APPROVED',
  'AWAITING REVIEW',
  'PARTIALLY APPROVED',
  'REJECTED',
  'RESERVED',
  'RETURNED',
  'SCREENED OUT',
  'TIMED-OUT',
] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];

/** The underscore form (Prolific's filter parameters) of each status that has one: "AWAITING_REVIEW". */
export const UNDERSCORE_STATUSES: readonly string[] = SUBMISSION_STATUSES.filter((s) => /[ -]/.test(s)).map((s) => s.replace(/[ -]/g, '_'));

/** The longest "within" accepted: Prolific serves the last 30 days of messages. */
export const MAX_WITHIN_DAYS = 30;
const WITHIN = /^([1-9]\d{0,3})([hdw])$/;
const UNIT_MS = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;

interface SourceBase {
  /** Free text for the reader ("Those who returned wave 1"); shown in the preview. */
  note?: string;
}

/** One of `include` or `exclude`: where participants come from. */
export type SourceSpec =
  /** A study's submissions, given by ID or by name; `statuses` absent: every status. */
  | (SourceBase & { kind: 'study'; study: string; statuses?: SubmissionStatus[] })
  /** A participant group, given by ID or by name. */
  | (SourceBase & { kind: 'group'; group: string })
  /** IDs written in the file, lower-cased. */
  | (SourceBase & { kind: 'ids'; ids: string[] })
  /** A file of the workspace: a CSV/TSV column (named, or detected), or every ID in any other file. */
  | (SourceBase & { kind: 'file'; file: string; column?: string })
  /** Those the researcher messaged in the last `within` ("7d"). */
  | (SourceBase & { kind: 'messaged'; within: string; withinMs: number });

export type SourceKind = SourceSpec['kind'];
export const SOURCE_KINDS: readonly SourceKind[] = ['study', 'group', 'ids', 'file', 'messaged'];

export interface AudienceSpec {
  description?: string;
  /** The study the message is about (the compose form's Study), by ID or name; absent: the first study in include. */
  messageStudy?: string;
  include: SourceSpec[];
  exclude: SourceSpec[];
}

export type Side = 'include' | 'exclude';

/** Where a source is in the file: include[0] is { side: 'include', index: 0 }. */
export interface SourceRef {
  side: Side;
  index: number;
}

/** Something wrong with the file, at `path` ("include[1].statuses[0]", or "" for the whole file). */
export interface FormatProblem {
  path: string;
  message: string;
}

export type ParsedAudience = { ok: true; spec: AudienceSpec } | { ok: false; problems: FormatProblem[] };

const TOP_KEYS = ['$schema', 'description', 'messageStudy', 'include', 'exclude'];
const EXTRA_KEYS: Record<SourceKind, readonly string[]> = {
  study: ['statuses'],
  group: [],
  ids: [],
  file: ['column'],
  messaged: [],
};

/** The file's text, checked. Every problem is reported, not only the first. */
export function parseAudience(text: string): ParsedAudience {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { ok: false, problems: [{ path: '', message: jsonSyntaxProblem(text, error) }] };
  }
  const problems = new Problems();
  if (!isRecord(json)) {
    problems.add('', l10n.t('An audience file holds one JSON object, with "include" and optionally "exclude".'));
    return { ok: false, problems: problems.list };
  }
  problems.unknownKeys('', json, TOP_KEYS);
  const description = optionalText(problems, json, 'description', '');
  const messageStudy = optionalText(problems, json, 'messageStudy', '');
  if (messageStudy !== undefined && !messageStudy.trim()) problems.add('messageStudy', l10n.t('Give a study ID or name, or leave it out.'));
  const include = sources(problems, json, 'include', true);
  const exclude = sources(problems, json, 'exclude', false);
  if (problems.list.length > 0) return { ok: false, problems: problems.list };
  return {
    ok: true,
    spec: {
      ...(description !== undefined ? { description } : {}),
      ...(messageStudy !== undefined ? { messageStudy: messageStudy.trim() } : {}),
      include,
      exclude,
    },
  };
}

/** A problem as one sentence: "include[1].statuses[0]: …". */
export function problemText(problem: FormatProblem): string {
  return problem.path ? l10n.t('{0}: {1}', problem.path, problem.message) : problem.message;
}

/** "7d" → milliseconds, or undefined when it is not a duration of at most MAX_WITHIN_DAYS. */
export function withinMs(within: string): number | undefined {
  const match = WITHIN.exec(within.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  return ms <= MAX_WITHIN_DAYS * UNIT_MS.d ? ms : undefined;
}

/** A status as written in a file ("AWAITING_REVIEW") or returned by Prolific, in Prolific's form; undefined if unknown. */
export function canonicalStatus(status: string): SubmissionStatus | undefined {
  const known = SUBMISSION_STATUSES.find((s) => s === status);
  if (known) return known;
  const index = UNDERSCORE_STATUSES.indexOf(status);
  return index < 0 ? undefined : SUBMISSION_STATUSES.filter((s) => /[ -]/.test(s))[index];
}

class Problems {
  readonly list: FormatProblem[] = [];

  add(path: string, message: string): void {
    this.list.push({ path, message });
  }

  unknownKeys(path: string, value: Record<string, unknown>, known: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) {
        this.add(
          path ? `${path}.${key}` : key,
          l10n.t('"{0}" is not a field of {1}; the fields are: {2}.', key, path || l10n.t('an audience file'), known.join(', ')),
        );
      }
    }
  }
}

function optionalText(problems: Problems, value: Record<string, unknown>, key: string, path: string): string | undefined {
  const field = value[key];
  if (field === undefined) return undefined;
  if (typeof field !== 'string') {
    problems.add(path ? `${path}.${key}` : key, l10n.t('Must be text (in double quotes).'));
    return undefined;
  }
  return field;
}

function sources(problems: Problems, json: Record<string, unknown>, side: Side, required: boolean): SourceSpec[] {
  const value = json[side];
  if (value === undefined) {
    if (required) problems.add(side, l10n.t('"include" is required: the list of sources whose participants are in the audience.'));
    return [];
  }
  if (!Array.isArray(value)) {
    problems.add(side, l10n.t('Must be a list of sources: [ { "study": "…" }, … ].'));
    return [];
  }
  if (required && value.length === 0) problems.add(side, l10n.t('Name at least one source of participants.'));
  const parsed: SourceSpec[] = [];
  value.forEach((item, index) => {
    const source = parseSource(problems, item, `${side}[${index}]`);
    if (source) parsed.push(source);
  });
  return parsed;
}

function parseSource(problems: Problems, item: unknown, path: string): SourceSpec | undefined {
  if (!isRecord(item)) {
    problems.add(
      path,
      l10n.t(
        'Must be an object such as { "study": "…" }, { "group": "…" }, { "ids": […] }, { "file": "…" } or { "messaged": { "within": "7d" } }.',
      ),
    );
    return undefined;
  }
  const kinds = SOURCE_KINDS.filter((k) => k in item);
  if (kinds.length !== 1) {
    problems.add(
      path,
      kinds.length === 0
        ? l10n.t('Name what the source is with one of: {0}.', SOURCE_KINDS.join(', '))
        : l10n.t('A source is one of {0}, not several: split it into one source each.', kinds.join(', ')),
    );
    return undefined;
  }
  const kind = kinds[0];
  problems.unknownKeys(path, item, [kind, 'note', ...EXTRA_KEYS[kind]]);
  const note = optionalText(problems, item, 'note', path);
  const base = note !== undefined ? { note } : {};
  const before = problems.list.length;
  const source = SOURCE_PARSERS[kind](problems, item, path);
  return source && problems.list.length === before ? { ...base, ...source } : undefined;
}

type Parser = (problems: Problems, item: Record<string, unknown>, path: string) => SourceSpec | undefined;

const SOURCE_PARSERS: Record<SourceKind, Parser> = {
  study(problems, item, path) {
    const study = reference(problems, item.study, `${path}.study`, l10n.t("a study ID (24 hexadecimal characters) or the study's name"));
    const statuses = item.statuses === undefined ? undefined : parseStatuses(problems, item.statuses, `${path}.statuses`);
    return study === undefined ? undefined : { kind: 'study', study, ...(statuses ? { statuses } : {}) };
  },
  group(problems, item, path) {
    const group = reference(problems, item.group, `${path}.group`, l10n.t("a participant group's ID or name"));
    return group === undefined ? undefined : { kind: 'group', group };
  },
  ids(problems, item, path) {
    if (!Array.isArray(item.ids)) {
      problems.add(`${path}.ids`, l10n.t('Must be a list of participant IDs: ["…", "…"].'));
      return undefined;
    }
    const ids: string[] = [];
    item.ids.forEach((id, i) => {
      if (typeof id === 'string' && isParticipantId(id.trim())) ids.push(id.trim().toLowerCase());
      else
        problems.add(
          `${path}.ids[${i}]`,
          l10n.t('{0} is not a participant ID (24 hexadecimal characters).', JSON.stringify(id) ?? String(id)),
        );
    });
    return { kind: 'ids', ids };
  },
  file(problems, item, path) {
    const file = typeof item.file === 'string' ? item.file.trim() : undefined;
    if (!file) {
      problems.add(`${path}.file`, l10n.t('Must be the path of a file in the workspace, such as "data/wave1.csv".'));
      return undefined;
    }
    const unsafe = workspacePathProblem(file);
    if (unsafe) problems.add(`${path}.file`, unsafe);
    const column = optionalText(problems, item, 'column', path);
    if (column !== undefined && !column.trim())
      problems.add(`${path}.column`, l10n.t('Give the header of the column, or leave "column" out.'));
    return unsafe ? undefined : { kind: 'file', file, ...(column !== undefined ? { column: column.trim() } : {}) };
  },
  messaged(problems, item, path) {
    const value = item.messaged;
    if (!isRecord(value) || typeof value.within !== 'string') {
      problems.add(`${path}.messaged`, l10n.t('Must say how far back to look, such as { "within": "7d" }.'));
      return undefined;
    }
    problems.unknownKeys(`${path}.messaged`, value, ['within']);
    const ms = withinMs(value.within);
    if (ms === undefined) {
      problems.add(
        `${path}.messaged.within`,
        l10n.t(
          '{0} is not a time such as "36h", "7d" or "2w", of at most {1} days (Prolific keeps {1} days of messages).',
          JSON.stringify(value.within),
          MAX_WITHIN_DAYS,
        ),
      );
      return undefined;
    }
    return { kind: 'messaged', within: value.within.trim(), withinMs: ms };
  },
};

function reference(problems: Problems, value: unknown, path: string, what: string): string | undefined {
  if (typeof value === 'string' && value.trim()) return value.trim();
  problems.add(path, l10n.t('Must be {0}.', what));
  return undefined;
}

function parseStatuses(problems: Problems, value: unknown, path: string): SubmissionStatus[] | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    problems.add(path, l10n.t('Must be a list of submission statuses, such as ["APPROVED"]; leave it out for every status.'));
    return undefined;
  }
  const statuses: SubmissionStatus[] = [];
  value.forEach((status, i) => {
    const known = typeof status === 'string' ? canonicalStatus(status.trim()) : undefined;
    if (known) {
      if (!statuses.includes(known)) statuses.push(known);
    } else {
      problems.add(
        `${path}[${i}]`,
        l10n.t(
          '{0} is not a submission status; the statuses are: {1}.',
          JSON.stringify(status) ?? String(status),
          SUBMISSION_STATUSES.join(', '),
        ),
      );
    }
  });
  return statuses;
}

/** Why a path may not be read, if it may not: it must stay inside the workspace folder. */
export function workspacePathProblem(path: string): string | undefined {
  if (/^([a-z]:)?[\\/]/i.test(path) || /^[a-z][\w+.-]*:/i.test(path))
    return l10n.t('Must be a path inside the workspace, relative to its folder (such as "data/wave1.csv"), not an absolute path.');
  if (path.split(/[\\/]/).includes('..')) return l10n.t('Must be a path inside the workspace: ".." is not allowed.');
  return undefined;
}

/** A JSON syntax error as a sentence with its line and column, in place of the engine's wording. */
function jsonSyntaxProblem(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const at = /position (\d+)/.exec(message);
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  let line: number | undefined;
  let column: number | undefined;
  if (lineColumn) [line, column] = [Number(lineColumn[1]), Number(lineColumn[2])];
  else if (at) {
    const before = text.slice(0, Number(at[1]));
    line = before.split('\n').length;
    column = before.length - before.lastIndexOf('\n');
  }
  if (!text.trim()) return l10n.t('The file is empty: an audience file holds one JSON object, with "include" and optionally "exclude".');
  return line === undefined
    ? l10n.t('The file is not valid JSON.')
    : l10n.t('The file is not valid JSON (line {0}, column {1}).', line, column ?? 1);
}

/** The file's text for an audience (what "New Audience…" writes): parseAudience reads it back as `spec`. */
export function formatAudience(spec: AudienceSpec): string {
  const file: Record<string, unknown> = {};
  if (spec.description !== undefined) file.description = spec.description;
  if (spec.messageStudy !== undefined) file.messageStudy = spec.messageStudy;
  file.include = spec.include.map(sourceJson);
  if (spec.exclude.length > 0) file.exclude = spec.exclude.map(sourceJson);
  return `${JSON.stringify(file, null, 2)}\n`;
}

function sourceJson(source: SourceSpec): Record<string, unknown> {
  const note = source.note !== undefined ? { note: source.note } : {};
  switch (source.kind) {
    case 'study':
      return { study: source.study, ...(source.statuses ? { statuses: source.statuses } : {}), ...note };
    case 'group':
      return { group: source.group, ...note };
    case 'ids':
      return { ids: source.ids, ...note };
    case 'file':
      return { file: source.file, ...(source.column !== undefined ? { column: source.column } : {}), ...note };
    case 'messaged':
      return { messaged: { within: source.within }, ...note };
  }
}

/** What "New Audience…" asks for: studies and statuses to include and to leave out (no statuses: every status). */
export interface NewAudienceChoices {
  include: { id: string; name: string }[];
  includeStatuses: readonly SubmissionStatus[];
  exclude: { id: string; name: string }[];
  excludeStatuses: readonly SubmissionStatus[];
  /** Also leave out those messaged in this time ("7d"). */
  messagedWithin?: string;
}

/** The audience those choices describe; each study by ID, with its name as the note so the file reads well. */
export function newAudienceSpec(choices: NewAudienceChoices): AudienceSpec {
  const study = (s: { id: string; name: string }, statuses: readonly SubmissionStatus[]): SourceSpec => ({
    kind: 'study',
    study: s.id,
    ...(statuses.length > 0 ? { statuses: [...statuses] } : {}),
    note: s.name,
  });
  const within = choices.messagedWithin;
  return {
    include: choices.include.map((s) => study(s, choices.includeStatuses)),
    exclude: [
      ...choices.exclude.map((s) => study(s, choices.excludeStatuses)),
      ...(within !== undefined ? [{ kind: 'messaged' as const, within, withinMs: withinMs(within) ?? 0 }] : []),
    ],
  };
}
