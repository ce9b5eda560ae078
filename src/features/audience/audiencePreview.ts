// The audience preview: a read-only Markdown document listing each participant, whether they are
// in the audience, and the sources that put them in or kept them out. Every value that comes from
// the file or from Prolific is escaped (escapeInline), so it cannot become a link or break the
// table. Pure: test/unit/audiencePreview.test.ts.
import { l10n } from '../../shared/l10n';
import { escapeInline } from '../history/historyExport';
import type { AudienceResult, Reason } from './audienceEvaluation';

export function participantsText(count: number): string {
  return count === 1 ? l10n.t('1 participant') : l10n.t('{0} participants', count);
}

/**
 * @param fileName the audience file, as the user knows it (workspace-relative).
 * @param formatTime the evaluation time for the user (the locale lives in vscode).
 */
export function previewMarkdown(
  fileName: string,
  result: AudienceResult,
  formatTime: (ms: number) => string = (ms) => new Date(ms).toISOString(),
): string {
  const { members, keptOut, sources, spec } = result;
  const lines = [`# ${l10n.t('Audience: {0}', escapeInline(fileName))}`, ''];
  lines.push(
    keptOut.length === 0
      ? l10n.t('**{0}** in the audience. Evaluated {1}.', participantsText(members.length), formatTime(result.evaluatedAt))
      : l10n.t(
          '**{0}** in the audience; {1} kept out by the exclusions. Evaluated {2}.',
          participantsText(members.length),
          keptOut.length,
          formatTime(result.evaluatedAt),
        ),
    '',
  );
  if (spec.description) lines.push(`> ${escapeInline(spec.description)}`, '');
  if (result.messageStudy)
    lines.push(l10n.t('Message about: study "{0}" ({1}).', escapeInline(result.messageStudy.name), result.messageStudy.id), '');

  lines.push(
    `## ${l10n.t('Sources')}`,
    '',
    `| ${l10n.t('Source')} | ${l10n.t('Participants')} | ${l10n.t('Note')} |`,
    '| --- | ---: | --- |',
  );
  for (const s of sources) lines.push(`| ${escapeInline(s.label)} | ${s.count} | ${escapeInline(s.spec.note ?? '')} |`);
  const warnings = sources.flatMap((s) => s.warnings.map((w) => l10n.t('{0}: {1}', s.tag, w)));
  if (warnings.length > 0) lines.push('', `**${l10n.t('Warnings')}**`, '', ...warnings.map((w) => `- ${escapeInline(w)}`));

  lines.push('', `## ${l10n.t('Participants')}`, '');
  if (members.length + keptOut.length === 0) {
    lines.push(l10n.t('No source to include holds anyone.'), '');
    return lines.join('\n');
  }
  lines.push(
    `| # | ${l10n.t('Participant ID')} | ${l10n.t('In the audience')} | ${l10n.t('Put in by')} | ${l10n.t('Kept out by')} |`,
    '| ---: | --- | --- | --- | --- |',
  );
  const yes = l10n.t('yes');
  const no = l10n.t('no');
  members.forEach((id, i) => lines.push(`| ${i + 1} | ${escapeInline(id)} | ${yes} | ${reasons(result.putInBy(id))} |  |`));
  keptOut.forEach((id, i) =>
    lines.push(
      `| ${members.length + i + 1} | ${escapeInline(id)} | ${no} | ${reasons(result.putInBy(id))} | ${reasons(result.keptOutBy(id))} |`,
    ),
  );
  lines.push('');
  return lines.join('\n');
}

/** "include 1 (APPROVED), include 3". */
function reasons(list: Reason[]): string {
  return list
    .map((r) => (r.status === undefined ? r.source.tag : l10n.t('{0} ({1})', r.source.tag, r.status || l10n.t('no status'))))
    .map(escapeInline)
    .join(', ');
}
