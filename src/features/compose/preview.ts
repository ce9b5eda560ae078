// The preview of a personalized message: the first rows rendered, or why it cannot be sent.
import type { PreviewItem } from '../../webviews/compose/protocol';
import { checkTemplate, renderTemplate } from '../../shared/template';

export function previewMessages(
  body: string,
  ids: string[],
  rows: Record<string, string>[],
  columns: string[],
  rowNumbers?: ArrayLike<number>,
  count = 3,
): { items: PreviewItem[]; errors: string[] } {
  const errors = checkTemplate(body, columns, rows, rowNumbers);
  const items = errors.length > 0 ? [] : ids.slice(0, count).map((id, i) => ({ id, text: renderTemplate(body, rows[i] ?? {}) }));
  return { items, errors };
}
