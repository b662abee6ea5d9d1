import type { ProviderError } from '@payin/core';
import type { KlarnaErrorBody } from '@payin/provider-wire/klarna';
import type { KlarnaAccount } from './account.js';
import { klarnaError } from './errors.js';

/**
 * How one call to Klarna ended, as far as payin may conclude:
 * - `answered`: a 2xx; `body` is its JSON (Order Management's 201 and 204 have none: the ids are
 *   in `headers`, `Capture-Id`, `Refund-Id`, `Location`);
 * - `rejected`: a 4xx with Klarna's error body: Klarna refused, nothing was done;
 * - `not_sent`: it never reached Klarna, or Klarna turned it away before acting (429);
 * - `unknown`: it may have been done (timeout, cut connection, 5xx, an idempotency conflict):
 *   only the same request again with the same Klarna-Idempotency-Key, or a read, tells.
 */
export type KlarnaCall<T> =
  | { kind: 'answered'; status: number; body: T | undefined; headers: Headers }
  | {
      kind: 'rejected';
      status: number;
      errorCode: string | undefined;
      error: ProviderError;
      /** Klarna's messages and correlation id, for payin's log (they name fields and ids). */
      detail: string;
    }
  | { kind: 'not_sent'; reason: string }
  | { kind: 'unknown'; reason: string; status?: number };

/** Connection errors that mean the request never left (no connection was made). */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function parse(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** The HTTP answer as a call outcome. */
export function callOutcome<T>(
  status: number,
  text: string,
  headers: Headers = new Headers(),
): KlarnaCall<T> {
  const body = parse(text);
  if (status >= 200 && status < 300) {
    if (text !== '' && (typeof body !== 'object' || body === null))
      return {
        kind: 'unknown',
        reason: `Klarna answered ${status} with a body that is not a JSON object`,
        status,
      };
    return { kind: 'answered', status, body: body as T | undefined, headers };
  }
  const error = (typeof body === 'object' && body !== null ? body : {}) as Partial<KlarnaErrorBody>;
  const detail = `Klarna answered ${status}${error.error_code ? ` ${error.error_code}` : ''}${
    Array.isArray(error.error_messages) ? `: ${error.error_messages.join('; ')}` : ''
  }${error.correlation_id ? ` (correlation_id ${error.correlation_id})` : ''}`;
  // The key came back with another request: the first one decides, and it is not known here.
  if (status === 409) return { kind: 'unknown', reason: detail, status };
  // Rate limited: refused before anything was done, the same call may be sent again.
  if (status === 429) return { kind: 'not_sent', reason: detail };
  if (status >= 400 && status < 500)
    return {
      kind: 'rejected',
      status,
      errorCode: error.error_code,
      error: klarnaError(status, error.error_code),
      detail,
    };
  return { kind: 'unknown', reason: detail, status };
}

export interface KlarnaClientOptions {
  /** How long to wait for an answer before the outcome is unknown. */
  timeoutMs: number;
  fetch?: typeof fetch;
}

/**
 * Calls to one Klarna account, authenticated with its API credentials (HTTP Basic). Every POST
 * carries a `Klarna-Idempotency-Key`: sent again with the same key and body, Klarna answers what
 * it did the first time instead of doing it twice.
 */
export class KlarnaClient {
  private readonly authorization: string;

  constructor(
    private readonly account: KlarnaAccount,
    private readonly opts: KlarnaClientOptions,
  ) {
    this.authorization = `Basic ${Buffer.from(`${account.username}:${account.password}`).toString('base64')}`;
  }

  get endpoint(): string {
    return this.account.endpoint;
  }

  get<T>(path: string): Promise<KlarnaCall<T>> {
    return this.send<T>('GET', path, undefined, undefined);
  }

  post<T>(path: string, body: unknown, idempotencyKey: string): Promise<KlarnaCall<T>> {
    return this.send<T>('POST', path, body, idempotencyKey);
  }

  private async send<T>(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    idempotencyKey: string | undefined,
  ): Promise<KlarnaCall<T>> {
    const headers: Record<string, string> = { Authorization: this.authorization, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (idempotencyKey) headers['Klarna-Idempotency-Key'] = idempotencyKey;
    const doFetch = this.opts.fetch ?? fetch;
    let response: Response;
    try {
      response = await doFetch(`${this.account.endpoint}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code ?? '';
      const reason = `Klarna did not answer: ${code || (error as Error).name}`;
      return NOT_SENT.has(code) ? { kind: 'not_sent', reason } : { kind: 'unknown', reason };
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      return { kind: 'unknown', reason: `Klarna's answer was cut: ${(error as Error).message}` };
    }
    return callOutcome<T>(response.status, text, response.headers);
  }
}
