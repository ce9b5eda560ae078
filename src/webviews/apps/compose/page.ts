// The compose page script (bundled to dist/webview.js, runs inside the webview). The markup
// is static (src/webviews/compose/html.ts); this file wires it to the host over the typed protocol.
// The host owns the draft and does the sending; the page validates for quick inline errors
// and mirrors every keystroke back so nothing is lost when the view is hidden or closed.
// Who receives the message (one participant, or a list or group the host built) is the host's
// too: the page shows the audience it is told about and never switches it on its own.
import type { AudienceSummary, Draft, DraftChanges, DraftField, FieldErrors, HostMessage, PageMessage } from '../../compose/protocol';
import { l10n } from '../../../shared/l10n';
import { CONVERSATION_FIELDS, DRAFT_FIELDS, isConversationField, validateDraft } from '../../../shared/draft';
import { createAudienceView, createPreviewView } from './audienceView';
import { createDraftSync } from './draftSync';
import { createStudyPicker } from './studyPicker';
import { type PageState, parseHostMessage, parsePageState } from './hostMessages';
import { byId, connectToHost, createSendState, nextRequestId, onHostMessage, showFieldError, wireSend } from '../shared/runtime';
import { usePageTranslations } from '../shared/pageL10n';

type FieldControl = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

usePageTranslations();

const host = connectToHost<PageMessage, PageState>();

const form = byId<HTMLFormElement>('compose');
const sendButton = byId<HTMLButtonElement>('send');
const status = byId('status');
const studyHint = byId<HTMLElement>('study_id-hint');
const recipientField = byId<HTMLElement>('recipient-field');
/** Where each field's value is: the study's is the hidden ID behind the field that shows its name. */
const controls = {
  recipient_id: byId<HTMLInputElement>('recipient_id'),
  study_id: byId<HTMLInputElement>('study_id-value'),
  subject: byId<HTMLInputElement>('subject'),
  topic: byId<HTMLSelectElement>('topic'),
  body: byId<HTMLTextAreaElement>('body'),
} satisfies Record<DraftField, FieldControl>;
/** What the user types in, is focused and is marked invalid for each field. */
const inputs = { ...controls, study_id: byId<HTMLInputElement>('study_id') } satisfies Record<DraftField, FieldControl>;
/** Subject and topic: shown where Prolific has conversations, for one participant (see updateConversationFields). */
const conversationFields = byId<HTMLElement>('conversation-fields');
const broadcastHint = byId<HTMLElement>('broadcast-hint');
const errorEls = Object.fromEntries(DRAFT_FIELDS.map((f) => [f, byId(`${f}-error`)])) as Record<DraftField, HTMLElement>;
const defaultStudyHint = studyHint.textContent ?? '';
const studyPicker = createStudyPicker(inputs.study_id, controls.study_id, byId('studies'), byId('study_id-detail'));

/** The listStudies awaiting an answer; answers to older requests are ignored. */
let studiesRequestId: number | null = null;
/** Which edits the host has heard of, so its changes never overwrite newer typing. */
const draftSync = createDraftSync(
  (f) => controls[f].value,
  (m) => host.postMessage(m),
);
/** Whether the host's `init` (the saved draft) has been applied. */
let initialized = false;
/** Whether a field has had focus since the page loaded; from then on the user places it. */
let fieldFocused = false;
/** Set by the host (`init`, `setAudience`). Anything but 'single' hides the recipient field. */
let audience: AudienceSummary = { kind: 'single' };
/** What the account has (the host's `features`): conversations (a subject for one participant), broadcasts (for a list). */
let features = { subjects: false, broadcasts: false };
let previewTimer: ReturnType<typeof setTimeout> | undefined;
/** The latest preview request; answers to older ones are ignored. */
let previewRequest: { requestId: number; body: string } | null = null;
/** The host's last answer and the body it was for. Its errors block Send while the body is unchanged. */
let preview: { body: string; errors: string[] } | null = null;

