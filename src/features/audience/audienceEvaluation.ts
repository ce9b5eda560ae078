// Evaluating an audience file: every source read in full (the include sources first, since an
// exclude "messaged" may need to know whom to look up), then (union of include) minus (union of
// exclude), with the reasons kept. If any source cannot be read there is no result at all, only
// the failures, each a sentence naming its source: nothing is ever sent on a partial evaluation.
// Pure (no vscode): tested against the fake server (test/fake/audience.test.ts) and benchmarked.
import { reportFailure, type FixAction } from '../../host/failures';
import { ProlificApiError } from '../../prolific/errors';
import { l10n } from '../../shared/l10n';
import type { AudienceSpec, SourceRef, SourceSpec } from './audienceFormat';
import { combine, type Combination } from './audienceSets';
import { Lookups, eachLimited, readSource, type AudienceEnvironment, type SourceOutcome } from './audienceSources';

/** Sources read at once (each reads its pages one after another). */
const SOURCE_CONCURRENCY = 4;

/** The columns an audience offers to {{placeholders}}. */
export const AUDIENCE_COLUMNS = ['participant_id', 'status', 'study_name'] as const;

export interface EvaluatedSource {
  ref: SourceRef;
  spec: SourceSpec;
  /** "include 1: study "Sleep & Mood Diary (Wave 1)" (APPROVED)". */
  label: string;
  /** "include 1": how the participants table names it. */
  tag: string;
  /** Participants it holds (each once). */
  count: number;
  warnings: string[];
}

/** Why a participant is where they are: each source that holds them, with their status there (study sources). */
export interface Reason {
  source: EvaluatedSource;
  status?: string;
}

export interface AudienceResult {
  spec: AudienceSpec;
  sources: EvaluatedSource[];
  /** In the audience, lower-cased, in order of first appearance. */
  members: string[];
  /** Included, then kept out by an exclude source. */
  keptOut: string[];
  putInBy(id: string): Reason[];
  keptOutBy(id: string): Reason[];
  /** One record per member (same order) for {{participant_id}}, {{status}} and {{study_name}}: the first including study's. */
  rows(): Record<string, string>[];
  /** Entries of included files that are not participant IDs (left out). */
  invalid: string[];
  /** The study the message is about: messageStudy, else the first included study. */
  messageStudy?: { id: string; name: string };
  /** Date.now() when it finished. */
  evaluatedAt: number;
}

export interface SourceFailure {
  /** The source, or undefined for messageStudy. */
  ref?: SourceRef;
  /** A sentence naming the source. */
  message: string;
  /** What fixes it (a token, a setting), as for any failure (host/failures.ts). */
  actions: FixAction[];
}

export type AudienceEvaluation = { ok: true; result: AudienceResult } | { ok: false; failures: SourceFailure[]; cancelled: boolean };

type Settled = { ok: true; outcome: SourceOutcome } | { ok: false; error: unknown };

export async function evaluateAudience(spec: AudienceSpec, env: AudienceEnvironment): Promise<AudienceEvaluation> {
  const lookups = new Lookups(env);
  const include = await readAll(spec.include, lookups, env);
  const included = new Set(include.flatMap((s) => (s.ok ? s.outcome.ids : [])));
  // Looking participants up one by one is only worth it when the result can be used.
  const candidates = include.every((s) => s.ok) ? included : undefined;
  const exclude = await readAll(spec.exclude, lookups, env, candidates);
  const messageStudy = await resolveMessageStudy(spec, include, lookups);

  const failures: (SourceFailure & { reason: string })[] = [];
  const sources: EvaluatedSource[] = [];
  const outcomes: SourceOutcome[] = [];
  const fail = (ref: SourceRef | undefined, error: unknown, label: string) => {
    const { message, actions } = reportFailure(error, label);
    failures.push({ ...(ref ? { ref } : {}), message, actions, reason: message.startsWith(label) ? message.slice(label.length) : message });
  };
  for (const [side, settled, specs] of [
    ['include', include, spec.include],
    ['exclude', exclude, spec.exclude],
  ] as const) {
    settled.forEach((s, index) => {
      const ref = { side, index };
      if (!s.ok) return fail(ref, s.error, sourceLabel(ref, specs[index]));
      const label = sourceLabel(ref, specs[index], s.outcome);
      sources.push({
        ref,
        spec: specs[index],
        label,
        tag: sourceTag(ref),
        count: new Set(s.outcome.ids).size,
        warnings: s.outcome.warnings,
      });
      outcomes.push(s.outcome);
    });
  }
  if (!messageStudy.ok) fail(undefined, messageStudy.error, l10n.t('messageStudy {0}', JSON.stringify(spec.messageStudy ?? '')));
  if (env.signal?.aborted || failures.length > 0) {
    const cancelled = Boolean(env.signal?.aborted) || [...include, ...exclude].some((s) => !s.ok && isCancellation(s.error));
    // One sentence per distinct reason: a refused token fails every source the same way.
    const seen = new Set<string>();
    const distinct = failures.filter((f) => !seen.has(f.reason) && seen.add(f.reason));
    return { ok: false, failures: distinct.map(({ reason: _, ...failure }) => failure), cancelled };
  }
  return { ok: true, result: buildResult(spec, sources, outcomes, messageStudy.ok ? messageStudy.study : undefined) };
}

