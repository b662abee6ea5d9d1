import type { CardTokens, ForwardOutcome, ProviderError } from '@payin/core';
import type { AdyenAccount } from './account.js';

/**
 * How one call to Adyen's Checkout API ended, as far as payin may conclude:
 * - `answered`: Adyen took the request and answered (2xx), the body is its answer;
 * - `rejected`: Adyen refused the request itself (bad credentials, validation): nothing happened;
 * - `not_sent`: it never reached Adyen;
 * - `unknown`: it may have reached Adyen (timeout, cut connection, 5xx, idempotency conflict):
 *   only a retry with the same Idempotency-Key, or the webhook, tells.
 */
export type AdyenCall<T> =
  | { kind: 'answered'; body: T }
  | { kind: 'rejected'; error: ProviderError; errorCode?: string; detail?: string }
  | { kind: 'not_sent'; reason: string }
  /** `status`: Adyen's HTTP status, when it answered with an error it did not explain (5xx). */
  | { kind: 'unknown'; reason: string; status?: number };

/** Adyen's error body (ServiceError). */
interface ServiceError {
  status?: number;
  errorCode?: string;
  message?: string;
  errorType?: string;
}

/** Connection errors that mean the request never left (no connection was made). */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Adyen's idempotency answers 422 with this code while the first request with the key is being
 * processed, or when a key comes back with another body: either way the first outcome stands,
 * unknown here (docs.adyen.com/development-resources/api-idempotency).
 */
const IDEMPOTENCY_CONFLICT = '704';

/** Adyen's validation codes that are the shopper's card, not payin's request. */
const cardValidation: Readonly<Record<string, ProviderError>> = {
  '101': { code: 'card_declined', declineCode: 'incorrect_number', message: 'The card number is not valid.' },
  '103': {
    code: 'card_declined',
    declineCode: 'incorrect_cvc',
    message: "The card's security code is not valid.",
  },
  '102': {
    code: 'card_declined',
    declineCode: 'card_not_supported',
    message: 'This card brand is not supported.',
  },
};

/** The HTTP answer as a call outcome: only a 2xx is Adyen's answer, 4xx is a refusal, the rest unknown. */
export function callOutcome<T>(status: number, text: string): AdyenCall<T> {
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (status >= 200 && status < 300) {
    if (typeof body !== 'object' || body === null) {
      return { kind: 'unknown', reason: `Adyen answered ${status} without a JSON object` };
    }
    return { kind: 'answered', body: body as T };
  }
  const error = (body ?? {}) as ServiceError;
  const detail = `Adyen answered ${status}${error.errorCode ? ` (${error.errorCode}: ${error.message ?? ''})` : ''}`;
  if (status === 422 && error.errorCode === IDEMPOTENCY_CONFLICT) return { kind: 'unknown', reason: detail };
  if (status === 401 || status === 403) {
    return {
      kind: 'rejected',
      errorCode: error.errorCode,
      error: {
        code: 'processing_error',
        message: 'The payment provider refused the connector account credentials. Nothing was charged.',
      },
    };
  }
  if (status >= 400 && status < 500) {
    const card = error.errorCode ? cardValidation[error.errorCode] : undefined;
    return {
      kind: 'rejected',
      errorCode: error.errorCode,
      error: card ?? {
        code: 'processing_error',
        message: `The payment provider refused the request: ${error.message ?? `HTTP ${status}`}. Nothing was charged.`,
      },
    };
  }
  return { kind: 'unknown', reason: detail, status };
}

/** A vault proxy outcome as a call outcome. */
export function forwardedOutcome<T>(forwarded: ForwardOutcome): AdyenCall<T> {
  switch (forwarded.kind) {
    case 'answered':
      return callOutcome<T>(forwarded.answer.status, forwarded.answer.body);
    case 'not_sent':
      return { kind: 'not_sent', reason: forwarded.message };
    case 'refused':
      return {
        kind: 'rejected',
        errorCode: forwarded.code,
        detail: forwarded.message,
        error: {
          code: 'processing_error',
          message: 'The card vault refused the request. Nothing was charged.',
        },
      };
    case 'unknown':
      return { kind: 'unknown', reason: forwarded.message };
  }
}

export interface AdyenClientOptions {
  /** How long to wait for an answer before the outcome is unknown. */
  timeoutMs: number;
  /** Sends requests that carry card placeholders (authorisations) through the card vault. */
  cards: CardTokens | undefined;
}

/**
 * Calls to one Adyen account. Every call carries an Idempotency-Key; requests with card data go
 * through the vault's proxy, the rest straight to Adyen (they carry no card data).
 */
export class AdyenClient {
  constructor(
    private readonly account: AdyenAccount,
    private readonly opts: AdyenClientOptions,
  ) {}

  private headers(idempotencyKey: string): Record<string, string> {
    return {
      'Content-Type': 'application/json',
      'X-API-Key': this.account.apiKey,
      'Idempotency-Key': idempotencyKey,
    };
  }

  /** A call without card data. */
  async post<T>(path: string, body: unknown, idempotencyKey: string): Promise<AdyenCall<T>> {
    let response: Response;
    try {
      response = await fetch(`${this.account.endpoint}${path}`, {
        method: 'POST',
        headers: this.headers(idempotencyKey),
        body: JSON.stringify(body),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code ?? '';
      const reason = `Adyen did not answer: ${code || (error as Error).name}`;
      return NOT_SENT.has(code) ? { kind: 'not_sent', reason } : { kind: 'unknown', reason };
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      return { kind: 'unknown', reason: `Adyen's answer was cut: ${(error as Error).message}` };
    }
    return callOutcome<T>(response.status, text);
  }

  /** A call with card placeholders, filled in by the vault in the merchant's scope. */
  async postWithCard<T>(
    scope: { merchantId: string; livemode: boolean },
    path: string,
    body: unknown,
    idempotencyKey: string,
  ): Promise<AdyenCall<T>> {
    if (!this.opts.cards) return { kind: 'not_sent', reason: 'no card vault is configured' };
    const forwarded = await this.opts.cards.forward(scope, {
      url: `${this.account.endpoint}${path}`,
      method: 'POST',
      headers: this.headers(idempotencyKey),
      body: JSON.stringify(body),
    });
    return forwardedOutcome<T>(forwarded);
  }
}
