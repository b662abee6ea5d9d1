import type { BillingDetails, BillingField } from '@payin/core';

/**
 * The checkout's calls to payin's browser API (`/v1/checkout/…`) with the publishable key and
 * the payment's client secret. A confirmation carries one Idempotency-Key, reused when the
 * connection fails and the call is sent again: a shopper on a bad network is never charged twice.
 */
export interface CheckoutPayment {
  id: string;
  object: 'checkout_payment';
  amount: number;
  currency: string;
  /** The amount as the shopper reads it in the client's `locale` (formatted by the api). */
  formatted_amount: string;
  country: string | null;
  status:
    | 'requires_payment_method'
    | 'requires_confirmation'
    | 'requires_action'
    | 'processing'
    | 'requires_capture'
    | 'succeeded'
    | 'canceled';
  next_action: NextAction | null;
  last_error: { type: string; code: string; decline_code?: string; message: string } | null;
  /** The method of the payment's attempt (a card's brand and last digits), when the api says. */
  payment_method_details: { type: string; card?: { brand: string; last4: string } } | null;
  /**
   * The methods offered, in the order to show them: cards with the brands to show, the others
   * with what the shopper must give about themselves first (`billing_details`).
   */
  payment_methods: OfferedMethod[];
  return_url: string | null;
  created: number;
  livemode: boolean;
}

/**
 * What the shopper does next: a page in the whole window (a bank's 3-D Secure page, PayPal,
 * Klarna, a bank's consent, Bizum's or PayPay's), or a voucher to pay in cash at a store.
 */
export type NextAction =
  | { type: 'redirect_to_url'; redirect_to_url: { url: string; return_url: string | null } }
  | { type: 'display_voucher'; display_voucher: Voucher };

export interface Voucher {
  /** The payment number the shopper gives at the store. */
  reference: string;
  /** The deadline, unix seconds. */
  expires_at: number;
  instructions_url: string | null;
  store: string | null;
}

export interface OfferedMethod {
  /** card, paypal, klarna, open_banking, bizum, konbini, paypay */
  type: string;
  brands?: string[];
  billing_details?: BillingField[];
}

/** The payer's details and their parts, as the api takes them (core's own types: no copy to drift). */
export type { BillingAddress, BillingDetails, BillingField } from '@payin/core';

/** A method other than a card, with what the shopper gave about themselves. */
export interface PaymentMethodData {
  type: string;
  billing_details?: BillingDetails;
}

/** An error answer of the API, or `network_error` when none came. */
export class CheckoutError extends Error {
  constructor(
    readonly type: string,
    readonly code: string,
    message: string,
    readonly declineCode?: string,
    readonly status?: number,
    /** The parameter a 400 names (`payment_method_data.billing_details.email`). */
    readonly param?: string,
  ) {
    super(message);
    this.name = 'CheckoutError';
  }

  get isDecline(): boolean {
    return this.type === 'card_error';
  }
}

export interface CheckoutClientOptions {
  /** payin's api origin, e.g. https://api.payin.example */
  apiUrl: string;
  publishableKey: string;
  paymentId: string;
  clientSecret: string;
  /** The locale the api writes `formatted_amount` in (default en-US). */
  locale?: string;
  fetch?: typeof fetch;
  /** Sends of one confirmation when the connection fails (same Idempotency-Key). Default 3. */
  attempts?: number;
  /** Wait between them, doubled each time. Default 400 ms. */
  retryDelayMs?: number;
}

export class CheckoutClient {
  private readonly fetch: typeof fetch;
  private readonly base: string;

  constructor(private readonly opts: CheckoutClientOptions) {
    this.fetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
    this.base = `${opts.apiUrl.replace(/\/$/, '')}/v1/checkout/payments/${encodeURIComponent(opts.paymentId)}`;
  }

  retrieve(): Promise<CheckoutPayment> {
    const query = new URLSearchParams({ client_secret: this.opts.clientSecret });
    if (this.opts.locale) query.set('locale', this.opts.locale);
    return this.call(`${this.base}?${query}`, { method: 'GET' });
  }

  /**
   * Pays with a vault token, or with another method (`payment_method_data`). Rejects with a
   * CheckoutError (`isDecline` for a refused card).
   */
  confirm(
    paymentMethod: string | PaymentMethodData,
    opts: { returnUrl?: string } = {},
  ): Promise<CheckoutPayment> {
    return this.call(`${this.base}/confirm`, {
      method: 'POST',
      idempotencyKey: newIdempotencyKey(),
      body: {
        client_secret: this.opts.clientSecret,
        ...(typeof paymentMethod === 'string'
          ? { payment_method: paymentMethod }
          : { payment_method_data: paymentMethod }),
        ...(this.opts.locale ? { locale: this.opts.locale } : {}),
        ...(opts.returnUrl ? { return_url: opts.returnUrl } : {}),
      },
    });
  }

  private async call(
    url: string,
    req: { method: 'GET' | 'POST'; body?: unknown; idempotencyKey?: string },
  ): Promise<CheckoutPayment> {
    const attempts = this.opts.attempts ?? 3;
    let delay = this.opts.retryDelayMs ?? 400;
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await this.fetch(url, {
          method: req.method,
          headers: {
            Authorization: `Bearer ${this.opts.publishableKey}`,
            ...(req.body ? { 'Content-Type': 'application/json' } : {}),
            ...(req.idempotencyKey ? { 'Idempotency-Key': req.idempotencyKey } : {}),
          },
          body: req.body ? JSON.stringify(req.body) : undefined,
          credentials: 'omit',
        });
      } catch {
        if (attempt >= attempts)
          throw new CheckoutError('api_error', 'network_error', 'The connection failed.');
        await sleep(delay);
        delay *= 2;
        continue;
      }
      const body = (await response.json().catch(() => undefined)) as
        | CheckoutPayment
        | {
            error?: { type?: string; code?: string; message?: string; decline_code?: string; param?: string };
          }
        | undefined;
      if (response.ok && body && 'object' in body) return body;
      // 409: the same confirmation is still running (a retry overtook it): ask again shortly.
      if ((response.status === 409 || response.status >= 500) && attempt < attempts) {
        await sleep(delay);
        delay *= 2;
        continue;
      }
      const error = body && 'error' in body ? body.error : undefined;
      throw new CheckoutError(
        error?.type ?? 'api_error',
        error?.code ?? `http_${response.status}`,
        error?.message ?? `The payment API answered ${response.status}.`,
        error?.decline_code,
        response.status,
        error?.param,
      );
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A random key; crypto.randomUUID exists only in secure contexts, getRandomValues everywhere. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return `chk_${crypto.randomUUID()}`;
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `chk_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
