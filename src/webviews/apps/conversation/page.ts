// The conversation page script (bundled to dist/conversation.js, runs inside the webview). The
// frame is static markup (src/webviews/conversation/html.ts); this file fills it from the host's
// `thread` messages and sends replies over the typed protocol (src/webviews/conversation/protocol.ts).
// Message bodies are participants' text: they are only ever set with textContent, so markup in
// them shows literally and never runs. The reply being written is kept with setState, so hiding
// the tab (which destroys the page) does not lose it.
import type { HostMessage, PageMessage, ThreadMessage, ThreadView } from '../../conversation/protocol';
import { l10n } from '../../../shared/l10n';
import { type PageState, parseHostMessage, parsePageState } from './hostMessages';
import { byId, connectToHost, createSendState, onHostMessage, showFieldError, wireSend } from '../shared/runtime';
import { usePageTranslations } from '../shared/pageL10n';

usePageTranslations();

const host = connectToHost<PageMessage, PageState>();

const heading = byId('heading');
const studyLine = byId('study');
const refreshButton = byId<HTMLButtonElement>('refresh');
const openButton = byId<HTMLButtonElement>('open');
const status = byId('status');
const threadList = byId<HTMLOListElement>('thread');
const emptyNote = byId('empty');
const form = byId<HTMLFormElement>('reply-form');
const replyBox = byId<HTMLTextAreaElement>('reply');
const replyError = byId('reply-error');
const replyStatus = byId('reply-status');
const sending = createSendState<{ body: string }>(byId<HTMLButtonElement>('send'), replyStatus);

/** The last thread shown (null until the host's first). */
let current: ThreadView | null = null;
/** One key per rendered <li>, so a refresh that only adds messages only appends them (and a
 *  screen reader hears just the new ones instead of the whole thread again). */
let renderedKeys: string[] = [];
/** Whether the thread follows the newest message. Cleared when the user scrolls up. */
let stickToBottom = true;

// --- the header and status ---

function renderHeader(t: ThreadView): void {
  const id = document.createElement('span');
  id.className = 'mono participant-id';
  id.textContent = t.participantId;
  // The ID goes where {0} is in the translated sentence, as its own element.
  const [before, after = ''] = l10n.t('Participant {0}').split('{0}');
  heading.replaceChildren(before ?? '', id, after);
  document.title = l10n.t('Participant {0}', t.participantId);

  const parts: string[] = t.subject ? [l10n.t('"{0}"', t.subject)] : [];
  if (t.studyName) parts.push(l10n.t('Study: {0}', t.studyName));
  else if (t.studyId) parts.push(l10n.t('Study {0}', t.studyId));
  if (t.categoryLabel) parts.push(t.categoryLabel);
  studyLine.textContent = parts.join(' · ');
  studyLine.hidden = parts.length === 0;
  if (t.studyName && t.studyId) studyLine.title = l10n.t('Study ID {0}', t.studyId);
  else studyLine.removeAttribute('title');
}

function renderStatus(t: ThreadView): void {
  status.classList.toggle('status-error', t.error !== null);
  if (t.error !== null) status.textContent = t.error;
  else if (t.loading) status.textContent = t.messages.length ? l10n.t('Refreshing…') : l10n.t('Loading the conversation…');
  else status.textContent = '';
  // Refresh stays focusable while one runs (disabling it would drop the focus to <body>).
  refreshButton.setAttribute('aria-disabled', String(t.loading));
  if (t.loading) threadList.setAttribute('aria-busy', 'true');
  else threadList.removeAttribute('aria-busy');
}

// --- the thread ---

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const fullTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'long' });

function isMine(m: ThreadMessage, t: ThreadView): boolean {
  // Without the user's own ID, a message in this thread not from the participant is theirs.
  return t.myId !== null ? m.senderId === t.myId : m.senderId !== t.participantId;
}

function messageKey(m: ThreadMessage, mine: boolean): string {
  return JSON.stringify([m.id, m.senderId, m.createdAt, m.body, mine]);
}

function messageItem(m: ThreadMessage, mine: boolean): HTMLLIElement {
  const item = document.createElement('li');
  item.className = mine ? 'message mine' : 'message theirs';

  const meta = document.createElement('div');
  meta.className = 'meta';
  const sender = document.createElement('span');
  sender.className = 'sender';
  sender.textContent = mine ? l10n.t('You') : l10n.t('Participant');
  const time = document.createElement('time');
  const date = new Date(m.createdAt);
  if (Number.isNaN(date.getTime())) {
    time.textContent = m.createdAt;
  } else {
    time.dateTime = date.toISOString();
    time.textContent = timeFormat.format(date);
    time.title = fullTimeFormat.format(date);
  }
  meta.append(sender, ' ', time);

  const body = document.createElement('div');
  body.className = 'body';
  // Participants' text: textContent only, so `<img onerror=…>` or `<script>` shows as typed.
  body.textContent = m.body;

  item.append(meta, body);
  return item;
}

