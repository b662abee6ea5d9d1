import type {
  AttemptRef,
  AuthorizationOutcome,
  AuthorizeRequest,
  CancelRequest,
  CaptureRequest,
  Connector,
  ConnectorCapabilities,
  ModificationOutcome,
  RefundRequest,
  StatusOutcome,
} from '@payin/core';
import type { Authorization, Capture, Order, Refund } from '@payin/provider-wire/paypal';
import { PayPalAccessTokens, type PayPalAccount } from './account.js';
import { type PayPalCall, PayPalClient } from './client.js';
import { EXPIRED, reasonFor } from './errors.js';
import {
  approvalUrl,
  captureToRefund,
  completedOutcome,
  orderRequest,
  orderStatus,
  paypalDecimals,
  paypalMoney,
} from './transformers.js';

export const paypalCapabilities: ConnectorCapabilities = {
  paymentMethodTypes: ['paypal'],
  countries: '*',
  currencies: Object.keys(paypalDecimals),
  manualCapture: true,
  partialCapture: true,
  multipleCaptures: true,
  partialRefund: true,
  statusInquiry: true,
  testModeOnly: false,
};

/** How long payin waits for PayPal before the outcome is unknown. */
export const PAYPAL_TIMEOUT_MS = 30_000;

const unreachable = {
  code: 'processing_error',
  message: 'PayPal could not be reached. Nothing was charged; try again.',
};

/**
 * PayPal Checkout through Orders v2 (https://developer.paypal.com/docs/api/orders/v2/), one
 * instance per REST app. The payer approves the order on PayPal's page; payin captures it (or
 * authorizes it, for manual capture) when they return. Every POST carries a PayPal-Request-Id
 * derived from payin's key of the operation, so a retry learns what the first one did.
 */
export class PayPalConnector implements Connector {
  readonly name = 'paypal';
  readonly capabilities = paypalCapabilities;
  private readonly client: PayPalClient;

  constructor(
    readonly account: PayPalAccount,
    deps: { fetch?: typeof fetch; timeoutMs?: number } = {},
  ) {
    const send: typeof fetch = (input, init) => (deps.fetch ?? fetch)(input, init);
    const timeoutMs = deps.timeoutMs ?? PAYPAL_TIMEOUT_MS;
    const tokens = new PayPalAccessTokens(account, { fetch: send, timeoutMs });
    this.client = new PayPalClient(account, tokens, { fetch: send, timeoutMs });
  }

  async authorize(req: AuthorizeRequest): Promise<AuthorizationOutcome> {
    const body = orderRequest(req);
    if (!body) {
      return {
        status: 'failed',
        error: {
          code: 'processing_error',
          message: `PayPal cannot take this amount in ${req.currency}. Nothing was charged.`,
        },
      };
    }
    const call = await this.postRetried<Order>('/v2/checkout/orders', body, req.idempotencyKey);
    if (call.kind !== 'answered') return authorizationFailure(call);
    const order = call.body;
    if (!order?.id) return { status: 'unknown', reason: 'PayPal created an order without an id' };
    if (order.status === 'COMPLETED') return completedOutcome(order, req.capture);
    const url = approvalUrl(order);
    if (!url) {
      return {
        status: 'unknown',
        providerReference: order.id,
        reason: `PayPal answered order ${order.status ?? '(no status)'} without an approval link`,
      };
    }
    return {
      status: 'requires_action',
      providerReference: order.id,
      action: { type: 'redirect_to_url', url },
    };
  }

  /**
   * The payer is back from PayPal: from `cancel_url` (`outcome=cancel`), or from `return_url`
   * having approved, when the order is captured (or authorized) now.
   */
  async completeAction(attempt: AttemptRef, params: Record<string, string>): Promise<AuthorizationOutcome> {
    const ref = attempt.providerReference ? { providerReference: attempt.providerReference } : {};
    if (params.outcome === 'cancel') {
      return {
        status: 'failed',
        ...ref,
        error: { code: 'canceled_by_shopper', message: 'The payment was cancelled at PayPal.' },
      };
    }
    if (!attempt.providerReference) return { status: 'unknown', reason: 'the attempt has no PayPal order' };
    return this.complete(attempt, attempt.providerReference);
  }

