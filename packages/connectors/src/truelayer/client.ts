import { createHash } from 'node:crypto';
import type { ProviderError } from '@payin/core';
import type { ProblemDetails, TokenResponse } from '@payin/provider-wire/truelayer';
import { sign } from 'truelayer-signing';
import type { TrueLayerAccount } from './account.js';
import { credentialsRefused, requestRefused } from './errors.js';

/**
 * How one call to TrueLayer ended, as far as payin may conclude:
 * - `answered`: TrueLayer took the request and answered 2xx (`body` undefined when it sent none);
 * - `rejected`: TrueLayer refused the request itself (4xx): nothing happened;
 * - `not_sent`: nothing reached the Payments API, or TrueLayer did nothing and asked to come back
 *   (429): sending it again is safe;
 * - `unknown`: it may have reached TrueLayer and acted (timeout, cut connection, 5xx, the key's
 *   first request still running or answered elsewhere): only the same Idempotency-Key again, a
 *   read, or the webhook tells.
 */
export type TrueLayerCall<T> =
  | { kind: 'answered'; status: number; body: T | undefined }
  | { kind: 'rejected'; status: number; error: ProviderError; problem?: ProblemDetails; detail: string }
  | { kind: 'not_sent'; reason: string }
  /** `status`: TrueLayer's HTTP status when it answered; `timedOut`: payin stopped waiting. */
  | { kind: 'unknown'; reason: string; status?: number; timedOut?: boolean };

/** Connection errors that mean the request never left (no connection was made). */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** TrueLayer's problem details (docs.truelayer.com/docs/payments-api-errors), when the body is one. */
export function problemOf(body: unknown): ProblemDetails | undefined {
  const p = body as Partial<ProblemDetails> | null;
  return typeof p === 'object' && p !== null && typeof p.title === 'string'
    ? (p as ProblemDetails)
    : undefined;
}

/** A problem in one line for payin's log and a modification's reason: never card data, never secrets. */
export function describeProblem(status: number, problem: ProblemDetails | undefined): string {
  if (!problem) return `TrueLayer answered ${status}`;
  const fields = problem.errors
    ? ` [${Object.entries(problem.errors)
        .map(([path, reasons]) => `${path}: ${reasons.join(' ')}`)
        .join('; ')}]`
    : '';
  return `TrueLayer answered ${status} ${problem.title}${problem.detail ? `: ${problem.detail}` : ''}${fields} (trace_id ${problem.trace_id})`;
}

/** The HTTP answer as a call outcome: only a 2xx is TrueLayer's answer, a 4xx a refusal, the rest unknown. */
export function callOutcome<T>(status: number, text: string): TrueLayerCall<T> {
  let body: unknown;
  let parsed = true;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = false;
  }
  if (status >= 200 && status < 300) {
    if (!parsed)
      return { kind: 'unknown', reason: `TrueLayer answered ${status} with a body that is not JSON` };
    return { kind: 'answered', status, body: body as T | undefined };
  }
  const problem = problemOf(body);
  const detail = describeProblem(status, problem);
  // 409: a request with this Idempotency-Key is still running; 422 Idempotency-Key Reuse: the key
  // went with another body before. Either way the first request stands, and its outcome is not
  // in this answer (docs.truelayer.com/docs/idempotency).
  if (status === 409 || (status === 422 && /idempotency/i.test(`${problem?.title} ${problem?.type}`))) {
    return { kind: 'unknown', reason: detail, status };
  }
  // Too many requests: refused before anything was done.
  if (status === 429) return { kind: 'not_sent', reason: detail };
  if (status === 401 || status === 403) {
    return { kind: 'rejected', status, error: credentialsRefused, ...(problem ? { problem } : {}), detail };
  }
  if (status >= 400 && status < 500) {
    return {
      kind: 'rejected',
      status,
      error: requestRefused(problem),
      ...(problem ? { problem } : {}),
      detail,
    };
  }
  return { kind: 'unknown', reason: detail, status };
}

/**
 * The Idempotency-Key of one step of one payin operation: the same on every retry (payin's key
 * is), distinct for each step of it (creating a payment, cancelling it, each refund), and a UUID,
 * the form TrueLayer documents for the header. The step is hashed in so that one payin key never
 * reaches two TrueLayer endpoints: a key sent with another body is refused as reused.
 */
