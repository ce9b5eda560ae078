// The names of Prolific's message categories, for the Inbox view and the conversation tab (whose
// page is sent the name, already translated). Pure: no vscode.
import { l10n } from '../../shared/l10n';
import type { MessageCategory } from '../../prolific/messageTypes';

/** The category's name in the user's language; an unknown category as the API wrote it. */
export function categoryLabel(category: string): string {
  switch (category as MessageCategory) {
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
