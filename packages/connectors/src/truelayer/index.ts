import type {
  AttemptRef,
  AuthorizationOutcome,
  AuthorizeRequest,
  CancelRequest,
  Connector,
  ConnectorCapabilities,
  ModificationOutcome,
  RefundRequest,
  StatusOutcome,
} from '@payin/core';
import type { CreatePaymentResponse } from '@payin/provider-wire/truelayer';
import type { TrueLayerAccount } from './account.js';
import { idempotencyKeyFor, type TrueLayerCall, TrueLayerClient } from './client.js';
import { notReached } from './errors.js';
import {
  createdPayment,
  hostedPaymentPageUrl,
  METADATA,
  paymentOutcome,
  paymentRequest,
  readPayment,
  refundRequest,
} from './transformers.js';

export const truelayerCapabilities: ConnectorCapabilities = {
  paymentMethodTypes: ['open_banking'],
  countries: '*',
  // TrueLayer's merchant accounts hold pounds and euros.
  currencies: ['EUR', 'GBP'],
  // The payer's bank executes the transfer once they authorise it: nothing is held to capture.
  manualCapture: false,
  partialCapture: false,
  multipleCaptures: false,
  partialRefund: true,
  statusInquiry: true,
  testModeOnly: false,
};

/** How long payin waits for TrueLayer before the outcome is unknown. */
export const TRUELAYER_TIMEOUT_MS = 30_000;

/** The steps of payin's operations, each with Idempotency-Keys of its own. */
const STEP = {
  createPayment: 'create_payment',
  cancel: 'cancel_payment',
  abandoned: 'cancel_abandoned_payment',
  refund: 'create_refund',
} as const;

/**
 * TrueLayer's Payments API v3, one instance per TrueLayer client: a payment by bank transfer
 * into the merchant account, authorised by the shopper on TrueLayer's hosted payment page and
 * their bank's. Its money moves when the bank executes the transfer, so an executed payment is
 * captured. Every POST is signed and carries an Idempotency-Key derived from payin's key.
 */
export class TrueLayerConnector implements Connector {
  readonly name = 'truelayer';
  readonly capabilities = truelayerCapabilities;
  private readonly client: TrueLayerClient;

  constructor(
    readonly account: TrueLayerAccount,
    opts: { timeoutMs?: number; fetch?: typeof fetch; now?: () => number } = {},
  ) {
    this.client = new TrueLayerClient(account, {
      timeoutMs: opts.timeoutMs ?? TRUELAYER_TIMEOUT_MS,
      fetch: opts.fetch ?? fetch,
      ...(opts.now ? { now: opts.now } : {}),
    });
  }

  async authorize(req: AuthorizeRequest): Promise<AuthorizationOutcome> {
    const body = paymentRequest(req, this.account);
    if (!body) {
      return {
        status: 'failed',
        error: {
          code: 'processing_error',
          message: "Paying by bank needs the payer's name and e-mail address. Nothing was charged.",
        },
      };
    }
    const key = idempotencyKeyFor(STEP.createPayment, req.idempotencyKey);
    const send = () => this.client.post<CreatePaymentResponse>('/v3/payments', body, key);
    let call = await send();
    // A 5xx or a cut connection may come before or after TrueLayer created the payment. The same
    // body under the same key answers the stored response if it did, and creates it if not
    // (docs.truelayer.com/docs/idempotency). Not after a timeout (payin has waited long enough)
    // nor while the first request still runs (409).
    if (call.kind === 'unknown' && !call.timedOut && call.status !== 409) call = await send();
    switch (call.kind) {
      case 'answered': {
        const created = createdPayment(call.body);
        if (!created) return { status: 'unknown', reason: 'TrueLayer answered without a payment id' };
        return {
          status: 'requires_action',
          providerReference: created.id,
          action: {
            type: 'redirect_to_url',
            url: hostedPaymentPageUrl(this.account.hppEndpoint, created, this.returnUri(req), req.locale),
          },
        };
      }
      case 'rejected':
        return { status: 'failed', error: call.error };
      case 'not_sent':
        return { status: 'failed', error: notReached };
      case 'unknown':
        return { status: 'unknown', reason: call.reason };
    }
  }

