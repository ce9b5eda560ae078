// Loads the translations the host put in the page (src/webviews/html.ts pageL10nBundle), so that the
// page script's `l10n.t` calls and the shared core's sentences are in VS Code's language. Run
// before the script shows any text; without the element (English) messages stay as written.
import { configureL10n, type L10nBundle } from '../../../shared/l10n';

function isBundle(value: unknown): value is L10nBundle {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every(
    (v) => typeof v === 'string' || (typeof v === 'object' && v !== null && typeof (v as { message?: unknown }).message === 'string'),
  );
}

export function usePageTranslations(): void {
  const text = document.getElementById('l10n-bundle')?.textContent;
  let bundle: unknown;
  try {
    bundle = text ? JSON.parse(text) : undefined;
  } catch {
    bundle = undefined;
  }
  configureL10n(isBundle(bundle) ? bundle : undefined, document.documentElement.lang || 'en');
}
