import { containsCardNumber, errors } from '@payin/core';
import {
  availableBrands,
  brandRules,
  type CardBrand,
  cvcValid,
  expiryState,
  luhnValid,
  normalizeDigits,
} from '../cards/index.js';

/** A card as the hosted fields send it, checked. */
export interface CardInput {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string | null;
  holderName: string | null;
  brand: CardBrand;
  availableBrands: CardBrand[];
}

export interface RawCard {
  number: string;
  exp_month: number;
  exp_year: number;
  cvc?: string | undefined;
  holder_name?: string | undefined;
  brand?: string | undefined;
}

/**
 * The server's own check of what the fields validated already: a page could post anything.
 * Errors name the parameter and never quote the value (it is card data).
 */
export function checkCard(raw: RawCard, now: Date): CardInput {
  const number = normalizeDigits(raw.number);
  const brands = availableBrands(number);
  const primary = brands[brands.length - 1];
  if (!primary || !brandRules[primary].panLengths.includes(number.length) || !luhnValid(number)) {
    throw errors.invalidCard('invalid_number', 'card[number]', 'The card number is not a valid card number.');
  }
  const year = raw.exp_year < 100 ? 2000 + raw.exp_year : raw.exp_year;
  if (raw.exp_month < 1 || raw.exp_month > 12) {
    throw errors.invalidCard(
      'invalid_expiry_month',
      'card[exp_month]',
      "The card's expiration month is invalid.",
    );
  }
  const expiry = expiryState(raw.exp_month, year, now);
  if (expiry === 'invalid') {
    throw errors.invalidCard(
      'invalid_expiry_year',
      'card[exp_year]',
      "The card's expiration year is invalid.",
    );
  }
  if (expiry === 'expired') {
    throw errors.invalidCard('expired_card', 'card[exp_year]', 'The card has expired.');
  }
  // The cardholder's choice among the networks of a co-badged card; otherwise the card's own.
  let brand: CardBrand = brands[0] as CardBrand;
  if (raw.brand !== undefined) {
    if (!brands.includes(raw.brand as CardBrand)) {
      throw errors.invalidParameter(
        'card[brand]',
        `This card can be processed as ${brands.join(' or ')} only.`,
      );
    }
    brand = raw.brand as CardBrand;
  }
  let cvc: string | null = null;
  if (raw.cvc !== undefined && raw.cvc !== '') {
    cvc = normalizeDigits(raw.cvc);
    if (cvc.length !== raw.cvc.normalize('NFKC').trim().length || !cvcValid(cvc, primary)) {
      throw errors.invalidCard(
        'invalid_cvc',
        'card[cvc]',
        `The card's security code must be ${brandRules[primary].cvcLength} digits.`,
      );
    }
  }
  const holderName = raw.holder_name?.trim() || null;
  if (holderName && (containsCardNumber(holderName) || /\d{5,}/.test(holderName))) {
    throw errors.invalidParameter('card[holder_name]', "The cardholder's name must not contain numbers.");
  }
  return { number, expMonth: raw.exp_month, expYear: year, cvc, holderName, brand, availableBrands: brands };
}
