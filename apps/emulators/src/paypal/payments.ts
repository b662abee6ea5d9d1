import { invalid, notFound, unprocessable } from './errors.js';
import type { Outcome } from './idempotency.js';
import { type Amount, amountOf } from './money.js';
import type { OrdersContext } from './orders.js';
import { authorizationOf, captureOf, refundOf } from './representations.js';
import {
  type AuthorizationRecord,
  type CaptureRecord,
  type OrderRecord,
  paypalId,
  type RefundRecord,
  timestamp,
} from './state.js';

export interface PaymentsContext extends OrdersContext {
  /** Called for a capture left PENDING (pending payer): the emulator settles it later. */
  onPending?: (captureId: string) => void;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function optionalText(value: unknown, field: string, max: number): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid('payments', 'INVALID_PARAMETER_VALUE', field, String(value));
  if (value.length < 1 || value.length > max)
    throw invalid('payments', 'INVALID_STRING_LENGTH', field, value);
  return value;
}

/**
 * A capture as the payer's choice on the approval page makes it: COMPLETED, or PENDING with
 * `status_details.reason` PENDING_REVIEW (settled later: PAYMENT.CAPTURE.COMPLETED or DENIED).
 */
export function captureWithOutcome(
  ctx: PaymentsContext,
  order: OrderRecord,
  fields: {
    amount: Amount;
    customId?: string;
    invoiceId?: string;
    finalCapture: boolean;
    authorizationId?: string;
    noteToPayer?: string;
  },
): CaptureRecord {
  const stamp = timestamp(ctx.now());
  const pending = order.outcome === 'pending';
  const capture: CaptureRecord = {
    id: paypalId(),
    orderId: order.id,
    status: pending ? 'PENDING' : 'COMPLETED',
    ...(pending ? { reason: 'PENDING_REVIEW' } : {}),
    refunded: 0,
    refundIds: [],
    createTime: stamp,
    updateTime: stamp,
    ...fields,
  };
  ctx.state.captures.set(capture.id, capture);
  ctx.state.emit({ type: pending ? 'PAYMENT.CAPTURE.PENDING' : 'PAYMENT.CAPTURE.COMPLETED', capture });
  if (pending) ctx.onPending?.(capture.id);
  return capture;
}

/** Ends a PENDING capture: COMPLETED (the review cleared) or DECLINED (it did not), with its webhook. */
export function settleCapture(
  ctx: PaymentsContext,
  id: string,
  status: 'COMPLETED' | 'DECLINED',
): CaptureRecord | undefined {
  const capture = ctx.state.captures.get(id);
  if (capture?.status !== 'PENDING') return undefined;
  capture.status = status;
  if (status === 'COMPLETED') delete capture.reason;
  else capture.reason = 'DECLINED_BY_RISK_FRAUD_FILTERS';
  capture.updateTime = timestamp(ctx.now());
  ctx.state.emit({
    type: status === 'COMPLETED' ? 'PAYMENT.CAPTURE.COMPLETED' : 'PAYMENT.CAPTURE.DENIED',
    capture,
  });
  return capture;
}

function findAuthorization(ctx: PaymentsContext, id: string): AuthorizationRecord {
  const authorization = ctx.state.authorizations.get(id);
  if (!authorization) throw notFound('payments', 'authorization_id', id);
  return authorization;
}

function findCapture(ctx: PaymentsContext, id: string): CaptureRecord {
  const capture = ctx.state.captures.get(id);
  if (!capture) throw notFound('payments', 'capture_id', id);
  return capture;
}

const authorizationOutcome = (ctx: PaymentsContext, status: number, id: string): Outcome => ({
  status,
  render: (_prefer, base) => authorizationOf(ctx.state.authorizations.get(id) as AuthorizationRecord, base),
});

const captureOutcome = (ctx: PaymentsContext, status: number, id: string): Outcome => ({
  status,
  render: (prefer, base) => {
    const capture = captureOf(ctx.state.captures.get(id) as CaptureRecord, base);
    return prefer === 'representation'
      ? capture
      : { id: capture.id, status: capture.status, links: capture.links };
  },
});

export function getAuthorization(ctx: PaymentsContext, id: string): Outcome {
  findAuthorization(ctx, id);
  return authorizationOutcome(ctx, 200, id);
}

