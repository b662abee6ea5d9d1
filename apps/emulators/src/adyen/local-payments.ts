import { randomBytes } from 'node:crypto';
import type { PaymentDetailsRequest, PaymentRequest, PaymentResponse } from '@payin/provider-wire/adyen';
import { AdyenError } from './errors.js';
import { type LocalMethod, withinLimits } from './local-methods.js';
import { requirePaymentFields } from './payments.js';
import { type AdyenState, newPspReference, type PaymentRecord, type ShopperRedirect } from './state.js';
import { voucherAction } from './vouchers.js';

type RedirectAction = Extract<NonNullable<PaymentResponse['action']>, { type: 'redirect' }>;

/** Shopper details a konbini voucher requires, from `paymentMethod` or the request's top level. */
interface VoucherShopper {
  firstName: string;
  lastName: string;
  shopperEmail: string;
  telephoneNumber: string;
}

/**
 * CheckoutService-v71 EcontextVoucherDetails requires firstName, lastName, shopperEmail and
 * telephoneNumber in `paymentMethod`; Adyen's API-only page has them sent as the request's
 * `shopperName`, `shopperEmail` and `telephoneNumber`. Either is read, the payment method first.
 */
function voucherShopper(body: Partial<PaymentRequest>, pspReference: string): VoucherShopper {
  const method = body.paymentMethod as Record<string, unknown>;
  const pick = (fromMethod: unknown, fromRequest: unknown) =>
    typeof fromMethod === 'string' && fromMethod.trim() !== '' ? fromMethod : fromRequest;
  const fields = {
    firstName: pick(method.firstName, body.shopperName?.firstName),
    lastName: pick(method.lastName, body.shopperName?.lastName),
    shopperEmail: pick(method.shopperEmail, body.shopperEmail),
    telephoneNumber: pick(method.telephoneNumber, body.telephoneNumber),
  };
  for (const [field, value] of Object.entries(fields)) {
    if (typeof value !== 'string' || value.trim() === '') {
      throw new AdyenError(
        'requiredFieldMissing',
        pspReference,
        `Required field '${field}' is not provided.`,
      );
    }
  }
  // "+31 20 779 1846" is accepted; "+31 (0)20 779 1846" and "0031 20 779 1846" are not.
  if (!/^\+\d[\d ]{6,}\d$/.test(String(fields.telephoneNumber).trim())) {
    throw new AdyenError('telephoneNumberInvalid', pspReference);
  }
  return fields as VoucherShopper;
}

/** POST /payments for Bizum, PayPay and the konbini vouchers. */
export function createLocalPayment(
  state: AdyenState,
  body: Partial<PaymentRequest>,
  method: LocalMethod,
  ctx: { publicUrl: string; now: Date; voucherValidityMs: number },
): PaymentResponse {
  const fields = requirePaymentFields(body);
  const pspReference = newPspReference();
  const { currency, value } = fields.amount;
  if (currency !== method.currency) {
    throw new AdyenError(
      'noAcquirerAccount',
      pspReference,
      `Could not find an acquirer account for the provided txvariant (${method.type}), currency (${currency}), and action (AUTH).`,
    );
  }
  if (!withinLimits(method, value)) throw new AdyenError('invalidAmount', pspReference);
  const shopper = method.flow === 'voucher' ? voucherShopper(body, pspReference) : undefined;

  const record: PaymentRecord = {
    pspReference,
    merchantAccount: fields.merchantAccount,
    reference: fields.reference,
    amount: { currency, value },
    resultCode: 'Pending',
    // Where Adyen allows no separate capture, the payment is captured at once whatever is asked.
    manualCapture: method.separateCaptures && body.additionalData?.manualCapture === 'true',
    brand: method.type,
    authorised: 0,
    captured: 0,
    refunded: 0,
    cancelled: false,
    modifications: [],
    returnUrl: fields.returnUrl,
  };
  state.payments.set(pspReference, record);

  if (shopper) {
    record.resultCode = 'PresentToShopper';
    const action = voucherAction(record, method, shopper.telephoneNumber, ctx);
    return { pspReference, resultCode: 'PresentToShopper', merchantReference: record.reference, action };
  }

  record.resultCode = 'RedirectShopper';
  const token = randomBytes(18).toString('base64url');
  state.redirects.set(token, {
    token,
    pspReference,
    paymentMethodType: method.type,
    returnUrl: fields.returnUrl,
  });
  const url = `${ctx.publicUrl}/adyen/redirect/${method.type}`;
  // Bizum's page is reached by posting `data` as a form (Adyen's Bizum API-only page); PayPay's
  // by following the URL.
  const action: RedirectAction =
    method.redirectMethod === 'POST'
      ? { paymentMethodType: method.type, url, method: 'POST', data: { token }, type: 'redirect' }
      : { paymentMethodType: method.type, url: `${url}?token=${token}`, method: 'GET', type: 'redirect' };
  return { pspReference, resultCode: 'RedirectShopper', action };
}

/** Whether `redirectResult` came back from a local method's page (rather than a 3DS challenge). */
export function isLocalRedirectResult(state: AdyenState, body: Partial<PaymentDetailsRequest>): boolean {
  const result = body.details?.redirectResult;
  return typeof result === 'string' && state.redirectsByResult.has(result);
}

const outcomes = {
  confirmed: { resultCode: 'Authorised' },
  cancelled: { resultCode: 'Cancelled' },
  refused: { resultCode: 'Refused', refusalReason: 'Refused', refusalReasonCode: '2' },
} as const satisfies Record<NonNullable<ShopperRedirect['outcome']>, Partial<PaymentResponse>>;

/** POST /payments/details with the `redirectResult` the Bizum or PayPay page handed back. */
export function localPaymentDetails(
  state: AdyenState,
  body: Partial<PaymentDetailsRequest>,
): PaymentResponse {
  const redirect = state.redirectsByResult.get(body.details?.redirectResult ?? '');
  const record = redirect && state.payments.get(redirect.pspReference);
  if (!redirect?.outcome || !record) throw new AdyenError('invalidRedirectResult');
  if (record.final) return record.final;
  const outcome = outcomes[redirect.outcome];
  record.resultCode = outcome.resultCode;
  if (outcome.resultCode === 'Authorised') {
    record.authorised = record.amount.value;
    if (!record.manualCapture) record.captured = record.amount.value;
  }
  record.final = {
    additionalData: { paymentMethod: record.brand, merchantReference: record.reference },
    pspReference: record.pspReference,
    merchantReference: record.reference,
    amount: record.amount,
    paymentMethod: { type: record.brand },
    ...outcome,
  };
  state.emit({ kind: 'authorisation', payment: record, answer: record.final });
  return record.final;
}
