// What a message is about: the categories participants file their messages under, and the topics
// a new conversation is filed under. Prolific's docs list the first (MessageDataCategory,
// docs/prolific-api/messages.md § 1) but say of the second only "an enum of fixed categories"
// (§ 6), so the same list serves both. Pure: no vscode.
import { l10n } from './l10n';

export const CONVERSATION_TOPICS = ['payment-timing', 'payment-issues', 'technical-issues', 'feedback', 'rejections', 'other'] as const;
export type Topic = (typeof CONVERSATION_TOPICS)[number];

/** The category's or topic's name in the user's language; an unknown one as the API wrote it. */
export function categoryLabel(category: string): string {
  switch (category as Topic) {
    case 'payment-timing':
      return l10n.t('Payment timing');
    case 'payment-issues':
      return l10n.t('Payment issues');
    case 'technical-issues':
      return l10n.t('Technical issues');
    case 'feedback':
      return l10n.t('Feedback');
    case 'rejections':
      return l10n.t('Rejections');
    case 'other':
      return l10n.t('Other');
    default:
      return category;
  }
}
