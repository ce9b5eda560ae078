// Completion of study and group IDs in audience files, from the researcher's account: inside the
// value of "study" or "messageStudy" it offers the studies (by name, inserting the ID), inside
// "group" the participant groups. The JSON schema's own completions (fields, statuses) come from
// VS Code's JSON support alongside. It never asks for a token: signed out, it offers nothing.
import vscode = require('vscode');
import type { ProlificClient } from '../../prolific/client';

/** The value being typed: `"study": "|`, `"group": |`… */
const VALUE_OF = /"(study|messageStudy|group)"\s*:\s*("[^"\\]*)?$/;
/** The lists are asked for again after this long (completion is asked for at every word typed). */
const FRESH_MS = 60_000;

interface Choice {
  id: string;
  name: string;
  detail: string;
}

export class AudienceCompletionProvider implements vscode.CompletionItemProvider, vscode.Disposable {
  private cached: { at: number; studies?: Promise<Choice[]>; groups?: Promise<Choice[]> } | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly signedInClient: () => Promise<ProlificClient | undefined>,
    private readonly log: vscode.LogOutputChannel,
    tokenChanged: vscode.Event<void>,
  ) {
    this.subscription = tokenChanged(() => (this.cached = undefined));
  }

  dispose(): void {
    this.subscription.dispose();
  }

  async provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionItem[] | undefined> {
    const line = document.lineAt(position.line).text;
    const match = VALUE_OF.exec(line.slice(0, position.character));
    if (!match) return undefined;
    const client = await this.signedInClient();
    if (!client) return undefined;
    const start = position.character - (match[2]?.length ?? 0);
    // Replaces the whole string value, its closing quote included when there is one.
    const closing = line.indexOf('"', position.character);
    const end = match[2] !== undefined && closing >= 0 ? closing + 1 : position.character;
    const range = new vscode.Range(position.line, start, position.line, end);
    let choices: Choice[];
    try {
      choices = await (match[1] === 'group' ? this.groups(client) : this.studies(client));
    } catch (error) {
      this.cached = undefined;
      this.log.warn(`Audience file completion: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    return choices.map((choice, i) => {
      const item = new vscode.CompletionItem({ label: choice.name, description: choice.id }, vscode.CompletionItemKind.Value);
      item.insertText = JSON.stringify(choice.id);
      item.filterText = `"${choice.name} ${choice.id}`;
      item.detail = choice.detail;
      item.range = range;
      item.sortText = String(i).padStart(5, '0');
      return item;
    });
  }

  private fresh() {
    if (!this.cached || Date.now() - this.cached.at > FRESH_MS) this.cached = { at: Date.now() };
    return this.cached;
  }

  private studies(client: ProlificClient): Promise<Choice[]> {
    const cache = this.fresh();
    return (cache.studies ??= client
      .listStudies()
      .then((studies) =>
        studies.map((s) => ({ id: s.id, name: s.name, detail: [s.status, s.internal_name].filter(Boolean).join(' · ') })),
      ));
  }

  private groups(client: ProlificClient): Promise<Choice[]> {
    const cache = this.fresh();
    return (cache.groups ??= client.listWorkspaces().then(async (workspaces) => {
      const lists = await Promise.all(workspaces.map((w) => client.listParticipantGroups(w.id).then((groups) => ({ w, groups }))));
      return lists.flatMap(({ w, groups }) =>
        groups
          .filter((g) => !g.is_deleted)
          .map((g) => ({
            id: g.id,
            name: g.name,
            detail: g.participant_count == null ? w.title : vscode.l10n.t('{0} · {1} participants', w.title, g.participant_count),
          })),
      );
    }));
  }
}
