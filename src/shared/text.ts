// Plain-text helpers used by more than one feature. Pure: no vscode, no DOM, no node.
import { l10n } from './l10n';

/** The body's first non-blank line, trimmed and cut to `max` characters. */
export function firstLine(body: string, max = 60): string {
  const line = body.split(/\r?\n/).find((l) => l.trim()) ?? '';
  const trimmed = line.trim().replace(/\s+/g, ' ');
  return trimmed.length > max ? `${trimmed.slice(0, max - 1).trimEnd()}…` : trimmed || l10n.t('(empty message)');
}