  async capture(req: CaptureRequest): Promise<ModificationOutcome> {
    const found = await this.order(req.attempt);
    if (found.kind !== 'answered') return modificationFailure(found);
    const authorization = found.body?.purchase_units?.[0]?.payments?.authorizations?.[0];
    if (!authorization?.id)
      return { status: 'failed', reason: 'the PayPal order has no authorization to capture' };
    const amount = paypalMoney(req.amount, req.attempt.currency);
    if (!amount)
      return { status: 'failed', reason: `PayPal cannot take this amount in ${req.attempt.currency}` };
    const call = await this.client.call<Capture>(
      'POST',
      `/v2/payments/authorizations/${encodeURIComponent(authorization.id)}/capture`,
      {
        body: { amount, invoice_id: req.captureId, final_capture: req.final },
        idempotencyKey: req.idempotencyKey,
        representation: true,
      },
    );
    if (call.kind !== 'answered') return modificationFailure(call);
    return paymentOutcome(call.body?.id, call.body?.status, 'capture');
  }

  async cancel(req: CancelRequest): Promise<ModificationOutcome> {
    const found = await this.order(req.attempt);
    if (found.kind !== 'answered') return modificationFailure(found);
    const authorization = found.body?.purchase_units?.[0]?.payments?.authorizations?.[0];
    if (!authorization?.id)
      return { status: 'failed', reason: 'the PayPal order has no authorization to void' };
    const call = await this.client.call<Authorization>(
      'POST',
      `/v2/payments/authorizations/${encodeURIComponent(authorization.id)}/void`,
      { idempotencyKey: req.idempotencyKey, representation: true },
    );
    // Voided before (it expired, or the merchant voided it at PayPal): what was asked is so.
    if (call.kind === 'rejected' && call.refusal.issue === 'PREVIOUSLY_VOIDED') {
      return { status: 'succeeded', providerReference: authorization.id };
    }
    if (call.kind !== 'answered') return modificationFailure(call);
    // 204 without a body is PayPal's "voided" when it ignores the Prefer header.
    if (call.body === undefined || call.body.status === 'VOIDED') {
      return { status: 'succeeded', providerReference: authorization.id };
    }
    return { status: 'unknown', reason: `PayPal answered the void with status ${String(call.body.status)}` };
  }

  async refund(req: RefundRequest): Promise<ModificationOutcome> {
    const found = await this.order(req.attempt);
    if (found.kind !== 'answered' || !found.body) return modificationFailure(found);
    const capture = captureToRefund(found.body, req.amount);
    if (!capture) {
      return {
        status: 'failed',
        reason: 'PayPal refunds one capture at a time, and no capture of this payment covers this amount',
      };
    }
    const amount = paypalMoney(req.amount, req.currency);
    if (!amount) return { status: 'failed', reason: `PayPal cannot take this amount in ${req.currency}` };
    const call = await this.client.call<Refund>(
      'POST',
      `/v2/payments/captures/${encodeURIComponent(capture.id)}/refund`,
      {
        body: { amount, invoice_id: req.refundId },
        idempotencyKey: req.idempotencyKey,
        representation: true,
      },
    );
    if (call.kind !== 'answered') return modificationFailure(call);
    return paymentOutcome(call.body?.id, call.body?.status, 'refund');
  }

  /**
   * Reads the order. An APPROVED order is one whose capture (or authorization) payin asked for
   * and did not hear back about, or never got to send: it is asked again under the same
   * PayPal-Request-Id, which answers what the first request did, or does it now. An order PayPal
   * no longer knows has expired (unapproved orders are removed after a few hours).
   */
  async status(attempt: AttemptRef): Promise<StatusOutcome> {
    if (!attempt.providerReference) {
      // The order's creation was never answered: no payer was sent to PayPal, and without the
      // order's id nobody can approve it.
      return {
        status: 'failed',
        error: {
          code: 'processing_error',
          message: 'PayPal did not answer the payment request. Nothing was charged; try again.',
        },
      };
    }
    const found = await this.order(attempt);
    if (found.kind === 'rejected' && found.refusal.status === 404) {
      return {
        status: 'failed',
        providerReference: attempt.providerReference,
        error: EXPIRED,
      };
    }
    if (found.kind !== 'answered' || !found.body) {
      return {
        status: 'unknown',
        providerReference: attempt.providerReference,
        reason: describe(found),
      };
    }
    if (found.body.status === 'APPROVED') return this.complete(attempt, attempt.providerReference);
    return orderStatus(found.body, attempt.capture);
  }

