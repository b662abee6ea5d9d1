/** The checkout speaks these, one message catalogue each (./catalogues). */
export const locales = ['en-US', 'fr-FR', 'es-ES', 'ja-JP'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'en-US';

/**
 * The checkout's locale for what the page and the browser ask for, most wanted first (the
 * page's `lang`, then `navigator.languages`): an exact match, else the same language (fr-CA →
 * fr-FR, es-MX → es-ES, ja → ja-JP, en-GB → en-US), else English.
 */
export function negotiateLocale(wanted: readonly (string | null | undefined)[]): Locale {
  for (const tag of wanted) {
    if (!tag) continue;
    const canonical = canonicalize(tag);
    if (!canonical) continue;
    const exact = locales.find((l) => l.toLowerCase() === canonical.toLowerCase());
    if (exact) return exact;
    const language = canonical.split('-')[0]?.toLowerCase();
    const sameLanguage = locales.find((l) => l.split('-')[0] === language);
    if (sameLanguage) return sameLanguage;
  }
  return defaultLocale;
}

function canonicalize(tag: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(tag.trim().replace(/_/g, '-'))[0];
  } catch {
    return undefined;
  }
}
