// Audiences: the commands that fill the compose form with many participants (a file, a study's
// submissions, a participant group).
import vscode = require('vscode');
import { registerCommands } from '../../host/commands';
import type { ProlificClient } from '../../prolific/client';
import type { AudienceStore } from '../compose/audienceStore';
import type { DraftStore } from '../compose/draftStore';
import { AudienceCommands } from './audienceCommands';

export function registerAudience(services: {
  audiences: AudienceStore;
  drafts: DraftStore;
  clientFor: () => Promise<ProlificClient | undefined>;
  /** Opens the compose form, which shows the audience. */
  openCompose: () => void;
}): vscode.Disposable {
  const commands = new AudienceCommands(services.audiences, services.drafts, services.clientFor, services.openCompose);
  return registerCommands({
    messageParticipantsInFile: () => commands.fromFile(vscode.window.activeTextEditor?.document),
    messageStudyParticipants: () => commands.fromStudy(),
    messageParticipantGroup: () => commands.fromGroup(),
  });
}
