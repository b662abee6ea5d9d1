import { randomBytes, randomInt } from 'node:crypto';
import type { PaymentResponse } from '@payin/provider-wire/adyen';
import type { LocalMethod } from './local-methods.js';
import type { AdyenState, PaymentRecord } from './state.js';

type VoucherAction = Extract<NonNullable<PaymentResponse['action']>, { type: 'voucher' }>;

/** How long a konbini voucher can be paid when the emulator is not told otherwise: 3 days. */
export const DEFAULT_VOUCHER_VALIDITY_MS = 3 * 24 * 60 * 60 * 1000;

/** A voucher's reference: 13 digits for 7-Eleven's payment slip, 6 for the other stores. */
const voucherReference = (type: string) =>
  Array.from({ length: type === 'econtext_seven_eleven' ? 13 : 6 }, () => randomInt(10)).join('');

/**
 * Adyen writes a konbini voucher's `expiresAt` in Japan's local time without an offset
 * ("2021-04-02T18:46:00", as in the econtext_stores action its own SDKs are tested with).
 */
export const japanLocalTime = (at: Date) =>
  new Date(at.getTime() + 9 * 60 * 60 * 1000).toISOString().slice(0, 19);

/** "+81 90 1234 5678" → "81********78": the first and last two digits, as Adyen masks it. */
const maskTelephone = (telephone: string) => {
  const digits = telephone.replace(/\D/g, '');
  return `${digits.slice(0, 2)}${'*'.repeat(Math.max(digits.length - 4, 0))}${digits.slice(-2)}`;
};

/**
 * Issues the voucher of a konbini payment and answers its `voucher` action (CheckoutVoucherAction):
 * reference, amounts, expiry, instructions and the masked telephone number. The emulator serves
 * the instructions page itself; for 7-Eleven that page is also the `url` the shopper is sent to
 * (Adyen's konbini page: "Redirect your shopper to a 7-Eleven page where they see the voucher").
 * `collectionInstitutionNumber` is left out: the spec gives it to Pay-easy ATM vouchers only.
 */
export function voucherAction(
  record: PaymentRecord,
  method: LocalMethod,
  telephoneNumber: string,
  ctx: { publicUrl: string; now: Date; voucherValidityMs: number },
): VoucherAction {
  const voucher = {
    reference: voucherReference(method.type),
    token: randomBytes(18).toString('base64url'),
    expiresAt: new Date(ctx.now.getTime() + ctx.voucherValidityMs),
    status: 'pending' as const,
  };
  record.voucher = voucher;
  const page = `${ctx.publicUrl}/adyen/vouchers/${voucher.token}`;
  return {
    type: 'voucher',
    paymentMethodType: method.type,
    reference: voucher.reference,
    initialAmount: record.amount,
    totalAmount: record.amount,
    expiresAt: japanLocalTime(voucher.expiresAt),
    instructionsUrl: page,
    maskedTelephoneNumber: maskTelephone(telephoneNumber),
    merchantName: record.merchantAccount,
    merchantReference: record.reference,
    ...(method.type === 'econtext_seven_eleven' ? { url: page } : {}),
  };
}

/**
 * Closes every voucher still unpaid at its expiry: it can no longer be paid, and Adyen reports it
 * with OFFER_CLOSED ("The offer expired", Webhooks-v1) instead of an authorisation.
 */
export function expireDueVouchers(state: AdyenState, now: Date): number {
  let expired = 0;
  for (const payment of state.payments.values()) {
    const voucher = payment.voucher;
    if (voucher?.status !== 'pending' || voucher.expiresAt > now) continue;
    voucher.status = 'expired';
    state.emit({ kind: 'offerClosed', payment });
    expired += 1;
  }
  return expired;
}

export type VoucherPayment =
  | { ok: true; payment: PaymentRecord }
  | { ok: false; status: 404 | 409; error: string };

/**
 * The shopper pays the voucher at the store: the payment is authorised and, cash in hand, captured
 * at once; the AUTHORISATION webhook follows. An expired, cancelled or already paid voucher is
 * refused, as the store's terminal would.
 */
export function payVoucher(state: AdyenState, pspReference: string, now: Date): VoucherPayment {
  const payment = state.payments.get(pspReference);
  if (!payment?.voucher) return { ok: false, status: 404, error: `No voucher for payment ${pspReference}` };
  expireDueVouchers(state, now);
  const voucher = payment.voucher;
  if (voucher.status !== 'pending') {
    return { ok: false, status: 409, error: `The voucher is ${voucher.status}: it can no longer be paid` };
  }
  voucher.status = 'paid';
  payment.resultCode = 'Authorised';
  payment.authorised = payment.amount.value;
  payment.captured = payment.amount.value;
  payment.final = {
    additionalData: { paymentMethod: payment.brand, merchantReference: payment.reference },
    pspReference: payment.pspReference,
    merchantReference: payment.reference,
    amount: payment.amount,
    paymentMethod: { type: payment.brand },
    resultCode: 'Authorised',
  };
  state.emit({ kind: 'authorisation', payment, answer: payment.final });
  return { ok: true, payment };
}
