// The study field's picker: an ARIA combobox over the account's studies, usable with the keyboard
// alone (a <datalist> was not: its suggestions could not be reached with the arrow keys in a
// webview). Typing filters by name or ID; ArrowDown opens the list and moves through it, Enter
// takes the active study, Escape closes it; a pasted ID needs no pick.
// Two inputs: the visible field shows the study's name whenever it is known (researchers know
// their studies by name), and a hidden one holds what the draft and Prolific need, the ID (two
// studies may share a name). The ID shows under the field as secondary text.
import type { StudyOption } from '../../compose/protocol';
import { isHexId } from '../../../shared/recipients/participantIds';

export interface StudyPicker {
  setStudies(studies: StudyOption[]): void;
  /** After the page or the host wrote the ID: the field shows it, by name where known. What is
   *  being typed is kept while it already means that ID. */
  showValue(): void;
  readonly count: number;
}

/** What the host accepts in a draft field (src/webviews/compose/protocol.ts). */
const MAX_FIELD = 200;

export function createStudyPicker(input: HTMLInputElement, value: HTMLInputElement, list: HTMLElement, detail: HTMLElement): StudyPicker {
  let studies: StudyOption[] = [];
  let shown: StudyOption[] = [];
  let active = -1;

  const byId = (id: string) => studies.find((s) => s.id === id.trim().toLowerCase());

  /** The draft's value for what the field shows: an ID as typed, the ID of the one study with
   *  exactly this name, else the text itself (which validation then refuses by name). */
  function resolve(text: string): string {
    const trimmed = text.trim();
    if (isHexId(trimmed)) return trimmed;
    const named = studies.filter((s) => s.name.trim().toLowerCase() === trimmed.toLowerCase());
    return named.length === 1 ? named[0]!.id : trimmed.slice(0, MAX_FIELD);
  }

  function showDetail(): void {
    const study = byId(value.value);
    const showsName = study !== undefined && input.value.trim() === study.name.trim();
    detail.textContent = study ? [showsName ? study.id : study.name, study.status].filter(Boolean).join(' · ') : '';
    detail.hidden = !study;
  }

  /** Puts the study's name in place of its ID (not while the user is in the field). */
  function showName(): void {
    const study = byId(value.value);
    if (study && document.activeElement !== input) input.value = study.name;
    showDetail();
  }

  function close(): void {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    setActive(-1);
  }

  /** The studies that match what the field shows; all of them when it shows a known study or nothing. */
  function open(): void {
    const query = input.value.trim().toLowerCase();
    shown = byId(value.value) ? studies : studies.filter((s) => s.name.toLowerCase().includes(query) || s.id.includes(query));
    list.replaceChildren(...shown.map(optionElement));
    if (shown.length === 0) return close();
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    setActive(-1);
  }

  function optionElement(study: StudyOption, index: number): HTMLLIElement {
    const option = document.createElement('li');
    option.id = `study-option-${index}`;
    option.setAttribute('role', 'option');
    const name = document.createElement('span');
    name.className = 'study-option-name';
    // textContent, never markup: a study's name cannot inject HTML.
    name.textContent = study.status ? `${study.name} · ${study.status}` : study.name;
    const id = document.createElement('span');
    id.className = 'study-option-id';
    id.textContent = study.id;
    option.append(name, id);
    // mousedown, not click: the field keeps the focus, so its blur does not close the list first.
    option.addEventListener('mousedown', (event) => {
      event.preventDefault();
      choose(study);
    });
    return option;
  }

  function setActive(index: number): void {
    active = index;
    [...list.children].forEach((el, i) => el.setAttribute('aria-selected', String(i === index)));
    const option = list.children[index];
    if (option) {
      input.setAttribute('aria-activedescendant', option.id);
      option.scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  }

  /** The draft hears of a new value as if it had been typed (draft sync, saved state, the field's error). */
  function setValue(next: string): void {
    if (value.value === next) return;
    value.value = next;
    value.dispatchEvent(new Event('input', { bubbles: true }));
  }

  function choose(study: StudyOption): void {
    input.value = study.name;
    close();
    setValue(study.id);
    showDetail();
  }

  input.addEventListener('input', () => {
    setValue(resolve(input.value));
    showDetail();
    if (document.activeElement === input && !byId(value.value)) open();
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (list.hidden) open();
      if (shown.length === 0) return;
      event.preventDefault();
      const down = event.key === 'ArrowDown';
      setActive(active < 0 ? (down ? 0 : shown.length - 1) : (active + (down ? 1 : shown.length - 1)) % shown.length);
    } else if (event.key === 'Enter' && !event.ctrlKey && !event.metaKey && !list.hidden && active >= 0) {
      event.preventDefault(); // takes the study; does not send the form
      choose(shown[active]!);
    } else if (event.key === 'Escape' && !list.hidden) {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener('blur', () => {
    close();
    showName();
  });
  // Typed before this script ran (a slow load).
  if (input.value !== '') value.value = resolve(input.value);

  return {
    setStudies(next) {
      studies = next;
      // A name typed in full before the list came now means its study.
      if (input.value !== '' && document.activeElement !== input) setValue(resolve(input.value));
      showName();
      // Typed before the list came: show what matches now.
      if (!list.hidden || (document.activeElement === input && input.value.trim() !== '' && !byId(value.value))) open();
    },
    showValue() {
      if (resolve(input.value) !== value.value) input.value = byId(value.value)?.name ?? value.value;
      showName();
    },
    get count() {
      return studies.length;
    },
  };
}