export function idempotencyKeyFor(step: string, payinKey: string): string {
  const hex = createHash('sha256').update(`payin:truelayer:${step}:${payinKey}`).digest('hex');
  // Laid out as a version 8 (custom) UUID, RFC 9562 §5.8.
  const variant = ((Number.parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

export interface TrueLayerClientOptions {
  /** How long to wait for an answer before the outcome is unknown. */
  timeoutMs: number;
  fetch: typeof fetch;
  /** The clock tokens expire by (tests). */
  now?: () => number;
}

type TokenOutcome =
  | { kind: 'ok'; token: string; fresh: boolean }
  | Extract<TrueLayerCall<never>, { kind: 'rejected' | 'not_sent' }>;

/** A token is renewed this long before TrueLayer says it expires, so no call carries a dying one. */
const TOKEN_MARGIN_MS = 60_000;

/**
 * Calls to one TrueLayer client: an access token (client credentials, `payments` scope) cached
 * until shortly before it expires and fetched once however many calls wait for it; every POST
 * signed (`Tl-Signature`, ES512) over its path, its Idempotency-Key and its body exactly as sent.
 */
export class TrueLayerClient {
  private token: { value: string; expiresAt: number } | undefined;
  private tokenInFlight: Promise<TokenOutcome> | undefined;
  private readonly now: () => number;

  constructor(
    private readonly account: TrueLayerAccount,
    private readonly opts: TrueLayerClientOptions,
  ) {
    this.now = opts.now ?? Date.now;
  }

  get<T>(path: string): Promise<TrueLayerCall<T>> {
    return this.call<T>('GET', path);
  }

  post<T>(path: string, body: unknown, idempotencyKey: string): Promise<TrueLayerCall<T>> {
    return this.call<T>('POST', path, {
      text: body === undefined ? '' : JSON.stringify(body),
      idempotencyKey,
    });
  }

  private async call<T>(
    method: 'GET' | 'POST',
    path: string,
    post?: { text: string; idempotencyKey: string },
  ): Promise<TrueLayerCall<T>> {
    const token = await this.accessToken();
    if (token.kind !== 'ok') return token;
    const first = await this.send<T>(method, path, token.token, post);
    // A token TrueLayer no longer takes (revoked, or expired early) was refused before anything
    // happened: once more with a new one, under the same Idempotency-Key.
    if (first.kind === 'rejected' && first.status === 401 && !token.fresh) {
      this.token = undefined;
      const again = await this.accessToken();
      if (again.kind !== 'ok') return again;
      return this.send<T>(method, path, again.token, post);
    }
    return first;
  }

  private async send<T>(
    method: 'GET' | 'POST',
    path: string,
    token: string,
    post?: { text: string; idempotencyKey: string },
  ): Promise<TrueLayerCall<T>> {
    const url = `${this.account.apiEndpoint}${path}`;
    const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
    if (post) {
      // An action without a body (cancel) is sent without one, and signed over the empty body.
      if (post.text !== '') headers['Content-Type'] = 'application/json';
      headers['Idempotency-Key'] = post.idempotencyKey;
      try {
        headers['Tl-Signature'] = sign({
          kid: this.account.signingKeyId,
          privateKeyPem: this.account.signingPrivateKey,
          // The path as sent: TrueLayer's own (`/v3/payments`) unless the API base has a path.
          path: new URL(url).pathname,
          headers: { 'Idempotency-Key': post.idempotencyKey },
          body: post.text,
        });
      } catch (error) {
        return { kind: 'not_sent', reason: `the request could not be signed: ${(error as Error).message}` };
      }
    }
    return this.exchange<T>(url, {
      method,
      headers,
      ...(post ? { body: post.text } : {}),
    });
  }

  private async exchange<T>(url: string, init: RequestInit): Promise<TrueLayerCall<T>> {
    let response: Response;
    try {
      response = await this.opts.fetch(url, {
        ...init,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code ?? '';
      const name = (error as Error).name;
      const reason = `TrueLayer did not answer: ${code || name}`;
      if (NOT_SENT.has(code)) return { kind: 'not_sent', reason };
      return { kind: 'unknown', reason, ...(name === 'TimeoutError' ? { timedOut: true } : {}) };
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      return { kind: 'unknown', reason: `TrueLayer's answer was cut: ${(error as Error).message}` };
    }
    return callOutcome<T>(response.status, text);
  }

  private accessToken(): Promise<TokenOutcome> {
    if (this.token && this.token.expiresAt > this.now()) {
      return Promise.resolve({ kind: 'ok', token: this.token.value, fresh: false });
    }
    if (!this.tokenInFlight) {
      this.tokenInFlight = this.fetchToken().finally(() => {
        this.tokenInFlight = undefined;
      });
    }
    return this.tokenInFlight;
  }

  /**
   * `POST /connect/token` (docs.truelayer.com/docs/generate-a-payments-access-token). Whatever
   * goes wrong here, the Payments API call it was for was not sent.
   */
  private async fetchToken(): Promise<TokenOutcome> {
    const answer = await this.exchange<TokenResponse>(`${this.account.authEndpoint}/connect/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: this.account.clientId,
        client_secret: this.account.clientSecret,
        scope: 'payments',
      }).toString(),
    });
    if (answer.kind === 'answered') {
      const body = answer.body;
      if (typeof body?.access_token !== 'string' || typeof body.expires_in !== 'number') {
        return { kind: 'not_sent', reason: 'TrueLayer answered the token request without a token' };
      }
      const lifetimeMs = body.expires_in * 1000;
      this.token = {
        value: body.access_token,
        expiresAt: this.now() + Math.max(lifetimeMs - TOKEN_MARGIN_MS, lifetimeMs / 2),
      };
      return { kind: 'ok', token: body.access_token, fresh: true };
    }
    if (answer.kind === 'rejected') {
      // The auth server answers RFC 6749 errors (`invalid_client`), not problem details.
      return { ...answer, error: credentialsRefused, detail: `access token refused: ${answer.detail}` };
    }
    return { kind: 'not_sent', reason: `no access token: ${answer.reason}` };
  }
}