export function getCapture(ctx: PaymentsContext, id: string): Outcome {
  findCapture(ctx, id);
  const outcome = captureOutcome(ctx, 200, id);
  return { status: 200, render: (_prefer, base) => outcome.render('representation', base) };
}

export function getRefund(ctx: PaymentsContext, id: string): Outcome {
  if (!ctx.state.refunds.has(id)) throw notFound('payments', 'refund_id', id);
  return {
    status: 200,
    render: (_prefer, base) => refundOf(ctx.state.refunds.get(id) as RefundRecord, base),
  };
}

/** Captures may add up to 115% of the authorized amount (the spec's MAX_CAPTURE_AMOUNT_EXCEEDED). */
const OVERCAPTURE = 1.15;

/**
 * POST /v2/payments/authorizations/{id}/capture: the whole authorization without an amount, or
 * part of it; `final_capture: true` closes it (CAPTURED), otherwise it stays PARTIALLY_CAPTURED
 * until the amount is reached.
 */
export function captureAuthorization(ctx: PaymentsContext, id: string, body: unknown): Outcome {
  const authorization = findAuthorization(ctx, id);
  const request = isObject(body) ? body : {};
  if (body !== undefined && !isObject(body)) throw invalid('payments', 'MALFORMED_REQUEST_JSON', '/');
  if (authorization.status === 'VOIDED') throw unprocessable('payments', 'AUTHORIZATION_VOIDED');
  if (authorization.status === 'CAPTURED') throw unprocessable('payments', 'AUTHORIZATION_ALREADY_CAPTURED');
  const amount =
    request.amount === undefined
      ? {
          currency: authorization.amount.currency,
          minor: authorization.amount.minor - authorization.captured,
        }
      : amountOf('payments', request.amount, '/amount');
  if (amount.currency !== authorization.amount.currency)
    throw unprocessable(
      'payments',
      'AUTH_CAPTURE_CURRENCY_MISMATCH',
      '/amount/currency_code',
      amount.currency,
    );
  if (authorization.captured + amount.minor > Math.round(authorization.amount.minor * OVERCAPTURE))
    throw unprocessable('payments', 'MAX_CAPTURE_AMOUNT_EXCEEDED', '/amount/value');
  if (request.final_capture !== undefined && typeof request.final_capture !== 'boolean')
    throw invalid('payments', 'INVALID_PARAMETER_VALUE', '/final_capture', String(request.final_capture));
  const order = ctx.state.orders.get(authorization.orderId) as OrderRecord;
  authorization.captured += amount.minor;
  const finalCapture = request.final_capture === true || authorization.captured >= authorization.amount.minor;
  const capture = captureWithOutcome(ctx, order, {
    amount,
    authorizationId: authorization.id,
    customId: authorization.customId,
    invoiceId: optionalText(request.invoice_id, '/invoice_id', 127) ?? authorization.invoiceId,
    noteToPayer: optionalText(request.note_to_payer, '/note_to_payer', 255),
    finalCapture,
  });
  authorization.captureIds.push(capture.id);
  authorization.status = finalCapture ? 'CAPTURED' : 'PARTIALLY_CAPTURED';
  authorization.updateTime = capture.createTime;
  return captureOutcome(ctx, 201, capture.id);
}

/**
 * POST /v2/payments/authorizations/{id}/void: 204 No Content by default, the voided
 * authorization with `Prefer: return=representation`.
 */
export function voidAuthorization(ctx: PaymentsContext, id: string): Outcome {
  const authorization = findAuthorization(ctx, id);
  if (authorization.status === 'VOIDED') throw unprocessable('payments', 'PREVIOUSLY_VOIDED');
  if (authorization.status !== 'CREATED') throw unprocessable('payments', 'PREVIOUSLY_CAPTURED');
  authorization.status = 'VOIDED';
  authorization.updateTime = timestamp(ctx.now());
  ctx.state.emit({ type: 'PAYMENT.AUTHORIZATION.VOIDED', authorization });
  const outcome = authorizationOutcome(ctx, 200, id);
  return {
    status: 200,
    render: (prefer, base) => (prefer === 'representation' ? outcome.render(prefer, base) : undefined),
  };
}

/**
 * POST /v2/payments/authorizations/{id}/reauthorize: a new authorization for the amount given
 * (or the original one), up to 115% of it, in the same currency.
 */