const audienceView = createAudienceView({
  clear: () => host.postMessage({ type: 'clearAudience' }),
  insertColumn,
});
const previewView = createPreviewView();
// While a send is pending the list is what is being sent: it cannot be dropped.
const sending = createSendState<{ draft: Draft; toList: boolean }>(sendButton, status, (busy) => audienceView.setBusy(busy));

const sendsToList = (): boolean => audience.kind !== 'single';

/** The fields as shown; a hidden subject and topic are kept on the page but not sent. */
function readDraft(): Draft {
  const draft = { recipient_id: controls.recipient_id.value, study_id: controls.study_id.value, body: controls.body.value };
  return conversationFields.hidden ? draft : { ...draft, subject: controls.subject.value, topic: controls.topic.value };
}

/** Subject and topic show for one participant where the account has conversations, and for a list where it has broadcasts. */
function updateConversationFields(): void {
  const hide = audience.kind === 'single' ? !features.subjects : audience.kind === 'group' || !features.broadcasts;
  broadcastHint.hidden = audience.kind !== 'list';
  if (hide && conversationFields.contains(document.activeElement)) controls.body.focus();
  conversationFields.hidden = hide;
  if (hide) for (const f of CONVERSATION_FIELDS) setFieldError(f, undefined);
}

/** Replaces the given fields. Unchanged values are not reassigned, so the caret stays put; a
 *  field whose value changed loses its stale error. */
function writeFields(changes: DraftChanges): void {
  for (const f of DRAFT_FIELDS) {
    const value = changes[f];
    if (value !== undefined && controls[f].value !== value) {
      controls[f].value = value;
      setFieldError(f, undefined);
    }
  }
  host.setState(readDraft());
  studyPicker.showValue();
  updatePreview();
}

/** The host's change of the draft, applied field by field where it is newer than the user's typing (see DraftSync). */
function applyHostChanges(changes: DraftChanges, seen: number): void {
  const newer = draftSync.newerThanUser(changes, seen);
  // A result shown for the old draft (say "Message not sent" before a Retry from the
  // notification delivered it) no longer describes the form.
  if (Object.keys(newer).length > 0 && !sending.busy) sending.clearStatus();
  writeFields(newer);
}

function setFieldError(field: DraftField, message: string | undefined): void {
  showFieldError(inputs[field], errorEls[field], message);
}

/** Shows exactly these errors (clearing the others); returns the first invalid field in form order. */
function showErrors(errors: FieldErrors): DraftField | undefined {
  for (const f of DRAFT_FIELDS) setFieldError(f, errors[f]);
  return DRAFT_FIELDS.find((f) => errors[f]);
}

/** For changes the page makes itself (clearing after a send), which no input event reports. */
function reportFieldsNow(fields: DraftField[]): void {
  draftSync.markEdited(...fields);
  host.setState(readDraft());
  draftSync.reportNow();
}

/**
 * Puts the caret where the user starts typing when the form first gets focus (opened from the
 * palette, a key or the view): the first empty field it shows, else the message. Only once, and
 * only while the page has focus, so it never pulls focus back from a quick pick or a dialog
 * (focus returning to the page when the palette closes is not an opening).
 */
function focusFirstEmptyField(): void {
  // Before `init` the fields are not filled yet: which one is empty is not known.
  if (!initialized || fieldFocused || !document.hasFocus() || (document.activeElement !== null && document.activeElement !== document.body))
    return;
  // The subject and topic are optional: an empty subject is no reason to start there.
  const empty = DRAFT_FIELDS.filter((f) => !isConversationField(f))
    .map((f) => inputs[f])
    .find((c) => c.value === '' && !c.closest('[hidden]'));
  (empty ?? inputs.body).focus();
}