  /**
   * The shopper is back from the hosted payment page (`?payment_id=…`). The payment read is the
   * attempt's own, whatever the query says: the shopper's browser could change it.
   */
  async completeAction(attempt: AttemptRef, _params?: Record<string, string>): Promise<AuthorizationOutcome> {
    const id = attempt.providerReference;
    if (!id) return { status: 'unknown', reason: 'the attempt has no TrueLayer payment id' };
    const read = await this.read(id);
    if (read !== 'awaiting_shopper') return read;
    return this.cancelAbandoned(attempt, id);
  }

  /**
   * Back at payin while TrueLayer still waits for a bank to be chosen: the shopper left the
   * hosted payment page without paying. The payment stays open at TrueLayer for 15 minutes,
   * through the page still open in another tab or the browser's back button: failing the attempt
   * now could see the money arrive for a failed payment, and `unknown` would hold the shopper up
   * until it expires. So it is cancelled at TrueLayer, which refuses once a bank has authorised
   * it: accepted, the failure is a fact, not a guess; refused, what happened instead is read.
   */
  private async cancelAbandoned(attempt: AttemptRef, id: string): Promise<AuthorizationOutcome> {
    const call = await this.client.post<undefined>(
      `/v3/payments/${encodeURIComponent(id)}/actions/cancel`,
      undefined,
      idempotencyKeyFor(STEP.abandoned, attempt.attemptId),
    );
    if (call.kind === 'answered') {
      return {
        status: 'failed',
        providerReference: id,
        error: {
          code: 'canceled_by_shopper',
          message: 'You left the payment page before authorising the payment at your bank.',
        },
      };
    }
    if (call.kind === 'rejected') {
      const read = await this.read(id);
      if (read !== 'awaiting_shopper') return read;
    }
    return {
      status: 'unknown',
      providerReference: id,
      reason: `the shopper came back before authorising, and the payment could not be cancelled: ${
        call.kind === 'rejected' ? call.detail : call.reason
      }`,
    };
  }

  /** Nothing is held: the transfer is the capture. payin never asks (manualCapture is false). */
  async capture(): Promise<ModificationOutcome> {
    return {
      status: 'failed',
      reason:
        'TrueLayer payments are captured when the payer’s bank executes the transfer: there is nothing to capture.',
    };
  }

  /**
   * `POST /v3/payments/{id}/actions/cancel` (docs.truelayer.com/docs/cancel-a-payment), which
   * TrueLayer takes until the payer's bank has authorised the payment; after that the money is on
   * its way, and a refund gives it back once settled.
   */
  async cancel(req: CancelRequest): Promise<ModificationOutcome> {
    const id = req.attempt.providerReference;
    if (!id)
      return {
        status: 'failed',
        reason: 'TrueLayer never confirmed creating this payment: nothing to cancel there.',
      };
    const call = await this.client.post<undefined>(
      `/v3/payments/${encodeURIComponent(id)}/actions/cancel`,
      undefined,
      idempotencyKeyFor(STEP.cancel, req.idempotencyKey),
    );
    switch (call.kind) {
      case 'answered':
        // 202 Accepted: the payment fails `canceled` (and its payment_failed webhook follows).
        return { status: 'succeeded', providerReference: id };
      case 'rejected':
        return {
          status: 'failed',
          reason: `${call.detail}. TrueLayer cancels a payment only until the payer's bank authorises it; refund it once settled instead.`,
        };
      case 'not_sent':
      case 'unknown':
        // Sent again later with the same key: the same as unknown.
        return { status: 'unknown', reason: call.reason };
    }
  }