export function reauthorize(ctx: PaymentsContext, id: string, body: unknown): Outcome {
  const authorization = findAuthorization(ctx, id);
  const request = isObject(body) ? body : {};
  if (authorization.status === 'VOIDED') throw unprocessable('payments', 'AUTHORIZATION_VOIDED');
  if (authorization.status !== 'CREATED') throw unprocessable('payments', 'AUTHORIZATION_ALREADY_CAPTURED');
  const amount =
    request.amount === undefined ? authorization.amount : amountOf('payments', request.amount, '/amount');
  if (amount.currency !== authorization.amount.currency)
    throw unprocessable('payments', 'AUTH_CURRENCY_MISMATCH', '/amount/currency_code', amount.currency);
  if (amount.minor > Math.round(authorization.amount.minor * OVERCAPTURE))
    throw unprocessable('payments', 'TRANSACTION_REFUSED', '/amount/value');
  const now = ctx.now();
  const renewed: AuthorizationRecord = {
    ...authorization,
    id: paypalId(),
    amount,
    captured: 0,
    captureIds: [],
    createTime: timestamp(now),
    updateTime: timestamp(now),
    expirationTime: timestamp(new Date(now.getTime() + 29 * 86_400_000)),
  };
  ctx.state.authorizations.set(renewed.id, renewed);
  const order = ctx.state.orders.get(authorization.orderId);
  order?.purchaseUnits
    .find((unit) => unit.referenceId === authorization.referenceId)
    ?.authorizationIds.push(renewed.id);
  ctx.state.emit({ type: 'PAYMENT.AUTHORIZATION.CREATED', authorization: renewed });
  return authorizationOutcome(ctx, 201, renewed.id);
}

/**
 * POST /v2/payments/captures/{id}/refund: the rest of the capture without an amount, or part of
 * it up to what remains (REFUND_AMOUNT_EXCEEDED past it, CAPTURE_FULLY_REFUNDED once nothing does).
 */
export function refundCapture(ctx: PaymentsContext, id: string, body: unknown): Outcome {
  const capture = findCapture(ctx, id);
  const request = isObject(body) ? body : {};
  if (body !== undefined && !isObject(body)) throw invalid('payments', 'MALFORMED_REQUEST_JSON', '/');
  if (capture.status === 'PENDING') throw unprocessable('payments', 'PENDING_CAPTURE');
  if (capture.status === 'DECLINED') throw unprocessable('payments', 'REFUND_NOT_ALLOWED');
  if (capture.status === 'REFUNDED') throw unprocessable('payments', 'CAPTURE_FULLY_REFUNDED');
  const remaining = capture.amount.minor - capture.refunded;
  const amount =
    request.amount === undefined
      ? { currency: capture.amount.currency, minor: remaining }
      : amountOf('payments', request.amount, '/amount');
  if (amount.currency !== capture.amount.currency)
    throw unprocessable(
      'payments',
      'REFUND_CAPTURE_CURRENCY_MISMATCH',
      '/amount/currency_code',
      amount.currency,
    );
  if (amount.minor > remaining) throw unprocessable('payments', 'REFUND_AMOUNT_EXCEEDED', '/amount/value');
  const stamp = timestamp(ctx.now());
  const refund: RefundRecord = {
    id: paypalId(),
    captureId: capture.id,
    amount,
    status: 'COMPLETED',
    customId: optionalText(request.custom_id, '/custom_id', 127) ?? capture.customId,
    invoiceId: optionalText(request.invoice_id, '/invoice_id', 127) ?? capture.invoiceId,
    noteToPayer: optionalText(request.note_to_payer, '/note_to_payer', 255),
    createTime: stamp,
    updateTime: stamp,
  };
  ctx.state.refunds.set(refund.id, refund);
  capture.refunded += amount.minor;
  capture.refundIds.push(refund.id);
  capture.status = capture.refunded >= capture.amount.minor ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
  capture.updateTime = stamp;
  ctx.state.emit({ type: 'PAYMENT.CAPTURE.REFUNDED', refund, capture });
  return {
    status: 201,
    render: (prefer, base) => {
      const body = refundOf(ctx.state.refunds.get(refund.id) as RefundRecord, base);
      return prefer === 'representation' ? body : { id: body.id, status: body.status, links: body.links };
    },
  };
}
