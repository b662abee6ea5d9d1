import type {
  AttemptRef,
  AuthorizationOutcome,
  AuthorizeRequest,
  CancelRequest,
  CaptureRequest,
  CardTokens,
  Connector,
  ConnectorCapabilities,
  ModificationOutcome,
  RefundRequest,
  StatusOutcome,
} from '@payin/core';
import type {
  PaymentCancelResponse,
  PaymentCaptureResponse,
  PaymentDetailsResponse,
  PaymentRefundResponse,
  PaymentResponse,
} from '@payin/provider-wire/adyen';
import type { AdyenAccount } from './account.js';
import { type AdyenCall, AdyenClient } from './client.js';
import { adyenLocalTypes, isAdyenLocalMethod, localPaymentRequest } from './local-methods.js';
import { authorizationOutcome, type CardFields, paymentRequest } from './transformers.js';

export const adyenCapabilities: ConnectorCapabilities = {
  paymentMethodTypes: ['card', 'bizum', 'konbini', 'paypay'],
  countries: '*',
  currencies: '*',
  manualCapture: true,
  partialCapture: true,
  multipleCaptures: true,
  partialRefund: true,
  // Adyen has no status inquiry: an unknown outcome waits for the webhook.
  statusInquiry: false,
  testModeOnly: false,
};

/** How long payin waits for Adyen before the outcome is unknown (Adyen advises 30 s or more for /payments). */
export const ADYEN_TIMEOUT_MS = 30_000;

/**
 * Adyen's Checkout API (v71), one instance per merchant account. Cards go out as vault
 * placeholders through the vault's proxy; every call carries payin's id of the operation as
 * `Idempotency-Key`, so a retry learns the first outcome instead of acting twice.
 * Modifications are asynchronous at Adyen (`received`): they stay pending until the webhook.
 */
export class AdyenConnector implements Connector {
  readonly name = 'adyen';
  readonly capabilities: ConnectorCapabilities;
  private readonly client: AdyenClient;

  constructor(
    readonly account: AdyenAccount,
    opts: { cards?: CardTokens; timeoutMs?: number },
  ) {
    this.capabilities = { ...adyenCapabilities, multipleCaptures: account.multiplePartialCaptures };
    this.client = new AdyenClient(account, {
      cards: opts.cards,
      timeoutMs: opts.timeoutMs ?? ADYEN_TIMEOUT_MS,
    });
  }

  async authorize(req: AuthorizeRequest): Promise<AuthorizationOutcome> {
    if (isAdyenLocalMethod(req.paymentMethodType)) {
      const method = req.paymentMethodType;
      const call = await this.client.post<PaymentResponse>(
        '/payments',
        localPaymentRequest(req, this.account, method),
        req.idempotencyKey,
      );
      return this.authorization(call, req.capture, adyenLocalTypes[method]);
    }
    const scope = { merchantId: req.merchantId, livemode: req.livemode };
    const send = (fields: CardFields) =>
      this.client.postWithCard<PaymentResponse>(
        scope,
        '/payments',
        paymentRequest(req, this.account, fields),
        req.idempotencyKey,
      );
    // One request, the CVC and holder name filled in when the token has them.
    let call = await send({ cvc: true });
    // A 5xx may come before or after Adyen acted. Adyen's advice is to retry with the same
    // Idempotency-Key: if the first request was processed, the key is taken by another body (the
    // CVC is gone) and the answer stays unknown until the webhook; if not, this one is the payment.
    if (call.kind === 'unknown' && call.status !== undefined && call.status >= 500) {
      call = await send({ cvc: false });
    }
    return this.authorization(call, req.capture);
  }

  async completeAction(attempt: AttemptRef, params: Record<string, string>): Promise<AuthorizationOutcome> {
    const redirectResult = params.redirectResult;
    if (!redirectResult) {
      // The shopper came back without the issuer's result: the AUTHORISATION webhook will say.
      return { status: 'unknown', reason: 'the shopper returned without redirectResult' };
    }
    const call = await this.client.post<PaymentDetailsResponse>(
      '/payments/details',
      { details: { redirectResult } },
      `${attempt.attemptId}:details`,
    );
    const local = isAdyenLocalMethod(attempt.paymentMethod)
      ? adyenLocalTypes[attempt.paymentMethod]
      : undefined;
    return this.authorization(call, attempt.capture, local);
  }

