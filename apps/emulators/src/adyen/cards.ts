import type { ResultCode } from '@payin/provider-wire/adyen';

/**
 * How the emulator decides a card payment, from Adyen's own test conventions:
 * - test card numbers (https://docs.adyen.com/development-resources/test-card-numbers/): any
 *   Luhn-valid number of a known brand authorises, as on Adyen's test platform;
 * - cards enrolled in 3D Secure 2 that are challenged
 *   (https://docs.adyen.com/development-resources/testing/3d-secure-2-authentication/);
 * - refusal reasons triggered by `holderName`
 *   (https://docs.adyen.com/development-resources/testing/result-codes/).
 */

/** Numbers the emulator always sends through a 3-D Secure challenge. */
export const challengeCards = new Set(['4917610000000000', '5454545454545454', '4212345678910006']);
/**
 * 3D Secure 2 cards the issuer authenticates without a challenge (frictionless): authorised at
 * once, with the authentication reported in additionalData.
 */
export const frictionlessCards = new Set(['5201281505129736']);

export type Brand = 'visa' | 'mc' | 'amex';

export function brandOf(number: string): Brand | undefined {
  if (/^4/.test(number)) return 'visa';
  if (/^(5[1-5]|2[2-7])/.test(number)) return 'mc';
  if (/^3[47]/.test(number)) return 'amex';
  return undefined;
}

export function luhnValid(number: string): boolean {
  if (!/^\d{12,19}$/.test(number)) return false;
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let digit = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

export interface CardOutcome {
  resultCode: ResultCode;
  /** Authenticated by 3D Secure 2 (frictionless, or after a passed challenge). */
  authenticated?: boolean;
  refusalReason?: string;
  refusalReasonCode?: string;
}

/**
 * `holderName` values and the outcome Adyen documents for each (refusalReasonCode is the
 * RequestedTestAcquirerResponseCode of the same row). Rows 0-16 are as listed on the result-codes
 * page; the later rows follow Adyen's refusal-reason table.
 */
const holderNameOutcomes: Record<string, CardOutcome> = {
  UNKNOWN: { resultCode: 'Error', refusalReason: 'Unknown', refusalReasonCode: '0' },
  APPROVED: { resultCode: 'Authorised' },
  DECLINED: { resultCode: 'Refused', refusalReason: 'Refused', refusalReasonCode: '2' },
  REFERRAL: { resultCode: 'Refused', refusalReason: 'Referral', refusalReasonCode: '3' },
  ERROR: { resultCode: 'Error', refusalReason: 'Acquirer Error', refusalReasonCode: '4' },
  BLOCK_CARD: { resultCode: 'Refused', refusalReason: 'Blocked Card', refusalReasonCode: '5' },
  CARD_EXPIRED: { resultCode: 'Refused', refusalReason: 'Expired Card', refusalReasonCode: '6' },
  INVALID_AMOUNT: { resultCode: 'Refused', refusalReason: 'Invalid Amount', refusalReasonCode: '7' },
  INVALID_CARD_NUMBER: {
    resultCode: 'Refused',
    refusalReason: 'Invalid Card Number',
    refusalReasonCode: '8',
  },
  ISSUER_UNAVAILABLE: { resultCode: 'Refused', refusalReason: 'Issuer Unavailable', refusalReasonCode: '9' },
  NOT_SUPPORTED: { resultCode: 'Refused', refusalReason: 'Not supported', refusalReasonCode: '10' },
  NOT_3D_AUTHENTICATED: {
    resultCode: 'Refused',
    refusalReason: '3D Not Authenticated',
    refusalReasonCode: '11',
  },
  NOT_ENOUGH_BALANCE: { resultCode: 'Refused', refusalReason: 'Not enough balance', refusalReasonCode: '12' },
  PENDING: { resultCode: 'Received' },
  ACQUIRER_FRAUD: { resultCode: 'Refused', refusalReason: 'Acquirer Fraud', refusalReasonCode: '14' },
  CANCELLED: { resultCode: 'Refused', refusalReason: 'Cancelled', refusalReasonCode: '15' },
  SHOPPER_CANCELLED: { resultCode: 'Refused', refusalReason: 'Shopper Cancelled', refusalReasonCode: '16' },
  FRAUD: { resultCode: 'Refused', refusalReason: 'FRAUD', refusalReasonCode: '20' },
  'FRAUD-CANCELLED': { resultCode: 'Refused', refusalReason: 'FRAUD-CANCELLED', refusalReasonCode: '22' },
  TRANSACTION_NOT_PERMITTED: {
    resultCode: 'Refused',
    refusalReason: 'Transaction Not Permitted',
    refusalReasonCode: '23',
  },
  CVC_DECLINED: { resultCode: 'Refused', refusalReason: 'CVC Declined', refusalReasonCode: '24' },
  RESTRICTED_CARD: { resultCode: 'Refused', refusalReason: 'Restricted Card', refusalReasonCode: '25' },
  REVOCATION_OF_AUTH: { resultCode: 'Refused', refusalReason: 'Revocation Of Auth', refusalReasonCode: '26' },
  DECLINED_NON_GENERIC: {
    resultCode: 'Refused',
    refusalReason: 'Declined Non Generic',
    refusalReasonCode: '27',
  },
  WITHDRAWAL_AMOUNT_EXCEEDED: {
    resultCode: 'Refused',
    refusalReason: 'Withdrawal amount exceeded',
    refusalReasonCode: '28',
  },
  WITHDRAWAL_COUNT_EXCEEDED: {
    resultCode: 'Refused',
    refusalReason: 'Withdrawal count exceeded',
    refusalReasonCode: '29',
  },
  ISSUER_SUSPECTED_FRAUD: {
    resultCode: 'Refused',
    refusalReason: 'Issuer Suspected Fraud',
    refusalReasonCode: '31',
  },
  AVS_DECLINED: { resultCode: 'Refused', refusalReason: 'AVS Declined', refusalReasonCode: '32' },
  AUTHENTICATION_REQUIRED: {
    resultCode: 'Refused',
    refusalReason: 'Authentication required',
    refusalReasonCode: '38',
  },
};

/** Refusal of a card whose CVC or expiry is wrong: Adyen answers a generic DECLINED. */
export const genericDecline: CardOutcome = holderNameOutcomes.DECLINED as CardOutcome;
export const notAuthenticated: CardOutcome = holderNameOutcomes.NOT_3D_AUTHENTICATED as CardOutcome;

/**
 * `holderName` is `[code]` or `[code] : [scheme code] : [raw reason]` (the documented way of
 * also choosing the raw scheme answer); only the first part picks the outcome.
 */
export function outcomeForHolderName(holderName: string | undefined): CardOutcome | undefined {
  if (!holderName) return undefined;
  const code = holderName.split(':')[0]?.trim().toUpperCase() ?? '';
  return holderNameOutcomes[code];
}

/**
 * Modifications that fail after they were acknowledged, chosen by the payment's holder name as
 * Adyen documents ("capture failed", "refund failed"): the /captures or /refunds call still
 * answers `received`, and the failure shows in the ledger (and in the *_FAILED webhook).
 */
export function failingModification(holderName: string | undefined): 'capture' | 'refund' | undefined {
  const name = holderName?.trim().toLowerCase();
  if (name === 'capture failed') return 'capture';
  if (name === 'refund failed') return 'refund';
  return undefined;
}

/** A card whose expiry is in the past, at the end of its expiry month. */
export function expired(month: number, year: number, now: Date): boolean {
  const endOfMonth = Date.UTC(year, month, 1);
  return endOfMonth <= now.getTime();
}