  /**
   * `POST /v3/payments/{id}/refunds`: from the merchant account back to the payer's account, once
   * the payment has settled there. Executed later: pending until `refund_executed` or
   * `refund_failed`, which name payin's refund through the refund's metadata.
   */
  async refund(req: RefundRequest): Promise<ModificationOutcome> {
    const id = req.attempt.providerReference;
    if (!id) return { status: 'failed', reason: 'the attempt has no TrueLayer payment id' };
    const call = await this.client.post<{ id?: string }>(
      `/v3/payments/${encodeURIComponent(id)}/refunds`,
      refundRequest(req),
      idempotencyKeyFor(STEP.refund, req.idempotencyKey),
    );
    switch (call.kind) {
      case 'answered':
        return typeof call.body?.id === 'string'
          ? { status: 'pending', providerReference: call.body.id }
          : { status: 'unknown', reason: 'TrueLayer answered the refund without its id' };
      case 'rejected':
        return { status: 'failed', reason: call.detail };
      case 'not_sent':
      case 'unknown':
        return { status: 'unknown', reason: call.reason };
    }
  }

  /**
   * TrueLayer sends the shopper back only to a `return_uri` registered in its Console: one per
   * account (`settings.return_uri`, or payin's return URL of the account), not one per attempt.
   */
  private returnUri(req: AuthorizeRequest): string {
    return this.account.returnUri ?? req.accountReturnUrl ?? req.providerReturnUrl;
  }

  /**
   * The attempt a shopper back from the hosted page paid: the metadata of the payment TrueLayer
   * holds. Without it payin cannot tell the shopper which payment they are back from, so a read
   * whose answer was lost (cut, 5xx) is made once more: a read changes nothing at TrueLayer.
   */
  async attemptOfReturn(params: Record<string, string>): Promise<string | undefined> {
    const id = params.payment_id;
    if (!id) return undefined;
    const path = `/v3/payments/${encodeURIComponent(id)}`;
    let call: TrueLayerCall<unknown> = await this.client.get(path);
    if ((call.kind === 'unknown' && !call.timedOut) || call.kind === 'not_sent')
      call = await this.client.get(path);
    if (call.kind !== 'answered') return undefined;
    const metadata = (call.body as { metadata?: Record<string, unknown> } | null)?.metadata;
    const attempt = metadata?.[METADATA.attempt];
    return typeof attempt === 'string' ? attempt : undefined;
  }

  /** `GET /v3/payments/{id}`: what became of an attempt whose outcome payin did not learn. */
  async status(attempt: AttemptRef): Promise<StatusOutcome> {
    // Without the id (the creation's answer was lost twice) there is nothing to read: TrueLayer
    // lists no payments by metadata. The payment expires unpaid, the shopper never having seen
    // its page, and its payment_failed webhook names the attempt.
    if (!attempt.providerReference) return { status: 'pending' };
    const read = await this.read(attempt.providerReference);
    // The shopper may still be on the hosted payment page: wait for them, or for its expiry.
    return read === 'awaiting_shopper' ? { status: 'pending' } : read;
  }

  private async read(id: string): Promise<AuthorizationOutcome | 'awaiting_shopper'> {
    const call: TrueLayerCall<unknown> = await this.client.get(`/v3/payments/${encodeURIComponent(id)}`);
    if (call.kind === 'answered') {
      const payment = readPayment(call.body);
      if (payment?.id === id) return paymentOutcome(payment);
      return { status: 'unknown', providerReference: id, reason: 'TrueLayer answered without the payment' };
    }
    // A read refused or lost says nothing of the payment's outcome.
    return {
      status: 'unknown',
      providerReference: id,
      reason: call.kind === 'rejected' ? call.detail : call.reason,
    };
  }
}

export { type TrueLayerAccount, truelayerAccount } from './account.js';
export { failureFor } from './errors.js';
export { paymentOutcome, paymentRequest, refundRequest } from './transformers.js';
