/**
 * Adyen's refusal reasons (`refusalReasonCode` in /payments answers and AUTHORISATION webhooks,
 * docs.adyen.com/development-resources/refusal-reasons) as payin decline codes, the ones
 * API.md names and Stripe-style clients already handle. `retry`: whether the same card may
 * succeed later without the shopper changing anything (issuer or acquirer trouble).
 */
export interface Decline {
  declineCode: string;
  /** payin's error code: card_declined, or processing_error / authentication_failed. */
  code: 'card_declined' | 'processing_error' | 'authentication_failed';
  retry: boolean;
}

const decline = (declineCode: string, retry = false): Decline => ({
  declineCode,
  code: 'card_declined',
  retry,
});

export const refusalReasons: Readonly<Record<string, Decline>> = {
  '2': decline('generic_decline'), // Refused
  '3': decline('call_issuer'), // Referral
  '4': { declineCode: 'processing_error', code: 'processing_error', retry: true }, // Acquirer Error
  '5': decline('pickup_card'), // Blocked Card
  '6': decline('expired_card'), // Expired Card
  '7': decline('invalid_amount'), // Invalid Amount
  '8': decline('incorrect_number'), // Invalid Card Number
  '9': decline('issuer_not_available', true), // Issuer Unavailable
  '10': decline('card_not_supported'), // Not supported
  '11': { declineCode: 'authentication_required', code: 'authentication_failed', retry: false }, // 3D Not Authenticated
  '12': decline('insufficient_funds'), // Not enough balance
  '14': decline('fraudulent'), // Acquirer Fraud
  '15': decline('generic_decline'), // Cancelled
  '16': decline('generic_decline'), // Shopper Cancelled
  '17': decline('incorrect_pin'), // Invalid Pin
  '18': decline('pin_try_exceeded'), // Pin tries exceeded
  '19': decline('incorrect_pin'), // Pin validation not possible
  '20': decline('fraudulent'), // FRAUD (risk score)
  '21': { declineCode: 'processing_error', code: 'processing_error', retry: true }, // Not Submitted
  '22': decline('fraudulent'), // FRAUD-CANCELLED
  '23': decline('transaction_not_allowed'), // Transaction Not Permitted
  '24': decline('incorrect_cvc'), // CVC Declined
  '25': decline('restricted_card'), // Restricted Card
  '26': decline('revocation_of_authorization'), // Revocation Of Auth
  '27': decline('generic_decline'), // Declined Non Generic
  '28': decline('withdrawal_count_limit_exceeded'), // Withdrawal amount exceeded
  '29': decline('withdrawal_count_limit_exceeded'), // Withdrawal count exceeded
  '31': decline('fraudulent'), // Issuer Suspected Fraud
  '32': decline('incorrect_address'), // AVS Declined
  '33': decline('online_or_offline_pin_required'), // Card requires online pin
  '34': decline('invalid_account'), // No checking account available on Card
  '35': decline('invalid_account'), // No savings account available on Card
  '36': decline('online_or_offline_pin_required'), // Mobile pin required
  '37': decline('generic_decline'), // Contactless fallback
  '38': { declineCode: 'authentication_required', code: 'authentication_failed', retry: false }, // Authentication required (soft decline)
  '39': { declineCode: 'authentication_required', code: 'authentication_failed', retry: true }, // RReq not received from DS
  '40': decline('generic_decline'), // Current AID is in Penalty Box
  '41': decline('generic_decline'), // CVM Required Restart Payment
  '42': { declineCode: 'authentication_required', code: 'authentication_failed', retry: true }, // 3DS Authentication Error
  '46': decline('do_not_try_again'), // Transaction blocked by Adyen to prevent excessive retry fees
};

/** A code Adyen adds later still declines, generically: never an unknown outcome, never a success. */
export function declineFor(refusalReasonCode: string | undefined): Decline {
  return (refusalReasonCode !== undefined && refusalReasons[refusalReasonCode]) || decline('generic_decline');
}

/**
 * The refusal reason's text, as standard AUTHORISATION webhooks carry it in `reason` (they have
 * no code), lower-cased, to its code.
 */
const reasonCodes: Readonly<Record<string, string>> = {
  refused: '2',
  referral: '3',
  'acquirer error': '4',
  'blocked card': '5',
  'expired card': '6',
  'invalid amount': '7',
  'invalid card number': '8',
  'issuer unavailable': '9',
  'not supported': '10',
  '3d not authenticated': '11',
  'not enough balance': '12',
  'acquirer fraud': '14',
  cancelled: '15',
  'shopper cancelled': '16',
  'invalid pin': '17',
  'pin tries exceeded': '18',
  'pin validation not possible': '19',
  'fraud (risk score)': '20',
  'not submitted': '21',
  'fraud-cancelled': '22',
  'transaction not permitted': '23',
  'cvc declined': '24',
  'restricted card': '25',
  'revocation of auth': '26',
  'declined non generic': '27',
  'withdrawal amount exceeded': '28',
  'withdrawal count exceeded': '29',
  'issuer suspected fraud': '31',
  'avs declined': '32',
  'card requires online pin': '33',
  'no checking account available on card': '34',
  'no savings account available on card': '35',
  'mobile pin required': '36',
  'contactless fallback': '37',
  'authentication required (soft decline)': '38',
  'rreq not received from ds': '39',
  'current aid is in penalty box': '40',
  'cvm required restart payment': '41',
  '3ds authentication error': '42',
  'transaction blocked by adyen to prevent excessive retry fees': '46',
};

/** The decline for a webhook's `reason` text (Adyen may append details after a colon). */
export function declineForReason(reason: string | undefined): Decline {
  const text = (reason ?? '').trim().toLowerCase();
  const code = reasonCodes[text] ?? reasonCodes[text.split(':')[0]?.trim() ?? ''];
  return declineFor(code);
}
