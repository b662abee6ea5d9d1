import { randomBytes } from 'node:crypto';
import type {
  CardDetails,
  CheckoutRedirectAction,
  PaymentDetailsRequest,
  PaymentRequest,
  PaymentResponse,
} from '@payin/provider-wire/adyen';
import {
  brandOf,
  type CardOutcome,
  challengeCards,
  expired,
  frictionlessCards,
  genericDecline,
  luhnValid,
  notAuthenticated,
  outcomeForHolderName,
} from './cards.js';
import { AdyenError } from './errors.js';
import { type AdyenState, newPspReference, type PaymentRecord } from './state.js';

/** Test cards take this CVC (7373 for American Express); another one is a generic decline. */
const TEST_CVC = { visa: '737', mc: '737', amex: '7373' } as const;

/** Reads the fields Adyen checks first, in the order its validation reports them. */
export function requirePaymentFields(body: Partial<PaymentRequest>) {
  if (!body.merchantAccount) throw new AdyenError('merchantAccountMissing');
  const amount = body.amount;
  if (!amount || typeof amount !== 'object') throw new AdyenError('amountMissing');
  if (!Number.isInteger(amount.value) || amount.value < 0 || !/^[A-Z]{3}$/.test(String(amount.currency))) {
    throw new AdyenError('invalidAmount');
  }
  if (!body.reference) throw new AdyenError('referenceMissing');
  if (!body.paymentMethod || typeof body.paymentMethod !== 'object')
    throw new AdyenError('paymentMethodMissing');
  if (!body.returnUrl) throw new AdyenError('returnUrlMissing');
  return {
    merchantAccount: body.merchantAccount,
    amount,
    reference: body.reference,
    returnUrl: body.returnUrl,
  };
}

function decideCard(card: CardDetails, pspReference: string, now: Date): CardOutcome | 'challenge' {
  const number = String(card.number ?? '').replace(/\s/g, '');
  if (!luhnValid(number)) throw new AdyenError('invalidCardNumber', pspReference);
  const brand = brandOf(number);
  if (!brand) throw new AdyenError('unknownVariant', pspReference);
  const month = Number(card.expiryMonth);
  const year = Number(card.expiryYear);
  if (!card.expiryMonth || !card.expiryYear || !(month >= 1 && month <= 12) || !(year >= 2000)) {
    throw new AdyenError('expiryMissing', pspReference);
  }
  if (card.cvc !== undefined && card.cvc.length !== (brand === 'amex' ? 4 : 3)) {
    throw new AdyenError('cvcLength', pspReference);
  }
  // Result-codes page: "If you specify an incorrect CVC or an invalid expiry date, the payment
  // fails and the operation returns a generic DECLINED refusal reason."
  if (expired(month, year, now) || (card.cvc !== undefined && card.cvc !== TEST_CVC[brand]))
    return genericDecline;
  const byName = outcomeForHolderName(card.holderName);
  if (byName) return byName;
  if (frictionlessCards.has(number)) return { resultCode: 'Authorised', authenticated: true };
  return challengeCards.has(number) ? 'challenge' : { resultCode: 'Authorised' };
}

/** The answer Adyen gives for a decided card payment. */
function paymentAnswer(record: PaymentRecord, outcome: CardOutcome): PaymentResponse {
  const brand = record.brand;
  const answer: PaymentResponse = {
    additionalData: {
      cardSummary: record.cardNumberTail ?? '',
      paymentMethod: brand,
      merchantReference: record.reference,
    },
    pspReference: record.pspReference,
    resultCode: outcome.resultCode,
    amount: record.amount,
    merchantReference: record.reference,
    paymentMethod: { brand, type: 'scheme' },
  };
  if (outcome.resultCode === 'Authorised' && answer.additionalData) {
    answer.additionalData.authCode = String(100000 + (randomBytes(3).readUIntBE(0, 3) % 900000));
  }
  if (outcome.authenticated && answer.additionalData) {
    Object.assign(answer.additionalData, {
      threeDOffered: 'true',
      threeDAuthenticated: 'true',
      liabilityShift: 'true',
    });
  }
  if (outcome.refusalReason) answer.refusalReason = outcome.refusalReason;
  if (outcome.refusalReasonCode) answer.refusalReasonCode = outcome.refusalReasonCode;
  return answer;
}