function submit(): void {
  if (sending.busy) return;
  draftSync.reportNow();
  const toList = sendsToList();
  // To a list the hidden participant ID is not sent; its text stays in the field for
  // "Send to one participant instead".
  const draft = toList ? { ...readDraft(), recipient_id: '' } : readDraft();
  const errors = validateDraft(draft, audience.kind);
  // The host already said this very body cannot be personalized; it would refuse it again.
  if (!errors.body && toList && preview?.body === draft.body && preview.errors.length > 0) errors.body = preview.errors.join('\n');
  const firstInvalid = showErrors(errors);
  if (firstInvalid) {
    status.textContent = '';
    inputs[firstInvalid].focus();
    return;
  }
  if (audience.kind === 'list' && audience.ids.length === 0) {
    status.textContent = l10n.t('Message not sent: the list has no participant IDs.');
    return;
  }
  const requestId = sending.begin({ draft, toList });
  host.postMessage({ type: 'send', requestId, seq: draftSync.sendSeq(), draft });
}

function onSendResult(m: Extract<HostMessage, { type: 'sendResult' }>): void {
  const sent = sending.finish(m.requestId);
  if (!sent) return;
  if (m.ok) {
    // The study usually stays the same for the next message. Recipient and body are cleared
    // only if still what was sent: the user may already be typing the next message. After a
    // send to a list the recipient field was not used (the host then sets the audience back).
    const cleared: DraftField[] = [];
    if (!sent.toList && controls.recipient_id.value === sent.draft.recipient_id) cleared.push('recipient_id');
    // A subject starts one conversation: the next message starts another, or none.
    if (sent.draft.subject && controls.subject.value === sent.draft.subject) cleared.push(...CONVERSATION_FIELDS);
    if (controls.body.value === sent.draft.body) cleared.push('body');
    for (const f of cleared) controls[f].value = '';
    showErrors({});
    reportFieldsNow(cleared);
    updatePreview();
    status.textContent = l10n.t('Message sent.');
    sending.refocus(sendsToList() || sent.toList ? controls.body : controls.recipient_id);
  } else {
    // A recipient error has no visible field while sending to a list: it goes in the status.
    const errors = { ...m.fieldErrors };
    const hidden = sendsToList() ? errors.recipient_id : undefined;
    if (hidden) delete errors.recipient_id;
    const firstInvalid = showErrors(errors);
    status.textContent =
      [m.error, hidden].filter(Boolean).join(' ') ||
      (firstInvalid ? l10n.t('Message not sent: check the fields above.') : l10n.t('Message not sent.'));
    if (firstInvalid) inputs[firstInvalid].focus();
    else sending.refocus(sendButton);
  }
}

/** Shows the host's audience: the recipient field for one participant, the Recipients section otherwise. */
function applyAudience(next: AudienceSummary): void {
  const focused = document.activeElement;
  audience = next;
  const toList = sendsToList();
  recipientField.hidden = toList;
  if (toList) setFieldError('recipient_id', undefined);
  updateConversationFields();
  audienceView.render(next);
  audienceView.setBusy(sending.busy);
  // Another list may have other columns: an earlier preview (and its errors, also when shown
  // as the message's error after a Send) no longer holds.
  if (preview?.errors.length && errorEls.body.textContent === preview.errors.join('\n')) setFieldError('body', undefined);
  clearTimeout(previewTimer);
  previewRequest = null;
  preview = null;
  updatePreview();
  // Focus in a part that was just hidden would fall to <body>.
  if (document.hasFocus() && focused instanceof HTMLElement && focused.closest('[hidden]'))
    (toList ? controls.body : controls.recipient_id).focus();
}

/** Inserts {{column}} at the caret in the message, as typing would (undo, input event). */
function insertColumn(column: string): void {
  const text = `{{${column}}}`;
  const body = controls.body;
  body.focus();
  // execCommand keeps the insertion on the undo stack; setRangeText is the fallback.
  if (!document.execCommand('insertText', false, text)) {
    body.setRangeText(text, body.selectionStart, body.selectionEnd, 'end');
    body.dispatchEvent(new Event('input', { bubbles: true }));
  }
}

// --- preview: a list with columns renders {{column}} per participant; the host does it ---

function wantsPreview(body: string): boolean {
  return audience.kind === 'list' && (audience.columns?.length ?? 0) > 0 && body.includes('{{');
}

