// Which of Prolific's messaging features the account's workspace has: conversations with subjects,
// and broadcasts (docs/prolific-api/messages.md § 6, where a workspace without them answers 404).
// Asked once per window and account, on first need, and kept: the answer changes only when
// Prolific turns them on, which a new window picks up. A failed probe (offline, 5xx) is not kept,
// and counts as "classic" meanwhile: the classic endpoints work everywhere, so the user sees no
// error for it. No vscode: the log is whatever has info and warn.
import type { ProlificClient } from '../../prolific/client';
import type { MessagingFeatures } from '../../prolific/conversationsApi';

const CLASSIC: MessagingFeatures = { conversations: false, broadcasts: false };

export interface FeatureLog {
  info(message: string): void;
  warn(message: string): void;
}

export class MessagingFeaturesProbe {
  /** By account (its user ID): the answer, or the probe on its way. */
  private readonly known = new Map<string, Promise<MessagingFeatures>>();

  constructor(private readonly log: FeatureLog) {}

  /** The account's features; the first call per account asks Prolific (two one-item requests). */
  features(accountId: string, client: ProlificClient): Promise<MessagingFeatures> {
    let answer = this.known.get(accountId);
    if (!answer) {
      answer = client.conversations.probe().then(
        (features) => {
          this.log.info(
            features.conversations
              ? `Messaging: conversations ${features.broadcasts ? 'and broadcasts are' : 'are (broadcasts are not)'} available; subjects can be used.`
              : 'Messaging: classic messages only (this workspace has no conversations yet).',
          );
          return features;
        },
        (error: unknown) => {
          this.known.delete(accountId); // asked again next time
          this.log.warn(
            `Messaging: could not find out whether conversations are available (${error instanceof Error ? error.message : String(error)}); classic messages meanwhile.`,
          );
          return CLASSIC;
        },
      );
      this.known.set(accountId, answer);
    }
    return answer;
  }

  /** Forgets every answer (the token changed: it may be another account, or the same one on another plan). */
  clear(): void {
    this.known.clear();
  }
}
