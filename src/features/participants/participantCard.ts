// What the hover over a participant ID shows: what this computer already knows of them (the last
// message from them in the inbox's local copy, the last one sent to them in the Sent history) and
// links to act on them. Local files only: a hover never makes a request by itself.
import vscode = require('vscode');
import { COMMANDS } from '../../host/commands';
import { studyText } from '../history/historyEntry';
import type { HistoryStore } from '../history/historyStore';
import { preview } from '../inbox/conversations';
import type { InboxService } from '../inbox/inboxService';
import { relative } from '../inbox/inboxView';

/** The commands the card's links may run (a hover's markdown runs no other). */
const LINK_COMMANDS = [COMMANDS.sendMessageToParticipant, COMMANDS.openConversation, COMMANDS.showInStudies];

export class ParticipantCards {
  constructor(
    private readonly inbox: InboxService,
    private readonly history: HistoryStore,
    private readonly studyName: (id: string) => string | undefined,
  ) {}

  async markdown(participantId: string): Promise<vscode.MarkdownString> {
    const [thread, sent] = await Promise.all([this.inbox.thread(participantId, false), this.history.lastReached(participantId)]);
    const fromThem = thread.messages.filter((m) => m.senderId === participantId).at(-1);
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: LINK_COMMANDS };
    // The ID is 24 hexadecimal characters (checked by the hover): safe inside backticks.
    md.appendMarkdown(`$(account) **${vscode.l10n.t('Prolific participant')}** \`${participantId}\`\n\n`);
    if (fromThem) line(md, vscode.l10n.t('Last from them'), fromThem.body, fromThem.createdAt);
    if (sent) {
      line(md, vscode.l10n.t('Last sent to them'), sent.bodyPreview, sent.time);
      if (sent.studyId) paragraph(md, `${vscode.l10n.t('Study')}: ${studyText(sent.studyId, this.studyName)}`);
    }
    if (!fromThem && !sent) paragraph(md, vscode.l10n.t('No messages with this participant on this computer yet.'));
    const links = [link('$(mail)', vscode.l10n.t('Message'), COMMANDS.sendMessageToParticipant, participantId)];
    if (thread.messages.length > 0)
      links.push(link('$(comment-discussion)', vscode.l10n.t('Open Conversation'), COMMANDS.openConversation, participantId));
    links.push(link('$(search)', vscode.l10n.t('Show in Studies'), COMMANDS.showInStudies, participantId));
    md.appendMarkdown(links.join(' · '));
    return md;
  }
}

/** "Label: “first line…” · 2 d ago", participants' text as plain text. */
function line(md: vscode.MarkdownString, label: string, body: string, at: string): void {
  paragraph(md, `${label}: “${preview(body, 80)}” · ${relative(at)}`);
}

/** Text as text (escaped: a participant's words are never markdown or HTML), then a paragraph break. */
function paragraph(md: vscode.MarkdownString, text: string): void {
  md.appendText(text).appendMarkdown('\n\n');
}

function link(icon: string, label: string, command: string, participantId: string): string {
  const args = encodeURIComponent(JSON.stringify([participantId]));
  return `[${icon} ${label}](command:${command}?${args} "${label}")`;
}