  /** Captures (or authorizes) an approved order, keyed by the attempt so any retry is the same request. */
  private async complete(attempt: AttemptRef, orderId: string): Promise<AuthorizationOutcome> {
    const action = attempt.capture ? 'capture' : 'authorize';
    const path = `/v2/checkout/orders/${encodeURIComponent(orderId)}/${action}`;
    const call = await this.postRetried<Order>(path, undefined, `${attempt.attemptId}:complete`);
    if (call.kind === 'answered') {
      if (!call.body)
        return { status: 'unknown', providerReference: orderId, reason: `PayPal's ${action} had no body` };
      return completedOutcome(call.body, attempt.capture);
    }
    if (
      call.kind === 'rejected' &&
      ['ORDER_ALREADY_CAPTURED', 'ORDER_ALREADY_AUTHORIZED'].includes(call.refusal.issue ?? '')
    ) {
      // Done before, by another request: the order says how it went.
      const found = await this.order(attempt);
      if (found.kind === 'answered' && found.body) return completedOutcome(found.body, attempt.capture);
      return { status: 'unknown', providerReference: orderId, reason: describe(found) };
    }
    return { ...authorizationFailure(call), providerReference: orderId };
  }

  private order(attempt: AttemptRef): Promise<PayPalCall<Order>> {
    if (!attempt.providerReference) {
      return Promise.resolve({
        kind: 'rejected',
        refusal: { status: 404, issue: 'INVALID_RESOURCE_ID' },
        error: { code: 'processing_error', message: 'The attempt has no PayPal order.' },
      });
    }
    return this.client.call<Order>(
      'GET',
      `/v2/checkout/orders/${encodeURIComponent(attempt.providerReference)}`,
    );
  }

  /**
   * A POST the payer is waiting for, sent once more after a 5xx: the same PayPal-Request-Id
   * makes the second one answer what the first did, if it did anything.
   */
  private async postRetried<T>(path: string, body: unknown, idempotencyKey: string): Promise<PayPalCall<T>> {
    const request = { body, idempotencyKey, representation: true };
    const call = await this.client.call<T>('POST', path, request);
    if (call.kind === 'unknown' && call.status !== undefined && call.status >= 500) {
      return this.client.call<T>('POST', path, request);
    }
    return call;
  }
}

function describe(call: PayPalCall<unknown>): string {
  if (call.kind === 'answered') return 'PayPal answered without a body';
  return call.kind === 'rejected' ? reasonFor(call.refusal) : call.reason;
}

function authorizationFailure(
  call: Exclude<PayPalCall<unknown>, { kind: 'answered' }>,
): AuthorizationOutcome {
  switch (call.kind) {
    case 'rejected':
      return { status: 'failed', error: call.error };
    case 'not_sent':
      return { status: 'failed', error: unreachable };
    case 'unknown':
      return { status: 'unknown', reason: call.reason };
  }
}

function modificationFailure(call: PayPalCall<unknown>): ModificationOutcome {
  switch (call.kind) {
    case 'rejected':
      return { status: 'failed', reason: reasonFor(call.refusal) };
    case 'answered':
      return { status: 'unknown', reason: 'PayPal answered without a body' };
    case 'not_sent':
    case 'unknown':
      // Not sent is sent again later with the same key: the same as unknown.
      return { status: 'unknown', reason: call.reason };
  }
}

/** A capture's or refund's status as a modification outcome: PENDING is PayPal still deciding. */
function paymentOutcome(
  id: string | undefined,
  status: string | undefined,
  what: string,
): ModificationOutcome {
  switch (status) {
    case 'COMPLETED':
      return { status: 'succeeded', ...(id ? { providerReference: id } : {}) };
    case 'PENDING':
      return { status: 'pending', ...(id ? { providerReference: id } : {}) };
    case 'DECLINED':
    case 'FAILED':
    case 'CANCELLED':
      return { status: 'failed', reason: `PayPal answered the ${what} ${status}` };
    default:
      return { status: 'unknown', reason: `PayPal answered the ${what} with status ${status ?? '(none)'}` };
  }
}

export { type PayPalAccount, paypalEndpoint } from './account.js';
export { errorFor } from './errors.js';
export { orderRequest, paypalMoney } from './transformers.js';
