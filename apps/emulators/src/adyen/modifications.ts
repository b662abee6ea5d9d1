import type {
  Amount,
  PaymentCancelResponse,
  PaymentCaptureRequest,
  PaymentCaptureResponse,
  PaymentRefundResponse,
  PaymentReversalResponse,
} from '@payin/provider-wire/adyen';
import { failingModification } from './cards.js';
import { AdyenError } from './errors.js';
import { decideLocalModification } from './local-methods.js';
import {
  type AdyenState,
  type Modification,
  type ModificationType,
  newPspReference,
  type PaymentRecord,
} from './state.js';

type ModificationBody = Partial<PaymentCaptureRequest> & { reference?: string };

function requireAmount(body: ModificationBody): Amount {
  const amount = body.amount;
  if (!amount || typeof amount !== 'object') throw new AdyenError('amountMissing');
  if (!Number.isInteger(amount.value) || amount.value <= 0 || !/^[A-Z]{3}$/.test(String(amount.currency))) {
    throw new AdyenError('invalidAmount');
  }
  return { currency: amount.currency, value: amount.value };
}

/**
 * Adyen acknowledges a modification at once (201, status "received") and decides it
 * asynchronously, reporting the outcome in a webhook; the emulator decides at once and keeps the
 * outcome in the ledger. Rules from Adyen's "API idempotency" page: captures never exceed what was
 * authorised, refunds never exceed what was captured.
 */
function decide(
  record: PaymentRecord,
  type: ModificationType,
  amount: Amount | undefined,
): Modification['reason'] {
  if (record.resultCode !== 'Authorised') return 'Payment is not authorised';
  if (amount && amount.currency !== record.amount.currency) return 'Currency does not match the payment';
  const failing = failingModification(record.holderName);
  switch (type) {
    case 'capture': {
      if (failing === 'capture') return 'Capture failed (holderName "capture failed")';
      if (record.cancelled) return 'Payment was cancelled';
      if (amount && amount.value > record.authorised - record.captured)
        return 'Insufficient in-process funds';
      return undefined;
    }
    case 'refund': {
      if (failing === 'refund') return 'Refund failed (holderName "refund failed")';
      if (amount && amount.value > record.captured - record.refunded)
        return 'Amount exceeds what was captured';
      return undefined;
    }
    case 'cancel':
      if (record.cancelled) return 'Payment was already cancelled';
      return record.captured > 0 ? 'Payment was already captured' : undefined;
    case 'reversal':
      return record.cancelled ? 'Payment was already cancelled' : undefined;
  }
}

function apply(record: PaymentRecord, type: ModificationType, amount: Amount | undefined): void {
  if (type === 'capture' && amount) record.captured += amount.value;
  if (type === 'refund' && amount) record.refunded += amount.value;
  if (type === 'cancel') record.cancelled = true;
  // Cancelling an unpaid konbini voucher closes it: the store will no longer take it.
  if ((type === 'cancel' || type === 'reversal') && record.voucher?.status === 'pending')
    record.voucher.status = 'cancelled';
  // A reversal (cancelOrRefund) refunds what was captured, or cancels an uncaptured payment.
  if (type === 'reversal') {
    if (record.captured > 0) record.refunded = record.captured;
    else record.cancelled = true;
  }
}

export function modifyPayment(
  state: AdyenState,
  type: ModificationType,
  paymentPspReference: string,
  body: ModificationBody,
): PaymentCaptureResponse | PaymentRefundResponse | PaymentCancelResponse | PaymentReversalResponse {
  if (!body.merchantAccount) throw new AdyenError('merchantAccountMissing');
  const amount = type === 'capture' || type === 'refund' ? requireAmount(body) : undefined;
  const record = state.payments.get(paymentPspReference);
  if (!record) throw new AdyenError('originalPspReference');

  const pspReference = newPspReference();
  const local = decideLocalModification(record, type);
  const reason = local ? local.reason : decide(record, type, amount);
  const modification: Modification = { pspReference, type, status: reason ? 'failed' : 'succeeded' };
  if (amount) modification.amount = amount;
  if (body.reference) modification.reference = body.reference;
  if (reason) modification.reason = reason;
  else apply(record, type, amount);
  if (reason && failingModification(record.holderName) === type) modification.failedLate = true;
  record.modifications.push(modification);
  state.emit({ kind: 'modification', payment: record, modification });

  const answer = {
    merchantAccount: body.merchantAccount,
    paymentPspReference,
    pspReference,
    status: 'received' as const,
    ...(body.reference ? { reference: body.reference } : {}),
  };
  return amount ? { ...answer, amount } : answer;
}
