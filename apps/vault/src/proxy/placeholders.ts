import { errors } from '@payin/core';
import type { RevealedCard } from '../tokens/service.js';

/**
 * `{{tok_….number}}` and friends: what a connector writes where a card field goes. The fields
 * are the ones an acquirer's API asks for; `exp_year2` is the two-digit year some want.
 */
const PLACEHOLDER = /\{\{\s*(tok_[A-Za-z0-9]{1,64})\.([a-z_0-9]+)\s*\}\}/g;
const FIELDS = ['number', 'cvc', 'exp_month', 'exp_year', 'exp_year2', 'holder_name'] as const;
export type PlaceholderField = (typeof FIELDS)[number];

export interface Placeholder {
  tokenId: string;
  field: PlaceholderField;
}

/** Every placeholder in the texts; an unknown field is refused here, before anything is revealed. */
export function findPlaceholders(texts: string[]): Placeholder[] {
  const found: Placeholder[] = [];
  for (const text of texts) {
    for (const match of text.matchAll(PLACEHOLDER)) {
      const [whole, tokenId = '', field = ''] = match;
      if (!(FIELDS as readonly string[]).includes(field)) {
        throw errors.placeholderUnavailable(
          whole,
          `unknown field "${field}"; use one of ${FIELDS.join(', ')}.`,
        );
      }
      found.push({ tokenId, field: field as PlaceholderField });
    }
  }
  return found;
}

export type Encoding = 'json' | 'form' | 'plain';

/**
 * Replaces each placeholder with its value, encoded for where it stands: inside a JSON string
 * (a holder name may hold quotes), in a form body, or as is (headers, plain text).
 */
export function substitute(text: string, cards: Map<string, RevealedCard>, encoding: Encoding): string {
  return text.replace(PLACEHOLDER, (whole, tokenId: string, field: PlaceholderField) => {
    const card = cards.get(tokenId);
    if (!card) throw errors.placeholderUnavailable(whole, 'token not loaded.');
    const value = cardValue(card, field, whole);
    if (encoding === 'json') return JSON.stringify(value).slice(1, -1);
    if (encoding === 'form') return encodeURIComponent(value);
    return value;
  });
}

/** Throws, as `substitute` would, for the first placeholder whose value the cards lack. */
export function checkAvailable(placeholders: Placeholder[], cards: Map<string, RevealedCard>): void {
  for (const { tokenId, field } of placeholders) {
    const card = cards.get(tokenId);
    const whole = `{{${tokenId}.${field}}}`;
    if (!card) throw errors.placeholderUnavailable(whole, 'token not loaded.');
    cardValue(card, field, whole);
  }
}

function cardValue(card: RevealedCard, field: PlaceholderField, placeholder: string): string {
  switch (field) {
    case 'number':
      return card.number;
    case 'exp_month':
      return String(card.expMonth).padStart(2, '0');
    case 'exp_year':
      return String(card.expYear);
    case 'exp_year2':
      return String(card.expYear % 100).padStart(2, '0');
    case 'cvc':
      if (card.cvc === null) {
        throw errors.placeholderUnavailable(
          placeholder,
          'the token holds no CVC any more (it is kept until its first use or ten minutes) or never had one.',
        );
      }
      return card.cvc;
    case 'holder_name':
      if (card.holderName === null)
        throw errors.placeholderUnavailable(placeholder, 'the token has no holder name.');
      return card.holderName;
  }
}