/** After any change of the body or the audience: hides the preview or asks for a fresh one. */
function updatePreview(): void {
  clearTimeout(previewTimer);
  const body = controls.body.value;
  if (!wantsPreview(body)) {
    previewRequest = null;
    preview = null;
    previewView.hide();
    return;
  }
  // Back to the body on screen: an answer for the text in between would only replace it.
  if (preview?.body === body) {
    previewRequest = null;
    return;
  }
  if (previewRequest?.body === body) return; // its answer is on the way
  if (!preview) previewView.loading();
  previewTimer = setTimeout(requestPreview, 300);
}

function requestPreview(): void {
  const body = controls.body.value;
  if (!wantsPreview(body)) return;
  previewRequest = { requestId: nextRequestId(), body };
  host.postMessage({ type: 'preview', requestId: previewRequest.requestId, body });
}

function onPreview(m: Extract<HostMessage, { type: 'preview' }>): void {
  if (!previewRequest || m.requestId !== previewRequest.requestId) return;
  preview = { body: previewRequest.body, errors: m.errors };
  previewRequest = null;
  previewView.render(m.items, m.errors);
}

function requestStudies(): void {
  studiesRequestId = nextRequestId();
  host.postMessage({ type: 'listStudies', requestId: studiesRequestId });
}

function onStudies(m: Extract<HostMessage, { type: 'studies' }>): void {
  if (m.requestId !== studiesRequestId) return;
  studiesRequestId = null;
  studyPicker.setStudies(m.studies);
  if (m.error) studyHint.textContent = m.error;
  else if (m.studies.length === 0) studyHint.textContent = l10n.t('No studies found in your account. Paste a study ID.');
  else studyHint.textContent = defaultStudyHint;
}

function handle(m: HostMessage): void {
  switch (m.type) {
    case 'init':
      initialized = true;
      applyAudience(m.audience);
      // The saved draft replaces the restored state, except in fields typed in before it came.
      applyHostChanges(m.draft, m.seen);
      draftSync.reportNow();
      // For tests and assistive tooling: the form is wired and shows the saved draft.
      document.body.dataset.ready = 'true';
      focusFirstEmptyField();
      return;
    case 'setDraft':
      applyHostChanges(m.changes, m.seen);
      return;
    case 'setAudience':
      applyAudience(m.audience);
      return;
    case 'features':
      features = { subjects: m.subjects, broadcasts: m.broadcasts };
      updateConversationFields();
      return;
    case 'preview':
      onPreview(m);
      return;
    case 'sendResult':
      onSendResult(m);
      return;
    case 'studies':
      onStudies(m);
  }
}

// --- start-up ---

// Restore first so a re-shown view is filled instantly, before the host answers `ready`.
const saved = parsePageState(host.getState());
// Text typed before this script ran (a slow load) is newer than any saved state: keep it.
const typedEarly = DRAFT_FIELDS.filter((f) => inputs[f].value !== '');
draftSync.markEdited(...typedEarly);
if (typedEarly.length === 0 && saved) writeFields(saved);

for (const f of DRAFT_FIELDS) {
  controls[f].addEventListener('input', () => {
    draftSync.markEdited(f);
    setFieldError(f, undefined);
    sending.clearStatus();
    host.setState(readDraft());
    draftSync.scheduleReport();
    if (f === 'body') updatePreview();
  });
}

wireSend(form, submit);

inputs.study_id.addEventListener('focus', () => {
  if (studyPicker.count === 0 && studiesRequestId === null) requestStudies();
});

// The webview gets focus when its tab or view is opened or clicked. Deferred: a click on a
// field focuses that field after the window's focus event, and it must win.
window.addEventListener('focus', () => setTimeout(focusFirstEmptyField, 0));
form.addEventListener('focusin', () => (fieldFocused = true));
window.addEventListener('blur', () => draftSync.reportNow());
window.addEventListener('pagehide', () => draftSync.reportNow());
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') draftSync.reportNow();
});

onHostMessage(parseHostMessage, handle);

host.postMessage({ type: 'ready' });
requestStudies();
