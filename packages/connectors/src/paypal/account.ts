/**
 * What payin keeps of a merchant's PayPal REST app: the API base and the webhook's id
 * (settings, shown back), the app's client id and secret (credentials, sealed at rest and never
 * shown back).
 */
export interface PayPalAccount {
  /** The connector account id (`ca_…`). */
  id: string;
  /** API base without a trailing slash: `https://api-m.sandbox.paypal.com`. */
  endpoint: string;
  /**
   * The id PayPal gave the webhook subscription of payin's URL: it is part of every signed
   * message, so deliveries meant for another listener do not verify here.
   */
  webhookId: string;
  clientId: string;
  clientSecret: string;
}

export const PAYPAL_SANDBOX_ENDPOINT = 'https://api-m.sandbox.paypal.com';
export const PAYPAL_LIVE_ENDPOINT = 'https://api-m.paypal.com';

/** The API base of an account: its `endpoint` setting, or PayPal's host for its mode. */
export function paypalEndpoint(livemode: boolean, settings: { endpoint?: string }): string {
  if (settings.endpoint) return settings.endpoint.replace(/\/+$/, '');
  return livemode ? PAYPAL_LIVE_ENDPOINT : PAYPAL_SANDBOX_ENDPOINT;
}

/** How an access token request ended: a token, a refusal of the credentials, or no answer. */
export type TokenOutcome =
  | { kind: 'token'; accessToken: string }
  | { kind: 'rejected'; status: number; error: string }
  | { kind: 'not_sent'; reason: string };

/**
 * Renewed this long before PayPal's `expires_in` runs out (at most half the lifetime), so that a
 * token is never sent in its last seconds and refused on arrival.
 */
const RENEW_BEFORE_MS = 5 * 60_000;

/**
 * OAuth 2.0 client credentials (https://developer.paypal.com/api/rest/authentication/): one
 * token per REST app, reused until shortly before it expires (PayPal: 9 hours). Callers that
 * need one at the same time share one request: PayPal may rate-limit token calls, and each
 * would replace the app's token for nothing.
 */
export class PayPalAccessTokens {
  private current: { accessToken: string; renewAt: number } | undefined;
  private inFlight: Promise<TokenOutcome> | undefined;

  constructor(
    private readonly account: Pick<PayPalAccount, 'endpoint' | 'clientId' | 'clientSecret'>,
    private readonly deps: { fetch: typeof fetch; timeoutMs: number; now?: () => number },
  ) {}

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  async get(): Promise<TokenOutcome> {
    if (this.current && this.now() < this.current.renewAt) {
      return { kind: 'token', accessToken: this.current.accessToken };
    }
    this.inFlight ??= this.request().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** PayPal refused this token (401): the next call takes a new one. */
  forget(accessToken: string): void {
    if (this.current?.accessToken === accessToken) this.current = undefined;
  }

  private async request(): Promise<TokenOutcome> {
    const basic = Buffer.from(`${this.account.clientId}:${this.account.clientSecret}`).toString('base64');
    const started = this.now();
    let response: Response;
    let text: string;
    try {
      response = await this.deps.fetch(`${this.account.endpoint}/v1/oauth2/token`, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${basic}`,
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        },
        body: 'grant_type=client_credentials',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.deps.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      // Whatever became of the token request, no payment request went out.
      return { kind: 'not_sent', reason: `no PayPal access token: ${(error as Error).name}` };
    }
    let body: { access_token?: unknown; expires_in?: unknown; error?: unknown } = {};
    try {
      body = JSON.parse(text);
    } catch {
      // Read below as an answer without a token.
    }
    if (response.status >= 400 && response.status < 500) {
      return {
        kind: 'rejected',
        status: response.status,
        error: String(body.error ?? `HTTP ${response.status}`),
      };
    }
    if (!response.ok || typeof body.access_token !== 'string' || typeof body.expires_in !== 'number') {
      return { kind: 'not_sent', reason: `no PayPal access token: HTTP ${response.status}` };
    }
    const lifetimeMs = body.expires_in * 1000;
    this.current = {
      accessToken: body.access_token,
      renewAt: started + lifetimeMs - Math.min(RENEW_BEFORE_MS, lifetimeMs / 2),
    };
    return { kind: 'token', accessToken: body.access_token };
  }
}
