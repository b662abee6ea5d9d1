import { type AlternativeMethod, catalogues, type DeclineKey, type Messages } from './catalogues.js';
import type { Locale } from './locales.js';

type TextKey = Exclude<keyof Messages, 'declines' | 'methodNames'>;

/** A message of the locale's catalogue with its `{placeholders}` filled in. */
export function t(locale: Locale, key: TextKey, values: Record<string, string> = {}): string {
  return catalogues[locale][key].replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/**
 * payin's decline codes (API.md) as what the shopper is told. Codes that mean "try later" share
 * one message; anything unknown is the generic decline: never a raw code on screen.
 */
const declineKeys: Readonly<Record<string, DeclineKey>> = {
  generic_decline: 'generic_decline',
  do_not_honor: 'generic_decline',
  call_issuer: 'generic_decline',
  fraudulent: 'generic_decline',
  pickup_card: 'generic_decline',
  restricted_card: 'generic_decline',
  transaction_not_allowed: 'generic_decline',
  insufficient_funds: 'insufficient_funds',
  withdrawal_count_limit_exceeded: 'insufficient_funds',
  incorrect_cvc: 'incorrect_cvc',
  invalid_cvc: 'incorrect_cvc',
  incorrect_number: 'incorrect_number',
  invalid_number: 'incorrect_number',
  expired_card: 'expired_card',
  authentication_required: 'authentication_required',
  card_not_supported: 'card_not_supported',
  currency_not_supported: 'card_not_supported',
  processing_error: 'processing_error',
  issuer_not_available: 'try_again_later',
  try_again_later: 'try_again_later',
};

/** A method's name in the list: the card's, another method's, or its code for one not known here. */
export function methodName(locale: Locale, method: string): string {
  if (method === 'card') return catalogues[locale].methodCard;
  return catalogues[locale].methodNames[method as AlternativeMethod] ?? method;
}

export function declineMessage(locale: Locale, declineCode: string | undefined, code?: string): string {
  const key = declineKeys[declineCode ?? ''] ?? declineKeys[code ?? ''] ?? 'generic_decline';
  return catalogues[locale].declines[key];
}
