import { createLogger } from '@payin/telemetry';
import { type RunningEmulators, startEmulators } from '../src/server.js';

export const API_KEY = 'adyen_test_key';
export const MERCHANT = 'PayinTestMerchant';

/** The emulators on a random port, silent. */
export function startTestEmulators(): Promise<RunningEmulators> {
  return startEmulators(
    {
      port: 0,
      host: '127.0.0.1',
      publicUrl: '',
      adyen: { apiKeys: [API_KEY], webhookRetryMs: 20 },
      logLevel: 'silent',
    },
    { logger: createLogger('silent', 'payin-emulators') },
  );
}

export interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

export async function adyen(
  base: string,
  path: string,
  body: unknown,
  opts: { version?: string; apiKey?: string | null; idempotencyKey?: string; raw?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (opts.apiKey !== null) headers['X-API-Key'] = opts.apiKey ?? API_KEY;
  if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey;
  const response = await fetch(`${base}/adyen/checkout/${opts.version ?? 'v71'}${path}`, {
    method: 'POST',
    headers,
    body: opts.raw ?? JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

export function cardPayment(card: Record<string, string>, extra: Record<string, unknown> = {}) {
  return {
    merchantAccount: MERCHANT,
    amount: { currency: 'EUR', value: 1999 },
    reference: `order-${Math.random().toString(36).slice(2)}`,
    returnUrl: 'https://shop.example/return',
    channel: 'Web',
    paymentMethod: {
      type: 'scheme',
      expiryMonth: '03',
      expiryYear: '2030',
      cvc: '737',
      holderName: 'J. Smith',
      ...card,
    },
    ...extra,
  };
}
