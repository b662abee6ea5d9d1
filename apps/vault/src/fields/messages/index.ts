import type { FieldName, Locale } from '../protocol.js';
import { enUS } from './en-US.js';
import { esES } from './es-ES.js';
import { frFR } from './fr-FR.js';
import { jaJP } from './ja-JP.js';

/** Error codes a field can show: the frame's own checks and the server's refusals. */
export type ErrorCode =
  | 'incomplete_number'
  | 'invalid_number'
  | 'incomplete_expiry'
  | 'invalid_expiry_month'
  | 'invalid_expiry_year'
  | 'expired_card'
  | 'incomplete_cvc'
  | 'invalid_cvc'
  | 'incomplete_holder_name'
  | 'processing_error';

/** The strings a frame shows, one catalogue per locale. */
export interface Messages {
  label: Record<FieldName, string>;
  placeholder: Record<FieldName, string>;
  /** Title of a frame holding several fields. */
  cardTitle: string;
  /** Label of the network choice offered for a co-badged card. */
  brandChoice: string;
  errors: Record<ErrorCode, string>;
}

export const catalogues: Record<Locale, Messages> = {
  'en-US': enUS,
  'fr-FR': frFR,
  'es-ES': esES,
  'ja-JP': jaJP,
};

/** The catalogue for a requested locale: exact, else by language (`fr` → `fr-FR`), else en-US. */
export function resolveLocale(requested: string | undefined): Locale {
  if (!requested) return 'en-US';
  if (requested in catalogues) return requested as Locale;
  const language = requested.split('-')[0]?.toLowerCase();
  const match = (Object.keys(catalogues) as Locale[]).find((l) => l.startsWith(`${language}-`));
  return match ?? 'en-US';
}