/**
 * The outcome on the record. An authorisation without `additionalData.manualCapture` is captured
 * at once, as with an account's default immediate capture (docs.adyen.com/online-payments/capture):
 * Adyen sends no CAPTURE webhook for it unless the account asks for one.
 */
function settle(record: PaymentRecord, outcome: CardOutcome): void {
  record.resultCode = outcome.resultCode;
  record.authorised = outcome.resultCode === 'Authorised' ? record.amount.value : 0;
  if (outcome.resultCode === 'Authorised' && !record.manualCapture) record.captured = record.amount.value;
}

/** POST /payments for `paymentMethod.type: "scheme"` with raw card fields. */
export function createPayment(
  state: AdyenState,
  body: Partial<PaymentRequest>,
  publicUrl: string,
  now: Date,
) {
  const fields = requirePaymentFields(body);
  const card = body.paymentMethod as CardDetails;
  if (card.type !== undefined && card.type !== 'scheme') throw new AdyenError('unsupportedPaymentMethod');
  const pspReference = newPspReference();
  const decision = decideCard(card, pspReference, now);
  const number = String(card.number).replace(/\s/g, '');
  const record: PaymentRecord = {
    pspReference,
    merchantAccount: fields.merchantAccount,
    reference: fields.reference,
    amount: { currency: fields.amount.currency, value: fields.amount.value },
    resultCode: 'Pending',
    holderName: card.holderName,
    manualCapture: body.additionalData?.manualCapture === 'true',
    authorised: 0,
    captured: 0,
    refunded: 0,
    cancelled: false,
    modifications: [],
    returnUrl: fields.returnUrl,
    cardNumberTail: number.slice(-4),
    brand: brandOf(number) ?? 'visa',
  };
  state.payments.set(pspReference, record);

  if (decision !== 'challenge') {
    settle(record, decision);
    const answer = paymentAnswer(record, decision);
    if (decision.resultCode !== 'Received') state.emit({ kind: 'authorisation', payment: record, answer });
    return answer;
  }
  // A browser flow without the native 3DS2 SDK (channel Web, returnUrl, no
  // authenticationData.threeDSRequestData.nativeThreeDS) is answered RedirectShopper with a
  // GET redirect action, as in the spec's "card-3d-secure-redirect" example; the shopper comes
  // back to returnUrl with `redirectResult`, which /payments/details completes.
  record.resultCode = 'RedirectShopper';
  const token = randomBytes(18).toString('base64url');
  state.challenges.set(token, { token, pspReference, returnUrl: fields.returnUrl });
  const action: CheckoutRedirectAction = {
    paymentMethodType: 'scheme',
    url: `${publicUrl}/adyen/threeDS/redirect?token=${token}`,
    method: 'GET',
    type: 'redirect',
  };
  const answer: PaymentResponse = {
    additionalData: {
      cardSummary: number.slice(-4),
      paymentMethod: record.brand,
      'threeds2.cardEnrolled': 'true',
      merchantReference: record.reference,
    },
    pspReference,
    resultCode: 'RedirectShopper',
    action,
  };
  return answer;
}

/** POST /payments/details with the `redirectResult` the challenge page handed back. */
export function paymentDetails(state: AdyenState, body: Partial<PaymentDetailsRequest>): PaymentResponse {
  const details = body.details;
  if (!details || typeof details !== 'object') throw new AdyenError('detailsMissing');
  const challenge = details.redirectResult ? state.challengesByResult.get(details.redirectResult) : undefined;
  const record = challenge && state.payments.get(challenge.pspReference);
  if (!challenge || !record) throw new AdyenError('invalidRedirectResult');
  if (record.final) return record.final;
  const outcome: CardOutcome = challenge.passed
    ? { resultCode: 'Authorised', authenticated: true }
    : notAuthenticated;
  settle(record, outcome);
  record.final = paymentAnswer(record, outcome);
  state.emit({ kind: 'authorisation', payment: record, answer: record.final });
  return record.final;
}