async function readAll(
  specs: SourceSpec[],
  lookups: Lookups,
  env: AudienceEnvironment,
  candidates?: ReadonlySet<string>,
): Promise<Settled[]> {
  const settled: Settled[] = new Array(specs.length);
  await eachLimited(
    specs.map((_, i) => i),
    SOURCE_CONCURRENCY,
    async (i) => {
      settled[i] = await readSource(specs[i], lookups, env, candidates).then(
        (outcome): Settled => ({ ok: true, outcome }),
        (error: unknown): Settled => ({ ok: false, error }),
      );
    },
  );
  return settled;
}

async function resolveMessageStudy(
  spec: AudienceSpec,
  include: Settled[],
  lookups: Lookups,
): Promise<{ ok: true; study?: { id: string; name: string } } | { ok: false; error: unknown }> {
  const studies = include.flatMap((s) => (s.ok && s.outcome.study ? [s.outcome.study] : []));
  if (spec.messageStudy === undefined) return { ok: true, study: studies[0] };
  try {
    const found = await lookups.study(spec.messageStudy);
    const name =
      found.name ?? studies.find((s) => s.id === found.id)?.name ?? (await lookups.allStudies()).find((s) => s.id === found.id)?.name;
    return { ok: true, study: { id: found.id, name: name ?? found.id } };
  } catch (error) {
    return { ok: false, error };
  }
}

function buildResult(
  spec: AudienceSpec,
  sources: EvaluatedSource[],
  outcomes: SourceOutcome[],
  messageStudy?: { id: string; name: string },
): AudienceResult {
  const includeCount = spec.include.length;
  const combination: Combination = combine(
    outcomes.slice(0, includeCount).map((o) => o.ids),
    outcomes.slice(includeCount).map((o) => o.ids),
  );
  const reasons = (indexes: readonly number[], offset: number, id: string): Reason[] =>
    indexes.map((i) => {
      const status = outcomes[offset + i].statusOf?.get(id);
      return status === undefined ? { source: sources[offset + i] } : { source: sources[offset + i], status };
    });
  const firstStudy = (id: string) => combination.putInBy(id).find((i) => outcomes[i].study && outcomes[i].statusOf?.has(id));
  let rows: Record<string, string>[] | undefined;
  return {
    spec,
    sources,
    members: combination.members,
    keptOut: combination.keptOut,
    putInBy: (id) => reasons(combination.putInBy(id), 0, id.toLowerCase()),
    keptOutBy: (id) => reasons(combination.keptOutBy(id), includeCount, id.toLowerCase()),
    rows: () =>
      (rows ??= combination.members.map((id) => {
        const i = firstStudy(id);
        const outcome = i === undefined ? undefined : outcomes[i];
        return { participant_id: id, status: outcome?.statusOf?.get(id) ?? '', study_name: outcome?.study?.name ?? '' };
      })),
    invalid: [...new Set(outcomes.slice(0, includeCount).flatMap((o) => o.invalid ?? []))],
    ...(messageStudy ? { messageStudy } : {}),
    evaluatedAt: Date.now(),
  };
}

/** "include 1", "exclude 2". */
export function sourceTag(ref: SourceRef): string {
  return ref.side === 'include' ? l10n.t('include {0}', ref.index + 1) : l10n.t('exclude {0}', ref.index + 1);
}

/** The source for the user, with the names learnt while reading it when there are any. */
export function sourceLabel(ref: SourceRef, source: SourceSpec, outcome?: SourceOutcome): string {
  return l10n.t('{0}: {1}', sourceTag(ref), describeSource(source, outcome));
}

function describeSource(source: SourceSpec, outcome?: SourceOutcome): string {
  switch (source.kind) {
    case 'study': {
      const study = outcome?.study ? l10n.t('study "{0}"', outcome.study.name) : l10n.t('study {0}', JSON.stringify(source.study));
      return source.statuses ? l10n.t('{0} ({1})', study, source.statuses.join(', ')) : study;
    }
    case 'group':
      return l10n.t('participant group "{0}"', outcome?.groupName ?? source.group);
    case 'ids':
      return source.ids.length === 1 ? l10n.t('1 ID written in the file') : l10n.t('{0} IDs written in the file', source.ids.length);
    case 'file':
      return source.column === undefined ? l10n.t('file {0}', source.file) : l10n.t('file {0}, column "{1}"', source.file, source.column);
    case 'messaged':
      return l10n.t('participants you messaged in the last {0}', source.within);
  }
}

function isCancellation(error: unknown): boolean {
  return error instanceof ProlificApiError && error.kind === 'cancelled';
}
