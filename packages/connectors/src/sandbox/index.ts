import {
  type AttemptRef,
  type AuthorizationOutcome,
  type AuthorizeRequest,
  type CaptureRequest,
  type CardSummary,
  type Connector,
  type ConnectorCapabilities,
  isCardToken,
  type ModificationOutcome,
  type RefundRequest,
  type StatusOutcome,
} from '@payin/core';
import { challengeUrl, verifyChallengeResult } from './challenge.js';
import { type SandboxMethod, sandboxMethods, testCardsByLast4, unknownTestCard } from './test-methods.js';

export const sandboxCapabilities: ConnectorCapabilities = {
  paymentMethodTypes: ['card'],
  countries: '*',
  currencies: '*',
  manualCapture: true,
  partialCapture: true,
  multipleCaptures: true,
  partialRefund: true,
  statusInquiry: true,
  testModeOnly: true,
};

/**
 * How long the simulated provider keeps an unanswered (timed-out) authorisation to itself:
 * status inquiries before then hear "still processing", after it the outcome.
 */
export const SANDBOX_SETTLE_MS = 1_500;

/**
 * The built-in test provider. It is deterministic: the same attempt always gets the same
 * answer, which is exactly what a provider's idempotency key guarantees for a retry.
 */
export class SandboxConnector implements Connector {
  readonly name = 'sandbox';
  readonly capabilities = sandboxCapabilities;

  /**
   * @param latencyMs how long the simulated provider takes to answer an authorisation; lets
   *   tests and demos see requests in flight (crash recovery, concurrency) as with a real one.
   */
  constructor(
    private readonly publicUrl: string,
    private readonly latencyMs = 0,
  ) {}

  /** The contract's test methods, and vault tokens (test mode only, decided by the registry). */
  /** The method types the sandbox pays in test mode: cards (tokens and the test cards). */
  static takes(type: string): boolean {
    return type === 'card';
  }

  static accepts(paymentMethod: string): boolean {
    return Object.hasOwn(sandboxMethods, paymentMethod) || isCardToken(paymentMethod);
  }

  async authorize(req: AuthorizeRequest): Promise<AuthorizationOutcome> {
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    const method = this.method(req.paymentMethod, req.card);
    const reference = providerReference(req.attemptId);
    switch (method.behaviour.kind) {
      case 'authorize':
      case 'refund_fails':
      case 'modification_timeout':
        return success(req.capture, reference, method);
      case 'decline':
      case 'provider_error':
        return { status: 'failed', providerReference: reference, error: method.behaviour.error };
      case 'challenge':
        return {
          status: 'requires_action',
          providerReference: reference,
          action: {
            type: 'redirect_to_url',
            url: challengeUrl(this.publicUrl, req.attemptId, req.providerReturnUrl),
          },
        };
      case 'timeout':
        // The provider "never answers": the call gives up as a real client's timeout would.
        return { status: 'unknown', reason: 'the provider did not answer in time' };
    }
  }

  async completeAction(attempt: AttemptRef, params: Record<string, string>): Promise<AuthorizationOutcome> {
    const result = verifyChallengeResult(attempt.attemptId, params.sandbox_result);
    if (result === 'pass')
      return success(
        attempt.capture,
        providerReference(attempt.attemptId),
        this.method(attempt.paymentMethod, attempt.card),
      );
    return {
      status: 'failed',
      providerReference: providerReference(attempt.attemptId),
      error: {
        code: 'authentication_failed',
        declineCode: 'authentication_required',
        message: 'The cardholder did not complete 3-D Secure authentication.',
      },
    };
  }

  async capture(req: CaptureRequest): Promise<ModificationOutcome> {
    if (
      this.answerLost(this.method(req.attempt.paymentMethod, req.attempt.card), 'capture', req.idempotencyKey)
    ) {
      return { status: 'unknown', reason: 'the provider did not answer in time' };
    }
    return { status: 'succeeded' };
  }

  async cancel(): Promise<ModificationOutcome> {
    return { status: 'succeeded' };
  }

  async refund(req: RefundRequest): Promise<ModificationOutcome> {
    const method = this.method(req.attempt.paymentMethod, req.attempt.card);
    const behaviour = method.behaviour;
    if (behaviour.kind === 'refund_fails') return { status: 'failed', reason: behaviour.reason };
    if (this.answerLost(method, 'refund', req.idempotencyKey)) {
      return { status: 'unknown', reason: 'the provider did not answer in time' };
    }
    return { status: 'succeeded', providerReference: `sbx_re_${req.refundId.slice(3)}` };
  }

  async status(attempt: AttemptRef): Promise<StatusOutcome> {
    const method = this.method(attempt.paymentMethod, attempt.card);
    if (method.behaviour.kind === 'timeout') {
      // The timed-out charge did go through: the classic case an orchestrator must not fail.
      if (Date.now() - attempt.startedAt < SANDBOX_SETTLE_MS) return { status: 'pending' };
      return success(attempt.capture, providerReference(attempt.attemptId), method);
    }
    return this.authorize({
      attemptId: attempt.attemptId,
      paymentId: attempt.paymentId,
      merchantId: '',
      idempotencyKey: attempt.attemptId,
      amount: attempt.amount,
      currency: attempt.currency,
      capture: attempt.capture,
      paymentMethod: attempt.paymentMethod,
      paymentMethodType: 'card',
      locale: 'en-US',
      card: attempt.card ?? null,
      providerReturnUrl: '',
      livemode: false,
    });
  }

  /**
   * For the *Timeout test methods: the first request of an idempotency key loses its answer,
   * and so does any retry within SANDBOX_SETTLE_MS of it. Kept in memory: the sandbox is a
   * simulation, and after a restart the first retry simply loses its answer again.
   */
  private readonly firstSeen = new Map<string, number>();
  private answerLost(method: SandboxMethod, operation: 'capture' | 'refund', key: string): boolean {
    const b = method.behaviour;
    if (b.kind !== 'modification_timeout' || b.operation !== operation) return false;
    const first = this.firstSeen.get(key);
    if (first === undefined) {
      this.firstSeen.set(key, Date.now());
      return true;
    }
    return Date.now() - first < SANDBOX_SETTLE_MS;
  }

  private method(paymentMethod: string, card?: CardSummary | null): SandboxMethod {
    if (isCardToken(paymentMethod)) {
      const name = card ? testCardsByLast4[card.last4] : undefined;
      // The token's own card details stay on the payment: the canned ones are for pm_card_*.
      return name
        ? { behaviour: (sandboxMethods[name] as SandboxMethod).behaviour, details: { type: 'card' } }
        : unknownTestCard;
    }
    const m = sandboxMethods[paymentMethod];
    if (!m) throw new Error(`sandbox: unknown payment method ${paymentMethod}`);
    return m;
  }
}

function providerReference(attemptId: string): string {
  return `sbx_${attemptId.slice(4)}`;
}

function success(capture: boolean, reference: string, method: SandboxMethod): AuthorizationOutcome {
  return {
    status: capture ? 'captured' : 'authorized',
    providerReference: reference,
    // A token's payment already shows its own card; only pm_card_* bring canned details.
    ...(method.details.card ? { paymentMethodDetails: method.details } : {}),
  };
}

export { challengeUrl, signChallengeResult, verifyChallengeResult } from './challenge.js';
export { sandboxMethods } from './test-methods.js';
