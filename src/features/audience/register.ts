// Audiences: the commands that fill the compose form with many participants (a file, a study's
// submissions, a participant group), and audience files (*.audience.json): their CodeLens, preview,
// "Message This Audience", completion, schema and "New Audience…".
import vscode = require('vscode');
import { registerCommands } from '../../host/commands';
import type { ProlificClient } from '../../prolific/client';
import type { AudienceStore } from '../compose/audienceStore';
import type { DraftStore } from '../compose/draftStore';
import type { HistoryStore } from '../history/historyStore';
import type { InboxService } from '../inbox/inboxService';
import { AudienceCommands } from './audienceCommands';
import { AudienceCompletionProvider } from './audienceCompletion';
import { AudienceFileCommands, PREVIEW_SCHEME } from './audienceFileCommands';
import { AudienceLensProvider } from './audienceLens';
import { audienceSchema } from './audienceSchema';
import { AudienceService } from './audienceService';
import type { AudienceProviders } from './audienceStandIns';
import { newAudience } from './newAudience';

export interface AudienceFeature extends vscode.Disposable {
  /** For activation's stand-ins (audienceStandIns.ts). */
  providers: AudienceProviders;
  service: AudienceService;
  files: AudienceFileCommands;
}

export function registerAudience(services: {
  audiences: AudienceStore;
  drafts: DraftStore;
  history: HistoryStore;
  inbox: InboxService;
  /** A client, asking for a token when none is set. */
  clientFor: () => Promise<ProlificClient | undefined>;
  /** A client, never asking (for the CodeLens and completion, which nobody started). */
  signedInClient: () => Promise<ProlificClient | undefined>;
  tokenChanged: vscode.Event<void>;
  /** Opens the compose form, which shows the audience. */
  openCompose: () => void;
  log: vscode.LogOutputChannel;
}): AudienceFeature {
  const { audiences, drafts, clientFor, signedInClient, openCompose, log } = services;
  const commands = new AudienceCommands(audiences, drafts, clientFor, openCompose);
  const service = new AudienceService(services.history, services.inbox);
  const files = new AudienceFileCommands({ service, audiences, drafts, clientFor, openCompose, log });
  const lenses = new AudienceLensProvider(service, signedInClient, services.tokenChanged);
  const completions = new AudienceCompletionProvider(signedInClient, log, services.tokenChanged);
  const disposable = vscode.Disposable.from(
    service,
    files,
    lenses,
    completions,
    vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, files),
    registerCommands({
      // From a menu or the tables' CodeLens, with the file's URI (the lens adds its column); from the palette, the active file.
      messageParticipantsInFile: async (uri?: unknown, column?: unknown) =>
        commands.fromFile(
          uri instanceof vscode.Uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document,
          typeof column === 'number' ? column : undefined,
        ),
      messageParticipantsInCellOutput: (cell) => commands.fromCellOutput(cell),
      messageStudyParticipants: () => commands.fromStudy(),
      messageParticipantGroup: () => commands.fromGroup(),
      messageAudience: (uri) => files.message(uri),
      previewAudience: (uri) => files.preview(uri),
      newAudience: () => newAudience(clientFor),
    }),
  );
  return {
    providers: { lenses, completions, schema: () => JSON.stringify(audienceSchema(), null, 2) },
    service,
    files,
    dispose: () => disposable.dispose(),
  };
}
