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
import type {
  CreateOrderResponse,
  HppSessionCreateResponse,
  Order,
  SessionCreateResponse,
  SessionReadResponse,
} from '@payin/provider-wire/klarna';
import type { KlarnaAccount } from './account.js';
import { type KlarnaCall, KlarnaClient } from './client.js';
import { shopperOutcomes } from './errors.js';
import { hppSessionRequest, orderRequest, purchaseCountry, sessionRequest } from './transformers.js';

export const klarnaCapabilities: ConnectorCapabilities = {
  paymentMethodTypes: ['klarna'],
  countries: '*',
  currencies: '*',
  manualCapture: true,
  partialCapture: true,
  multipleCaptures: true,
  partialRefund: true,
  // Orders and sessions can be read back: an unknown outcome is settled by asking.
  statusInquiry: true,
  testModeOnly: false,
};

export const KLARNA_TIMEOUT_MS = 30_000;

/** "Once you start a payment session, it stays open for 48 hours" (Klarna Payments). */
export const SESSION_LIFETIME_MS = 48 * 3600_000;

const ORDERS = '/ordermanagement/v1/orders';

/**
 * Klarna Payments (API v1) behind Klarna's Hosted Payment Page, then Order Management, one
 * instance per merchant account. `authorize` opens a KP session and its hosted page; the shopper
 * comes back with the outcome, and payin places the order from the authorization Klarna holds
 * for the session. Captures, refunds and cancels act on the order. Every POST carries a
 * `Klarna-Idempotency-Key` made of payin's key and the step, so a retry learns the first outcome.
 *
 * `providerReference` is the KP session id until an order exists, then the order id.
 */
export class KlarnaConnector implements Connector {
  readonly name = 'klarna';
  readonly capabilities = klarnaCapabilities;
  private readonly client: KlarnaClient;
  private readonly webhookUrl: string | undefined;
  private readonly now: () => number;

  constructor(
    readonly account: KlarnaAccount,
    opts: { timeoutMs?: number; fetch?: typeof fetch; webhookUrl?: string; now?: () => number } = {},
  ) {
    this.client = new KlarnaClient(account, {
      timeoutMs: opts.timeoutMs ?? KLARNA_TIMEOUT_MS,
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
    });
    this.webhookUrl = opts.webhookUrl;
    this.now = opts.now ?? Date.now;
  }

  async authorize(req: AuthorizeRequest): Promise<AuthorizationOutcome> {
    const country = purchaseCountry(req);
    if (!country) {
      return {
        status: 'failed',
        error: {
          code: 'processing_error',
          message: 'Klarna needs the purchase country: the payment has none. Nothing was charged.',
        },
      };
    }
    const session = await this.client.post<SessionCreateResponse>(
      '/payments/v1/sessions',
      sessionRequest(req, country, this.webhookUrl ? { webhookUrl: this.webhookUrl } : {}),
      `${req.idempotencyKey}:session`,
    );
    if (session.kind !== 'answered') return notAuthorized(session);
    const sessionId = session.body?.session_id;
    if (!sessionId) return { status: 'unknown', reason: 'Klarna answered the session without session_id' };

    const hpp = await this.client.post<HppSessionCreateResponse>(
      '/hpp/v1/sessions',
      hppSessionRequest(this.client.endpoint, sessionId, req.providerReturnUrl),
      `${req.idempotencyKey}:hpp`,
    );
    if (hpp.kind !== 'answered') return { ...notAuthorized(hpp), providerReference: sessionId };
    const url = hpp.body?.redirect_url;
    if (!url)
      return {
        status: 'unknown',
        providerReference: sessionId,
        reason: 'Klarna answered without redirect_url',
      };
    return {
      status: 'requires_action',
      providerReference: sessionId,
      action: { type: 'redirect_to_url', url },
    };
  }

  /**
   * The shopper is back from Klarna's page with `outcome` (the return URLs payin gave). Only
   * success goes on: the authorization token is taken from the session as Klarna holds it, not
   * from the query, which the shopper's browser could have changed.
   */
  async completeAction(attempt: AttemptRef, params: Record<string, string>): Promise<AuthorizationOutcome> {
    switch (params.outcome) {
      case 'success':
        if (!params.authorization_token || !attempt.providerReference)
          return { status: 'unknown', reason: 'the shopper came back without an authorization token' };
        return asAuthorization(await this.fromSession(attempt, attempt.providerReference));
      case 'cancel':
      case 'back':
        return { status: 'failed', error: shopperOutcomes.canceled };
      case 'failure':
        return { status: 'failed', error: shopperOutcomes.declined };
      default:
        // `error` on Klarna's side, or no outcome at all: the status inquiry reads the session.
        return {
          status: 'unknown',
          reason: `the shopper came back with outcome ${params.outcome ?? 'none'}`,
        };
    }
  }

