import { createHash } from 'node:crypto';
import type { ProviderError } from '@payin/core';
import type { PayPalAccessTokens, PayPalAccount } from './account.js';
import { errorFor, IN_PROGRESS_ISSUES, type PayPalRefusal } from './errors.js';

/**
 * How one call to PayPal's REST API ended, as far as payin may conclude:
 * - `answered`: PayPal took the request and answered (2xx); `body` is undefined for a 204;
 * - `rejected`: PayPal refused the request itself (4xx): nothing happened;
 * - `not_sent`: it never reached PayPal (no connection, or no access token to send it with);
 * - `unknown`: it may have reached PayPal (timeout, cut connection, 5xx, a request with the same
 *   PayPal-Request-Id still in progress): only a retry with that id, or a webhook, tells.
 */
export type PayPalCall<T> =
  | { kind: 'answered'; status: number; body: T | undefined }
  | { kind: 'rejected'; refusal: PayPalRefusal; error: ProviderError }
  | { kind: 'not_sent'; reason: string }
  | { kind: 'unknown'; reason: string; status?: number };

/** PayPal's error body (the specs' `error`), and OAuth's for the token call. */
interface ErrorBody {
  name?: string;
  message?: string;
  debug_id?: string;
  details?: { issue?: string; description?: string }[];
  error?: string;
  error_description?: string;
}

/** Connection errors that mean the request never left (no connection was made). */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** The HTTP answer as a call outcome: only a 2xx is PayPal's answer, 4xx a refusal, the rest unknown. */
export function callOutcome<T>(status: number, text: string): PayPalCall<T> {
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (status === 204) return { kind: 'answered', status, body: undefined };
  if (status >= 200 && status < 300) {
    if (typeof body !== 'object' || body === null) {
      return { kind: 'unknown', reason: `PayPal answered ${status} without a JSON object`, status };
    }
    return { kind: 'answered', status, body: body as T };
  }
  const error = (typeof body === 'object' && body !== null ? body : {}) as ErrorBody;
  const detail = error.details?.[0];
  const refusal: PayPalRefusal = {
    status,
    name: error.name ?? error.error,
    issue: detail?.issue,
    description: detail?.description ?? error.message ?? error.error_description,
    debugId: error.debug_id,
  };
  const described = `PayPal answered ${status}${refusal.name ? ` ${refusal.name}` : ''}${refusal.issue ? ` (${refusal.issue})` : ''}${refusal.debugId ? `, debug id ${refusal.debugId}` : ''}`;
  // 409 is PayPal's answer to a request that collides with another under the same
  // PayPal-Request-Id: the other one's outcome stands, unknown here.
  if (status === 409 || (refusal.issue && IN_PROGRESS_ISSUES.has(refusal.issue))) {
    return { kind: 'unknown', reason: described, status };
  }
  if (status >= 400 && status < 500) return { kind: 'rejected', refusal, error: errorFor(refusal) };
  return { kind: 'unknown', reason: described, status };
}

/**
 * The PayPal-Request-Id for payin's idempotency key: the key itself, stable across retries of
 * one operation, or its SHA-256 when longer than PayPal's 108 characters.
 */
export function paypalRequestId(idempotencyKey: string): string {
  if (idempotencyKey.length > 0 && idempotencyKey.length <= 108) return idempotencyKey;
  return createHash('sha256').update(idempotencyKey).digest('hex');
}

export interface PayPalRequest {
  body?: unknown;
  /** payin's idempotency key of the operation: every POST carries one. */
  idempotencyKey?: string;
  /** `return=representation`: the whole resource instead of PayPal's minimal answer. */
  representation?: boolean;
}

/**
 * Calls to one PayPal REST app, each with a bearer token (taken once and shared, see
 * PayPalAccessTokens) and, for POSTs, a PayPal-Request-Id
 * (https://developer.paypal.com/reference/guidelines/idempotency/): a retry with the same id
 * answers what the first request did instead of doing it again.
 */
export class PayPalClient {
  constructor(
    private readonly account: Pick<PayPalAccount, 'endpoint'>,
    private readonly tokens: PayPalAccessTokens,
    private readonly deps: { fetch: typeof fetch; timeoutMs: number },
  ) {}

  async call<T>(method: 'GET' | 'POST', path: string, req: PayPalRequest = {}): Promise<PayPalCall<T>> {
    if (method === 'POST' && !req.idempotencyKey) throw new Error(`POST ${path} needs an idempotency key`);
    let call: PayPalCall<T> = { kind: 'not_sent', reason: 'not sent' };
    // A 401 means PayPal refused the token before doing anything (revoked, or expired early):
    // once with a new token.
    for (let i = 0; i < 2; i++) {
      const token = await this.tokens.get();
      if (token.kind === 'not_sent') return { kind: 'not_sent', reason: token.reason };
      if (token.kind === 'rejected') {
        const refusal = { status: token.status, name: token.error };
        return { kind: 'rejected', refusal, error: errorFor({ ...refusal, status: 401 }) };
      }
      call = await this.send<T>(method, path, req, token.accessToken);
      if (call.kind !== 'rejected' || call.refusal.status !== 401) return call;
      this.tokens.forget(token.accessToken);
    }
    return call;
  }

  private async send<T>(
    method: 'GET' | 'POST',
    path: string,
    req: PayPalRequest,
    accessToken: string,
  ): Promise<PayPalCall<T>> {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${accessToken}`,
      Accept: 'application/json',
    };
    if (method === 'POST') {
      headers['Content-Type'] = 'application/json';
      headers['PayPal-Request-Id'] = paypalRequestId(req.idempotencyKey ?? '');
    }
    if (req.representation) headers.Prefer = 'return=representation';
    let response: Response;
    try {
      response = await this.deps.fetch(`${this.account.endpoint}${path}`, {
        method,
        headers,
        ...(method === 'POST' ? { body: req.body === undefined ? '' : JSON.stringify(req.body) } : {}),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.deps.timeoutMs),
      });
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code ?? '';
      const reason = `PayPal did not answer: ${code || (error as Error).name}`;
      return NOT_SENT.has(code) ? { kind: 'not_sent', reason } : { kind: 'unknown', reason };
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      return { kind: 'unknown', reason: `PayPal's answer was cut: ${(error as Error).name}` };
    }
    return callOutcome<T>(response.status, text);
  }
}
