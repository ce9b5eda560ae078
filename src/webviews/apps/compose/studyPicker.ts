// The study field's picker: an ARIA combobox over the account's studies, usable with the keyboard
// alone (a <datalist> was not: its suggestions could not be reached with the arrow keys in a
// webview). Typing filters by name or ID; ArrowDown opens the list and moves through it, Enter
// takes the active study, Escape closes it; a pasted ID needs no pick. The field holds the ID:
// it is what Prolific needs, and two studies may share a name. The study's name shows under it.
import type { StudyOption } from '../../compose/protocol';

export interface StudyPicker {
  setStudies(studies: StudyOption[]): void;
  /** Shows the name of the study whose ID the field holds, after the host changed the field. */
  refresh(): void;
  readonly count: number;
}

const describe = (s: StudyOption): string => (s.status ? `${s.name} · ${s.status}` : s.name);

export function createStudyPicker(input: HTMLInputElement, list: HTMLElement, nameLine: HTMLElement): StudyPicker {
  let studies: StudyOption[] = [];
  let shown: StudyOption[] = [];
  let active = -1;

  const known = () => studies.find((s) => s.id === input.value.trim().toLowerCase());

  function refresh(): void {
    const study = known();
    nameLine.textContent = study ? describe(study) : '';
    nameLine.hidden = !study;
  }

  function close(): void {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    setActive(-1);
  }

  /** The studies that match what the field holds; all of them when it holds a known ID or nothing. */
  function open(): void {
    const query = input.value.trim().toLowerCase();
    shown = known() ? studies : studies.filter((s) => s.name.toLowerCase().includes(query) || s.id.includes(query));
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
    name.textContent = describe(study);
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

  function choose(study: StudyOption): void {
    input.value = study.id;
    close();
    // As if typed: the draft sync, the saved state and the field's error hear of it.
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }

  input.addEventListener('input', () => {
    refresh();
    if (document.activeElement === input && !known()) open();
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
  input.addEventListener('blur', close);

  return {
    setStudies(next) {
      studies = next;
      refresh();
      // Typed before the list came: show what matches now.
      if (!list.hidden || (document.activeElement === input && input.value.trim() !== '' && !known())) open();
    },
    refresh,
    get count() {
      return studies.length;
    },
  };
}