  async capture(req: CaptureRequest): Promise<ModificationOutcome> {
    if (!req.final && !this.account.multiplePartialCaptures) {
      // Adyen would cancel the rest after this capture: refused here, before anything is sent.
      return {
        status: 'failed',
        reason:
          'this Adyen account cancels what a partial capture leaves; capture with final_capture true, or have Adyen enable multiple partial captures and set settings.multiple_partial_captures to "true"',
      };
    }
    return modification(
      await this.client.post<PaymentCaptureResponse>(
        `/payments/${this.pspReference(req.attempt)}/captures`,
        {
          merchantAccount: this.account.merchantAccount,
          amount: { value: req.amount, currency: req.attempt.currency },
          reference: req.captureId,
        },
        req.idempotencyKey,
      ),
    );
  }

  async cancel(req: CancelRequest): Promise<ModificationOutcome> {
    return modification(
      await this.client.post<PaymentCancelResponse>(
        `/payments/${this.pspReference(req.attempt)}/cancels`,
        { merchantAccount: this.account.merchantAccount, reference: req.attempt.attemptId },
        req.idempotencyKey,
      ),
    );
  }

  async refund(req: RefundRequest): Promise<ModificationOutcome> {
    return modification(
      await this.client.post<PaymentRefundResponse>(
        `/payments/${this.pspReference(req.attempt)}/refunds`,
        {
          merchantAccount: this.account.merchantAccount,
          amount: { value: req.amount, currency: req.currency },
          reference: req.refundId,
          ...(req.reason ? { merchantRefundReason: refundReason(req.reason) } : {}),
        },
        req.idempotencyKey,
      ),
    );
  }

  /** Adyen answers no inquiry: the webhook that follows every outcome settles it. */
  async status(): Promise<StatusOutcome> {
    return { status: 'pending' };
  }

  private authorization(
    call: AdyenCall<PaymentResponse | PaymentDetailsResponse>,
    capture: boolean,
    localType?: string,
  ) {
    switch (call.kind) {
      case 'answered':
        return authorizationOutcome(call.body, capture, localType);
      case 'rejected':
        return { status: 'failed', error: call.error } as const;
      case 'not_sent':
        return {
          status: 'failed',
          error: {
            code: 'processing_error',
            message: 'The payment provider could not be reached. Nothing was charged; try again.',
          },
        } as const;
      case 'unknown':
        return { status: 'unknown', reason: call.reason } as const;
    }
  }

  private pspReference(attempt: AttemptRef): string {
    if (!attempt.providerReference) throw new Error('the Adyen payment has no pspReference');
    return encodeURIComponent(attempt.providerReference);
  }
}

/** Adyen acknowledges a modification and decides it later: pending until the webhook. */
function modification(
  call: AdyenCall<PaymentCaptureResponse | PaymentCancelResponse | PaymentRefundResponse>,
): ModificationOutcome {
  switch (call.kind) {
    case 'answered':
      return call.body.status === 'received'
        ? { status: 'pending', providerReference: call.body.pspReference }
        : { status: 'unknown', reason: `Adyen answered status ${String(call.body.status)}` };
    case 'rejected':
      return { status: 'failed', reason: call.error.message };
    case 'not_sent':
    case 'unknown':
      // A modification not sent is sent again later with the same key: the same as unknown.
      return { status: 'unknown', reason: call.reason };
  }
}

/** payin's refund reasons as Adyen's `merchantRefundReason` values. */
function refundReason(reason: string): 'FRAUD' | 'CUSTOMER REQUEST' | 'DUPLICATE' | 'OTHER' {
  switch (reason) {
    case 'fraudulent':
      return 'FRAUD';
    case 'requested_by_customer':
      return 'CUSTOMER REQUEST';
    case 'duplicate':
      return 'DUPLICATE';
    default:
      return 'OTHER';
  }
}

export { type AdyenAccount, adyenEndpoint } from './account.js';
export { declineFor, declineForReason } from './errors.js';
export { authorizationOutcome, paymentRequest } from './transformers.js';
