// The runtime both page scripts share: the handle on VS Code (typed by the page's protocol), the
// host's messages, element lookup, request ids, field errors, the send shortcut and the state of
// the one send a page can have pending. Browser code: DOM only, no zod (the host checks what the
// page posts; the page checks what it receives with its hostMessages.ts).
import { l10n } from '../../../shared/l10n';

// Provided by VS Code inside webviews; declared here because there is no DOM type for it.
declare function acquireVsCodeApi(): HostConnection<unknown, unknown>;

/** VS Code's API object, typed by the page's protocol and saved state. */
export interface HostConnection<Out, State> {
  postMessage(message: Out): void;
  /** What the page saved before it was hidden or reloaded: unchecked, so parse it before use. */
  getState(): unknown;
  /** Kept by VS Code while the page is hidden, which destroys the page. */
  setState(state: State): void;
}

/** The page's handle on VS Code. VS Code allows one per page: call this once. */
export function connectToHost<Out, State>(): HostConnection<Out, State> {
  return acquireVsCodeApi();
}

/**
 * Calls `handle` with each message `parse` accepts. A `message` event may not come from our host
 * in our format (another extension version, a stale host, a devtools console): the rest is ignored.
 */
export function onHostMessage<In>(parse: (data: unknown) => In | null, handle: (message: In) => void): void {
  window.addEventListener('message', (e: MessageEvent<unknown>) => {
    const message = parse(e.data);
    if (message) handle(message);
  });
}

/** An element of the page's static markup; a missing one is a bug, so it throws. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`page: #${id} is missing from the markup`);
  return el as T;
}

let lastRequestId = 0;
/** One counter for every request of the page, so an answer can never match another request. */
export function nextRequestId(): number {
  return ++lastRequestId;
}

/** Shows a field's error under it (or clears it with '' / undefined) and marks the control invalid. */
export function showFieldError(control: HTMLElement, errorElement: HTMLElement, message: string | undefined): void {
  errorElement.textContent = message ?? '';
  if (message) control.setAttribute('aria-invalid', 'true');
  else control.removeAttribute('aria-invalid');
}

/**
 * Calls `submit` for the form's submit event (the button, Enter in an input, requestSubmit()) and
 * for Ctrl+Enter (⌘+Enter on mac) anywhere in the form, including a textarea where plain Enter is
 * a new line. Both modifiers are accepted everywhere: harmless, and it helps remote/VM keyboards.
 * The hint (#send-hint) names ⌘ on a mac.
 */
export function wireSend(form: HTMLFormElement, submit: () => void): void {
  // navigator.platform is deprecated but still what Electron reports reliably; the user agent
  // covers the case where it is empty or spoofed.
  if (/Mac|iPhone|iPad/i.test(`${navigator.platform} ${navigator.userAgent}`)) {
    byId('send-hint').textContent = l10n.t('⌘+Enter to send');
  }
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    submit();
  });
  form.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.isComposing) {
      e.preventDefault();
      submit();
    }
  });
}

/**
 * Disabling the focused button drops focus to <body>; put it on `target` instead. Only while the
 * page has focus: focusing an element of an unfocused webview would take focus from the
 * workbench and close a quick pick the user is in.
 */
export function refocusAfterDisabling(button: HTMLElement, target: HTMLElement): void {
  if (!document.hasFocus()) return;
  const active = document.activeElement;
  if (active === null || active === document.body || active === button) target.focus();
}

/** The one send a page can have pending (a message, a reply) and what shows it: the button and the status line. */
export interface SendState<T> {
  /** A send awaits its result. A flag, not just `disabled`: a second Ctrl+Enter or a click
   *  queued before the button re-rendered must not post a second send. */
  readonly busy: boolean;
  /** Marks `sent` as pending (button disabled and aria-busy, status "Sending…"); returns its request id. */
  begin(sent: T): number;
  /** The pending send this result answers, now settled; undefined for any other request id. */
  finish(requestId: number): T | undefined;
  /** Clears the status line, unless it says a send is running. */
  clearStatus(): void;
  /** After a send: see refocusAfterDisabling. */
  refocus(target: HTMLElement): void;
}

export function createSendState<T>(button: HTMLButtonElement, status: HTMLElement, onBusy?: (busy: boolean) => void): SendState<T> {
  let pending: { requestId: number; sent: T } | null = null;
  const setBusy = (busy: boolean) => {
    button.disabled = busy;
    onBusy?.(busy);
    if (busy) button.setAttribute('aria-busy', 'true');
    else button.removeAttribute('aria-busy');
  };
  return {
    get busy() {
      return pending !== null;
    },
    begin(sent) {
      pending = { requestId: nextRequestId(), sent };
      setBusy(true);
      status.textContent = l10n.t('Sending…');
      return pending.requestId;
    },
    finish(requestId) {
      if (!pending || pending.requestId !== requestId) return undefined;
      const { sent } = pending;
      pending = null;
      setBusy(false);
      return sent;
    },
    clearStatus() {
      if (!pending) status.textContent = '';
    },
    refocus: (target) => refocusAfterDisabling(button, target),
  };
}
