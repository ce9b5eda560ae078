// The conversation page's HTML: one participant's thread and a reply box, in an editor tab
// (src/features/inbox/conversationPanel.ts). Pure (no vscode import) so it can be unit-tested in plain
// Node. The frame is static markup, so the header, the reply box and its label are there before
// the page script (src/webviews/apps/conversation/page.ts) has run; the script fills the header and the
// thread from the host's `thread` message, always as text (bodies are participants' words).
import { l10n } from '../../shared/l10n';
import { esc, pageHead, pageLang, pageScripts, type PageAssets } from '../html';

/** The assets are dist/conversation.js and media/conversation.css. */
export interface ConversationHtmlOptions extends PageAssets {
  /** The document title and the heading until the first thread arrives, e.g. "Participant 5f3a…". */
  title: string;
}

export function renderConversationHtml(o: ConversationHtmlOptions): string {
  const title = esc(o.title);

  return `<!DOCTYPE html>
<html lang="${pageLang()}">
${pageHead(o)}
<body>
  <main class="page">
    <header class="header">
      <div class="header-text">
        <h1 id="heading" class="heading">${title}</h1>
        <p id="study" class="hint study" hidden></p>
      </div>
      <div class="header-actions">
        <button type="button" id="refresh" class="secondary has-icon icon-refresh">${esc(l10n.t('Refresh'))}</button>
        <button type="button" id="open" class="secondary has-icon icon-link-external">${esc(l10n.t('Open in Prolific'))}</button>
      </div>
    </header>
    <div id="status" class="status" role="status" aria-live="polite">${esc(l10n.t('Loading the conversation…'))}</div>
    <ol id="thread" class="thread" aria-live="polite" aria-relevant="additions" aria-label="${esc(l10n.t('Messages'))}" tabindex="0"></ol>
    <p id="empty" class="empty" hidden>${esc(l10n.t('No messages with this participant in the last 30 days or in the local history.'))}</p>
    <form id="reply-form" class="reply" novalidate aria-label="${esc(l10n.t('Reply to the participant'))}">
      <textarea name="body" id="reply" rows="3" aria-label="${esc(l10n.t('Reply'))}" aria-required="true"
        aria-describedby="reply-error send-hint"></textarea>
      <div id="reply-error" class="error" aria-live="polite" aria-atomic="true"></div>
      <div class="actions">
        <button type="submit" id="send" class="has-icon icon-send">${esc(l10n.t('Send'))}</button>
        <span id="send-hint" class="hint">${esc(l10n.t('Ctrl+Enter to send'))}</span>
        <span id="reply-status" class="hint reply-status" aria-live="polite"></span>
      </div>
    </form>
  </main>
  ${pageScripts(o)}
</body>
</html>
`;
}
