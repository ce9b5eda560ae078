// The parts of the compose page for sending to a list: the Recipients section that replaces
// the participant ID field, the {{column}} buttons under the message and the Preview. They only
// render; page.ts owns the state and talks to the host. Everything that came from the host
// (IDs, file names, column names, rendered messages) is set as text, never as markup.
import type { AudienceSummary, PreviewItem } from '../../compose/protocol';
import { l10n } from '../../../shared/l10n';
import { byId } from '../shared/runtime';

/** Entries listed under "Show participants" (and under the entries left out); the rest are counted. */
export const LIST_LIMIT = 100;
/** Rendered messages shown in the Preview. */
export const PREVIEW_LIMIT = 3;

const num = (n: number): string => n.toLocaleString(document.documentElement.lang || 'en-US');
const participants = (n: number): string => (n === 1 ? l10n.t('1 participant') : l10n.t('{0} participants', num(n)));

/** "132 participants · from participants.csv", "Participant group: Pilot · 12 participants". */
export function audienceHeading(a: Exclude<AudienceSummary, { kind: 'single' }>): string {
  if (a.kind === 'list') return l10n.t('{0} · from {1}', participants(a.ids.length), a.source);
  return a.count === null
    ? l10n.t('Participant group: {0}', a.name)
    : l10n.t('Participant group: {0} · {1}', a.name, participants(a.count));
}

function li(text: string, className?: string): HTMLLIElement {
  const item = document.createElement('li');
  if (className) item.className = className;
  item.textContent = text;
  return item;
}

function fillList(list: HTMLElement, more: HTMLElement, entries: readonly string[]): void {
  // An empty cell from a CSV would otherwise be an invisible line.
  list.replaceChildren(...entries.slice(0, LIST_LIMIT).map((e) => (e.trim() ? li(e) : li(l10n.t('(blank)'), 'blank'))));
  more.textContent = entries.length > LIST_LIMIT ? l10n.t('… and {0} more', num(entries.length - LIST_LIMIT)) : '';
}

export interface AudienceView {
  render(audience: AudienceSummary): void;
  /** While a send is pending the list is what is being sent: it cannot be dropped. */
  setBusy(busy: boolean): void;
}

export function createAudienceView(on: { clear(): void; insertColumn(column: string): void }): AudienceView {
  const section = byId('audience');
  const summary = byId('audience-summary');
  const duplicates = byId('audience-duplicates');
  const invalid = byId('audience-invalid');
  const invalidText = byId('audience-invalid-text');
  const invalidList = byId('audience-invalid-list');
  const invalidMore = byId('audience-invalid-more');
  const ids = byId<HTMLDetailsElement>('audience-ids');
  const idList = byId('audience-id-list');
  const idsMore = byId('audience-ids-more');
  const clear = byId<HTMLButtonElement>('clear-audience');
  const columns = byId('columns');
  const columnList = byId('column-list');

  clear.addEventListener('click', () => on.clear());
  columnList.addEventListener('click', (e) => {
    const button = e.target instanceof Element ? e.target.closest<HTMLButtonElement>('button[data-column]') : null;
    if (button?.dataset.column !== undefined) on.insertColumn(button.dataset.column);
  });

  return {
    render(a) {
      section.hidden = a.kind === 'single';
      const list = a.kind === 'list' ? a : null;
      // Each part is hidden unless it applies, so a group never shows the last list's IDs.
      duplicates.hidden = !list || list.duplicates === 0;
      invalid.hidden = !list || list.invalid.length === 0;
      ids.hidden = !list;
      columns.hidden = !list?.columns?.length;
      if (a.kind === 'single') {
        summary.textContent = '';
        return;
      }
      summary.textContent = audienceHeading(a);
      if (!list) return;
      duplicates.textContent = duplicatesText(list.duplicates);
      invalidText.textContent = invalidEntriesText(list.invalid.length);
      fillList(invalidList, invalidMore, list.invalid);
      fillList(idList, idsMore, list.ids);
      columnList.replaceChildren(...(list.columns ?? []).map(columnButton));
    },
    setBusy(busy) {
      clear.disabled = busy;
    },
  };
}

function columnButton(column: string): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'chip';
  button.dataset.column = column;
  button.textContent = column;
  button.title = l10n.t('Insert {0} at the cursor', `{{${column}}}`);
  return button;
}

function duplicatesText(n: number): string {
  return n === 0 ? '' : n === 1 ? l10n.t('1 duplicate removed') : l10n.t('{0} duplicates removed', num(n));
}

function invalidEntriesText(n: number): string {
  return n === 0
    ? ''
    : n === 1
      ? l10n.t('1 entry is not a participant ID and will be left out')
      : l10n.t('{0} entries are not participant IDs and will be left out', num(n));
}

export interface PreviewView {
  hide(): void;
  /** Waiting for the first answer; a later request keeps the previous answer on screen. */
  loading(): void;
  render(items: readonly PreviewItem[], errors: readonly string[]): void;
}

export function createPreviewView(): PreviewView {
  const section = byId('preview');
  const status = byId('preview-status');
  const itemList = byId('preview-items');
  const errorList = byId('preview-errors');
  // The error list is an alert: rewriting it with the same errors on every keystroke would
  // announce them again each time.
  let shownErrors = '';

  function setErrors(errors: readonly string[]): void {
    const key = JSON.stringify(errors);
    if (key === shownErrors) return;
    shownErrors = key;
    errorList.replaceChildren(...errors.map((e) => li(e)));
  }

  function previewItem(item: PreviewItem): HTMLLIElement {
    const id = document.createElement('span');
    id.className = 'preview-id';
    id.textContent = item.id;
    const text = document.createElement('span');
    text.className = 'preview-text';
    text.textContent = item.text;
    const entry = li('');
    entry.append(id, ': ', text);
    return entry;
  }

  return {
    hide() {
      section.hidden = true;
      status.textContent = '';
      itemList.replaceChildren();
      setErrors([]);
    },
    loading() {
      section.hidden = false;
      status.textContent = l10n.t('Rendering the preview…');
      itemList.replaceChildren();
      setErrors([]);
    },
    render(items, errors) {
      section.hidden = false;
      status.textContent = errors.length
        ? l10n.t('This message cannot be personalized:')
        : items.length
          ? ''
          : l10n.t('Nothing to preview.');
      itemList.replaceChildren(...items.slice(0, PREVIEW_LIMIT).map(previewItem));
      setErrors(errors);
    },
  };
}
