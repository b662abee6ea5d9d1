import { signServiceRequest } from './signature.js';

export interface ServiceAnswer<T> {
  status: number;
  body: T;
}

/**
 * A signed JSON client from one payin process to another (the api to the vault, the vault to
 * the api). Errors of transport reject; HTTP statuses, errors included, resolve.
 */
export class ServiceClient {
  constructor(
    private readonly baseUrl: string,
    private readonly secret: string,
    private readonly caller: string,
    private readonly timeoutMs = 30_000,
  ) {}

  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<ServiceAnswer<T>> {
    const text = body === undefined ? '' : JSON.stringify(body);
    const response = await fetch(this.baseUrl + path, {
      method,
      headers: {
        'payin-service-signature': signServiceRequest(this.secret, this.caller, { method, path, body: text }),
        ...(text ? { 'content-type': 'application/json' } : {}),
      },
      body: text || undefined,
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const answer = await response.text();
    return { status: response.status, body: (answer ? JSON.parse(answer) : null) as T };
  }
}