  async capture(req: CaptureRequest): Promise<ModificationOutcome> {
    const orderId = orderIdOf(req.attempt);
    const call = await this.client.post(
      `${ORDERS}/${encodeURIComponent(orderId)}/captures`,
      { captured_amount: req.amount, reference: req.captureId },
      `${req.idempotencyKey}:capture`,
    );
    const outcome = modification(call, 'capture-id');
    if (outcome.status === 'succeeded' && req.final && req.amount < req.attempt.amount) {
      // A final capture gives the rest of the authorization back to the shopper. The capture
      // stands whatever the release answers; an unreleased rest lapses when the order expires.
      await this.client.post(
        `${ORDERS}/${encodeURIComponent(orderId)}/release-remaining-authorization`,
        undefined,
        `${req.idempotencyKey}:release`,
      );
    }
    return outcome;
  }

  async cancel(req: CancelRequest): Promise<ModificationOutcome> {
    const orderId = orderIdOf(req.attempt);
    return modification(
      await this.client.post(
        `${ORDERS}/${encodeURIComponent(orderId)}/cancel`,
        undefined,
        `${req.idempotencyKey}:cancel`,
      ),
      undefined,
      orderId,
    );
  }

  async refund(req: RefundRequest): Promise<ModificationOutcome> {
    const orderId = orderIdOf(req.attempt);
    return modification(
      await this.client.post(
        `${ORDERS}/${encodeURIComponent(orderId)}/refunds`,
        { refunded_amount: req.amount, reference: req.refundId },
        `${req.idempotencyKey}:refund`,
      ),
      'refund-id',
    );
  }

  /**
   * What Klarna holds for the attempt: its order, or else its KP session (the shopper may have
   * paid without coming back, or the order's answer was lost: placing it again with the same key
   * answers the first order).
   */
  async status(attempt: AttemptRef): Promise<StatusOutcome> {
    const reference = attempt.providerReference;
    if (!reference) return { status: 'unknown', reason: 'Klarna never named this attempt' };
    const order = await this.client.get<Order>(`${ORDERS}/${encodeURIComponent(reference)}`);
    if (order.kind === 'answered') {
      if (!order.body?.order_id)
        return { status: 'unknown', reason: 'Klarna answered the order without order_id' };
      return this.fromOrder(attempt, order.body);
    }
    if (order.kind === 'rejected' && order.errorCode === 'NO_SUCH_ORDER')
      return this.fromSession(attempt, reference);
    return { status: 'unknown', reason: order.kind === 'rejected' ? order.detail : order.reason };
  }

  /** Places the order from the authorization Klarna holds for the KP session, once. */
  private async fromSession(
    attempt: AttemptRef,
    sessionId: string,
  ): Promise<AuthorizationOutcome | StatusOutcome> {
    const read = await this.client.get<SessionReadResponse>(
      `/payments/v1/sessions/${encodeURIComponent(sessionId)}`,
    );
    if (read.kind === 'rejected' && read.status === 404) {
      // Klarna forgets a session 48 hours after it opened: nothing can be authorized any more.
      if (this.now() - attempt.startedAt > SESSION_LIFETIME_MS)
        return { status: 'failed', providerReference: sessionId, error: shopperOutcomes.sessionExpired };
      return { status: 'unknown', providerReference: sessionId, reason: read.detail };
    }
    if (read.kind !== 'answered' || !read.body)
      return {
        status: 'unknown',
        providerReference: sessionId,
        reason:
          read.kind === 'rejected' ? read.detail : read.kind === 'answered' ? 'empty session' : read.reason,
      };
    const session = read.body;
    const token = session.authorization_token;
    if (session.status !== 'complete' || !token) return { status: 'pending' };

    const placed = await this.client.post<CreateOrderResponse>(
      `/payments/v1/authorizations/${encodeURIComponent(token)}/order`,
      orderRequest(session, attempt.capture),
      `${attempt.attemptId}:order`,
    );
    if (placed.kind === 'rejected' && placed.status === 404)
      // The token lapsed (60 minutes) before an order was placed with it; it is used by no one
      // else, and an order placed with it under this key would have been answered again.
      return { status: 'failed', providerReference: sessionId, error: shopperOutcomes.authorizationExpired };
    if (placed.kind !== 'answered') return { ...notAuthorized(placed), providerReference: sessionId };
    const order = placed.body;
    if (!order?.order_id)
      return {
        status: 'unknown',
        providerReference: sessionId,
        reason: 'Klarna answered the order without order_id',
      };
    switch (order.fraud_status) {
      case 'ACCEPTED':
        // auto_capture: Klarna captured the whole order as it created it.
        return { status: attempt.capture ? 'captured' : 'authorized', providerReference: order.order_id };
      case 'PENDING':
        return { status: 'processing', providerReference: order.order_id };
      case 'REJECTED':
        return { status: 'failed', providerReference: order.order_id, error: shopperOutcomes.fraudRejected };
      default:
        return {
          status: 'unknown',
          providerReference: order.order_id,
          reason: `Klarna answered fraud_status ${String(order.fraud_status)}`,
        };
    }
  }

