// The compose page's HTML, shared by the editor panel and the sidebar view. Pure (no vscode
// import) so it can be unit-tested in plain Node. The form is static markup so it is visible
// and labelled before the page script (src/webviews/apps/compose/page.ts) has run; the sections for sending
// to a list (recipients, personalization, preview) are here too, hidden until the host sets one.
import { CONVERSATION_TOPICS, categoryLabel } from '../../shared/topics';
import { l10n } from '../../shared/l10n';
import { esc, pageHead, pageLang, pageScripts, type PageAssets } from '../html';

/** The assets are dist/webview.js and media/compose.css. */
export interface ComposeHtmlOptions extends PageAssets {
  /** 'view' is the narrow sidebar (fields stack); 'panel' is an editor tab (wider, capped). */
  mode: 'panel' | 'view';
}

export function renderComposeHtml(o: ComposeHtmlOptions): string {
  // Anything but 'view' renders as a panel, so an unexpected value cannot reach the markup.
  const mode = o.mode === 'view' ? 'view' : 'panel';

  return `<!DOCTYPE html>
<html lang="${pageLang()}">
${pageHead({ ...o, title: l10n.t('Message a participant') })}
<body class="mode-${mode}" data-mode="${mode}">
  <main>
    <h1 class="visually-hidden">${esc(l10n.t('Message a participant'))}</h1>
    <form id="compose" novalidate aria-label="${esc(l10n.t('Message a participant'))}">
      <div class="field" id="recipient-field">
        <label for="recipient_id">${esc(l10n.t('Participant ID'))}</label>
        <input name="recipient_id" id="recipient_id" type="text" autocomplete="off" spellcheck="false"
          placeholder="${esc(l10n.t('24-character participant ID'))}" aria-required="true" aria-describedby="recipient_id-error">
        <div id="recipient_id-error" class="error" aria-live="polite" aria-atomic="true"></div>
      </div>
      ${audienceSection()}
      <div class="field">
        <label for="study_id">${esc(l10n.t('Study'))}</label>
        <input name="study_id" id="study_id" type="text" role="combobox" aria-autocomplete="list" aria-expanded="false"
          aria-controls="studies" autocomplete="off" spellcheck="false" placeholder="${esc(l10n.t('Type a study name, or paste its ID'))}"
          aria-required="true" aria-describedby="study_id-detail study_id-hint study_id-error">
        <input type="hidden" id="study_id-value">
        <ul id="studies" class="study-list" role="listbox" aria-label="${esc(l10n.t('Your studies'))}" hidden></ul>
        <div id="study_id-detail" class="study-detail" hidden></div>
        <div id="study_id-hint" class="hint" aria-live="polite">${esc(l10n.t('Pick one of your studies or paste a study ID.'))}</div>
        <div id="study_id-error" class="error" aria-live="polite" aria-atomic="true"></div>
      </div>
      ${conversationSection()}
      <div class="field">
        <label for="body">${esc(l10n.t('Message'))}</label>
        <textarea name="body" id="body" rows="8" aria-required="true" aria-describedby="body-error send-hint"></textarea>
        <div id="body-error" class="error" aria-live="polite" aria-atomic="true"></div>
        <div id="columns" class="columns hint" hidden>
          <span id="columns-label">${esc(l10n.t('Personalize with {0}:', '{{column}}'))}</span>
          <span id="column-list" class="column-list" role="group" aria-labelledby="columns-label"></span>
        </div>
      </div>
      <section id="preview" class="preview" aria-labelledby="preview-title" hidden>
        <h2 id="preview-title" class="section-title">${esc(l10n.t('Preview'))}</h2>
        <div id="preview-status" class="hint"></div>
        <ul id="preview-items" class="preview-items"></ul>
        <ul id="preview-errors" class="preview-errors" role="alert"></ul>
      </section>
      <div class="actions">
        <button type="submit" id="send" class="has-icon icon-send">${esc(l10n.t('Send'))}</button>
        <span id="send-hint" class="hint">${esc(l10n.t('Ctrl+Enter to send'))}</span>
      </div>
      <div id="status" class="status" role="status" aria-live="polite"></div>
    </form>
  </main>
  ${pageScripts(o)}
</body>
</html>
`;
}

/** The Recipients section: it replaces the participant ID field while the form sends to a list or group. */
function audienceSection(): string {
  return `<section id="audience" class="audience" aria-labelledby="audience-title" hidden>
        <h2 id="audience-title" class="section-title">${esc(l10n.t('Recipients'))}</h2>
        <div id="audience-summary" class="audience-summary" aria-live="polite" aria-atomic="true"></div>
        <div id="audience-duplicates" class="hint" hidden></div>
        <div id="audience-invalid" class="audience-invalid" hidden>
          <div id="audience-invalid-text" class="warning"></div>
          <details>
            <summary>${esc(l10n.t('Show the entries left out'))}</summary>
            <ul id="audience-invalid-list" class="entry-list" aria-label="${esc(l10n.t('Entries left out'))}" tabindex="0"></ul>
            <div id="audience-invalid-more" class="hint"></div>
          </details>
        </div>
        <details id="audience-ids" hidden>
          <summary>${esc(l10n.t('Show participants'))}</summary>
          <ul id="audience-id-list" class="entry-list mono" aria-label="${esc(l10n.t('Participant IDs'))}" tabindex="0"></ul>
          <div id="audience-ids-more" class="hint"></div>
        </details>
        <div class="audience-actions">
          <button type="button" id="clear-audience" class="secondary has-icon icon-person">${esc(l10n.t('Send to one participant instead'))}</button>
        </div>
      </section>`;
}

/**
 * Subject and topic: shown only where Prolific has conversations and the form sends to one
 * participant (the page decides). A subject starts a conversation; empty, the message is a plain one.
 */
function conversationSection(): string {
  return `<div id="conversation-fields" class="conversation-fields" hidden>
        <div class="field">
          <label for="subject">${esc(l10n.t('Subject (optional)'))}</label>
          <input name="subject" id="subject" type="text" autocomplete="off"
            placeholder="${esc(l10n.t('Starts a conversation with this title'))}" aria-describedby="subject-hint broadcast-hint subject-error">
          <div id="subject-hint" class="hint">${esc(l10n.t("The participant sees it as the conversation's title and in the email about it. Leave it empty for a plain message."))}</div>
          <div id="broadcast-hint" class="hint" hidden>${esc(
            l10n.t(
              'With a subject, the list goes out as one broadcast: each participant gets a conversation of their own. Prolific accepts it only if every participant on the list has a submission in this study.',
            ),
          )}</div>
          <div id="subject-error" class="error" aria-live="polite" aria-atomic="true"></div>
        </div>
        <div class="field">
          <label for="topic">${esc(l10n.t('Topic'))}</label>
          <select name="topic" id="topic" aria-describedby="topic-error">
            <option value="">${esc(l10n.t('Choose a topic'))}</option>
            ${CONVERSATION_TOPICS.map((t) => `<option value="${t}">${esc(categoryLabel(t))}</option>`).join('')}
          </select>
          <div id="topic-error" class="error" aria-live="polite" aria-atomic="true"></div>
        </div>
      </div>`;
}