function isNearBottom(): boolean {
  return threadList.scrollHeight - threadList.scrollTop - threadList.clientHeight < 24;
}

function scrollToNewest(): void {
  threadList.scrollTop = threadList.scrollHeight;
}

function renderThread(t: ThreadView, samePerson: boolean): void {
  const mine = t.messages.map((m) => isMine(m, t));
  const keys = t.messages.map((m, i) => messageKey(m, mine[i]!));
  const appendOnly = samePerson && renderedKeys.length <= keys.length && renderedKeys.every((k, i) => keys[i] === k);
  if (appendOnly) {
    const added = t.messages.slice(renderedKeys.length).map((m, i) => messageItem(m, mine[renderedKeys.length + i]!));
    if (added.length) threadList.append(...added);
  } else {
    threadList.replaceChildren(...t.messages.map((m, i) => messageItem(m, mine[i]!)));
  }
  renderedKeys = keys;
  // A new person's thread starts at the newest message; the same one only if the user was there.
  if (!samePerson) stickToBottom = true;
  if (stickToBottom) scrollToNewest();

  threadList.hidden = t.messages.length === 0;
  // "No messages" only when that is known: not while loading, not when the refresh failed.
  emptyNote.hidden = !(t.messages.length === 0 && !t.loading && t.error === null);
}

function onThread(t: ThreadView): void {
  const samePerson = current !== null && current.participantId === t.participantId;
  current = t;
  renderHeader(t);
  renderStatus(t);
  renderThread(t, samePerson);
}

// --- the reply ---

function saveDraft(): void {
  host.setState({ reply: replyBox.value });
}

const setReplyError = (message: string): void => showFieldError(replyBox, replyError, message);

function submit(): void {
  if (sending.busy) return;
  const body = replyBox.value;
  if (body.trim() === '') {
    setReplyError(l10n.t('Write a reply first.'));
    replyStatus.textContent = '';
    replyBox.focus();
    return;
  }
  setReplyError('');
  const requestId = sending.begin({ body });
  host.postMessage({ type: 'reply', requestId, body });
}

function onReplyResult(m: Extract<HostMessage, { type: 'replyResult' }>): void {
  const sent = sending.finish(m.requestId);
  if (!sent) return;
  if (m.ok) {
    // Cleared only if still what was sent: the user may already be writing the next one.
    if (replyBox.value === sent.body) replyBox.value = '';
    saveDraft();
    setReplyError('');
    replyStatus.textContent = l10n.t('Reply sent.');
  } else {
    setReplyError(m.error ?? l10n.t('The reply was not sent.'));
    replyStatus.textContent = '';
  }
  sending.refocus(replyBox);
}

function handle(m: HostMessage): void {
  switch (m.type) {
    case 'thread':
      onThread(m.thread);
      return;
    case 'replyResult':
      onReplyResult(m);
      return;
    case 'delivered':
      // This page's own reply is cleared by its result; this is for a Retry from the notification.
      if (sending.busy || replyBox.value !== m.body) return;
      replyBox.value = '';
      saveDraft();
      setReplyError('');
      replyStatus.textContent = l10n.t('Reply sent.');
  }
}

// --- start-up ---

// Restore the reply first, so a re-shown tab has it before the host answers `ready`.
const saved = parsePageState(host.getState());
if (saved) replyBox.value = saved.reply;

replyBox.addEventListener('input', () => {
  setReplyError('');
  sending.clearStatus();
  saveDraft();
});

wireSend(form, submit);

refreshButton.addEventListener('click', () => {
  if (current?.loading) return; // one is already running
  host.postMessage({ type: 'refresh' });
});
openButton.addEventListener('click', () => host.postMessage({ type: 'openInProlific' }));

// Scrolled up to read older messages: new ones must not yank the view down. Scrolling back
// to the bottom (by hand or by scrollToNewest) follows the newest again.
threadList.addEventListener('scroll', () => {
  stickToBottom = isNearBottom();
});
// The thread's height changes with the window and the reply box (resized by hand): stay at the
// newest message if that is where the user was.
new ResizeObserver(() => {
  if (stickToBottom) scrollToNewest();
}).observe(threadList);

// Opened from the Inbox (a click, or Enter on its row), the tab gets the focus: the caret goes in
// the reply box, as in a chat, once and only while nothing in the page has the focus. The thread
// is the element before it (Shift+Tab), and new messages are announced wherever the focus is.
let placedCaret = false;
function placeCaretOnce(): void {
  if (placedCaret || !document.hasFocus() || (document.activeElement && document.activeElement !== document.body)) return;
  placedCaret = true;
  replyBox.focus();
}
// Deferred: a click in the page focuses what was clicked after the window's focus event, and it wins.
window.addEventListener('focus', () => setTimeout(placeCaretOnce, 0));
form.addEventListener('focusin', () => (placedCaret = true));
placeCaretOnce(); // the tab may have had the focus before this script ran

onHostMessage(parseHostMessage, handle);

host.postMessage({ type: 'ready' });