  /** The attempt as its order says, capturing an accepted order the attempt wanted captured. */
  private async fromOrder(attempt: AttemptRef, order: Order): Promise<StatusOutcome> {
    const providerReference = order.order_id;
    if (order.fraud_status === 'PENDING') return { status: 'processing', providerReference };
    if (order.fraud_status === 'REJECTED')
      return { status: 'failed', providerReference, error: shopperOutcomes.fraudRejected };
    if (order.fraud_status !== 'ACCEPTED')
      return { status: 'unknown', providerReference, reason: `fraud_status ${String(order.fraud_status)}` };
    if (order.status === 'EXPIRED')
      return { status: 'failed', providerReference, error: shopperOutcomes.orderExpired };
    if (order.status === 'CANCELLED')
      return { status: 'failed', providerReference, error: shopperOutcomes.orderCancelled };
    if (!attempt.capture) return { status: 'authorized', providerReference };
    if (order.captured_amount > 0) return { status: 'captured', providerReference };
    // Accepted after a review: auto_capture did not apply, so the capture the attempt asked for
    // is made now, once (its key is the attempt's).
    const capture = await this.client.post(
      `${ORDERS}/${encodeURIComponent(order.order_id)}/captures`,
      { captured_amount: order.remaining_authorized_amount, reference: attempt.attemptId },
      `${attempt.attemptId}:capture`,
    );
    if (capture.kind === 'answered') return { status: 'captured', providerReference };
    // Refused (the order changed meanwhile): Klarna still holds the authorization, to capture later.
    if (capture.kind === 'rejected') return { status: 'authorized', providerReference };
    return { status: 'unknown', providerReference, reason: capture.reason };
  }
}

/** Back from the page, a session Klarna still shows unpaid is not learned yet: unknown until asked again. */
function asAuthorization(outcome: StatusOutcome): AuthorizationOutcome {
  return outcome.status === 'pending'
    ? { status: 'unknown', reason: 'Klarna shows the session unpaid' }
    : outcome;
}

/** The order an authorized attempt names; a modification before any order is payin's bug. */
function orderIdOf(attempt: AttemptRef): string {
  if (!attempt.providerReference) throw new Error(`attempt ${attempt.attemptId} has no Klarna order id`);
  return attempt.providerReference;
}

/** A call that did not answer, as an authorization outcome: refused or unsent fails, the rest is unknown. */
function notAuthorized(call: Exclude<KlarnaCall<unknown>, { kind: 'answered' }>): AuthorizationOutcome {
  switch (call.kind) {
    case 'rejected':
      return { status: 'failed', error: call.error };
    case 'not_sent':
      return { status: 'failed', error: shopperOutcomes.unreachable };
    case 'unknown':
      return { status: 'unknown', reason: call.reason };
  }
}

/**
 * Order Management answers a capture or a refund 201 with its id in a header, a cancel 204:
 * done when answered. A modification not sent is sent again later with the same key: unknown.
 */
function modification(
  call: KlarnaCall<unknown>,
  idHeader: string | undefined,
  reference?: string,
): ModificationOutcome {
  switch (call.kind) {
    case 'answered': {
      const id = (idHeader && call.headers.get(idHeader)) || reference;
      return id ? { status: 'succeeded', providerReference: id } : { status: 'succeeded' };
    }
    case 'rejected':
      return { status: 'failed', reason: call.error.message };
    case 'not_sent':
    case 'unknown':
      return { status: 'unknown', reason: call.reason };
  }
}

export { type KlarnaAccount, klarnaEndpoint } from './account.js';
export { klarnaError } from './errors.js';
