// Focus rules shared by both pages.

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
