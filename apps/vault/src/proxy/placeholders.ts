import { errors } from '@payin/core';
import type { RevealedCard } from '../tokens/service.js';

/**
 * `{{tok_….number}}` and friends: what a connector writes where a card field goes. The fields
 * are the ones an acquirer's API asks for; `exp_year2` is the two-digit year some want.
 *
 * `{{tok_….holder_name?}}` is optional: sent when the token has it, and otherwise left out —
 * the whole JSON member when the placeholder is its whole value, else the empty string. A
 * connector thus sends a field a token may lack (the holder name, a CVC already used) in one
 * request, instead of one refused request per missing field.
 */
const PLACEHOLDER = /\{\{\s*(tok_[A-Za-z0-9]{1,64})\.([a-z_0-9]+)(\?)?\s*\}\}/g;
/** A JSON string that is one optional placeholder and nothing else. */
const WHOLE_OPTIONAL = /^\{\{\s*(tok_[A-Za-z0-9]{1,64})\.([a-z_0-9]+)\?\s*\}\}$/;
const FIELDS = ['number', 'cvc', 'exp_month', 'exp_year', 'exp_year2', 'holder_name'] as const;
export type PlaceholderField = (typeof FIELDS)[number];

export interface Placeholder {
  tokenId: string;
  field: PlaceholderField;
  optional: boolean;
}

/** Every placeholder in the texts; an unknown field is refused here, before anything is revealed. */
export function findPlaceholders(texts: string[]): Placeholder[] {
  const found: Placeholder[] = [];
  for (const text of texts) {
    for (const match of text.matchAll(PLACEHOLDER)) {
      const [whole, tokenId = '', field = '', optional] = match;
      if (!(FIELDS as readonly string[]).includes(field)) {
        throw errors.placeholderUnavailable(
          whole,
          `unknown field "${field}"; use one of ${FIELDS.join(', ')}.`,
        );
      }
      found.push({ tokenId, field: field as PlaceholderField, optional: optional === '?' });
    }
  }
  return found;
}

export type Encoding = 'json' | 'form' | 'plain';

/**
 * Replaces each placeholder with its value, encoded for where it stands: inside a JSON string
 * (a holder name may hold quotes), in a form body, or as is (headers, plain text). A JSON body
 * with an optional placeholder the card lacks is rewritten without that member.
 */
export function substitute(text: string, cards: Map<string, RevealedCard>, encoding: Encoding): string {
  if (encoding === 'json' && hasMissingOptional(text, cards)) {
    const rewritten = withoutMissingMembers(text, cards);
    if (rewritten !== undefined) return rewritten;
  }
  return text.replace(PLACEHOLDER, (whole, tokenId: string, field: PlaceholderField, optional?: string) => {
    const value = fieldValue(cards, tokenId, field, optional === '?', whole) ?? '';
    if (encoding === 'json') return JSON.stringify(value).slice(1, -1);
    if (encoding === 'form') return encodeURIComponent(value);
    return value;
  });
}

/** Throws, as `substitute` would, for the first required placeholder whose value the cards lack. */
export function checkAvailable(placeholders: Placeholder[], cards: Map<string, RevealedCard>): void {
  for (const { tokenId, field, optional } of placeholders) {
    fieldValue(cards, tokenId, field, optional, `{{${tokenId}.${field}}}`);
  }
}

/** A field's value; undefined for an optional one the card lacks, a refusal for a required one. */
function fieldValue(
  cards: Map<string, RevealedCard>,
  tokenId: string,
  field: PlaceholderField,
  optional: boolean,
  whole: string,
): string | undefined {
  const card = cards.get(tokenId);
  if (!card) throw errors.placeholderUnavailable(whole, 'token not loaded.');
  if (optional && !hasValue(card, field)) return undefined;
  return cardValue(card, field, whole);
}

function hasMissingOptional(text: string, cards: Map<string, RevealedCard>): boolean {
  for (const [, tokenId = '', field = '', optional] of text.matchAll(PLACEHOLDER)) {
    const card = cards.get(tokenId);
    if (optional === '?' && card && !hasValue(card, field as PlaceholderField)) return true;
  }
  return false;
}

/**
 * The JSON body with every member whose whole value is a missing optional placeholder left out,
 * and every other placeholder filled in; undefined when the body is not JSON after all.
 */
function withoutMissingMembers(text: string, cards: Map<string, RevealedCard>): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const fill = (value: unknown): unknown => {
    if (typeof value === 'string')
      return value.replace(
        PLACEHOLDER,
        (whole, tokenId, field, optional) => fieldValue(cards, tokenId, field, optional === '?', whole) ?? '',
      );
    if (Array.isArray(value)) return value.map(fill);
    if (value === null || typeof value !== 'object') return value;
    // No prototype: a "__proto__" member is copied as a member, as JSON.parse read it.
    const out: Record<string, unknown> = Object.create(null);
    for (const [key, member] of Object.entries(value)) {
      const whole = typeof member === 'string' ? WHOLE_OPTIONAL.exec(member) : null;
      if (
        whole &&
        fieldValue(cards, whole[1] ?? '', whole[2] as PlaceholderField, true, member) === undefined
      )
        continue;
      out[key] = fill(member);
    }
    return out;
  };
  return JSON.stringify(fill(parsed));
}

function hasValue(card: RevealedCard, field: PlaceholderField): boolean {
  if (field === 'cvc') return card.cvc !== null;
  if (field === 'holder_name') return card.holderName !== null;
  return true;
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
