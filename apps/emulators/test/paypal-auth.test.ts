import { request as httpRequest } from 'node:http';
import { responseErrors } from '@payin/provider-wire/paypal/conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accessToken,
  CLIENT_ID,
  orderRequest,
  paypal,
  type RunningPayPal,
  startPayPal,
} from './paypal-harness.js';

let emulator: RunningPayPal;
let token: string;

beforeAll(async () => {
  emulator = await startPayPal();
  token = await accessToken(emulator.url);
});
afterAll(() => emulator.close());

const ORDERS = '/v2/checkout/orders';
const conforms = (method: 'get' | 'post', path: string, answer: { status: number; body: unknown }) =>
  expect(responseErrors('orders', method, path, answer.status, answer.body)).toEqual([]);

describe('PayPal emulator: OAuth', () => {
  it('issues a Bearer token with expires_in for the client id and secret', async () => {
    const response = await fetch(`${emulator.url}/paypal/v1/oauth2/token`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${CLIENT_ID}:payin-sandbox-secret`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      token_type: 'Bearer',
      expires_in: 32400,
      access_token: expect.stringMatching(/^A21AA/),
    });
  });

  it('refuses wrong credentials with invalid_client, another grant type with unsupported_grant_type', async () => {
    const wrong = await fetch(`${emulator.url}/paypal/v1/oauth2/token`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${CLIENT_ID}:nope`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({
      error: 'invalid_client',
      error_description: 'Client Authentication failed',
    });
    const grant = await fetch(`${emulator.url}/paypal/v1/oauth2/token`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${CLIENT_ID}:payin-sandbox-secret`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=password',
    });
    expect(grant.status).toBe(400);
    expect((await grant.json()).error).toBe('unsupported_grant_type');
  });

  it('answers 401 AUTHENTICATION_FAILURE without a token, with an unknown one and with an expired one', async () => {
    for (const bearer of [null, 'A21AAnot-a-token']) {
      const answer = await paypal(emulator.url, bearer, 'POST', ORDERS, orderRequest());
      expect(answer.status).toBe(401);
      expect(answer.body.name).toBe('AUTHENTICATION_FAILURE');
      conforms('post', ORDERS, answer);
    }
    const own = await accessToken(emulator.url);
    await fetch(`${emulator.url}/_control/paypal/tokens/expire`, { method: 'POST' });
    const expired = await paypal(emulator.url, own, 'GET', `${ORDERS}/ANY`);
    expect(expired.status).toBe(401);
    expect(expired.body.name).toBe('AUTHENTICATION_FAILURE');
    token = await accessToken(emulator.url);
  });
});

/** A request with its own Host header (fetch does not let a caller set one). */
function hostRequest(port: number, host: string, method: string, path: string, body?: unknown) {
  return new Promise<{ status: number; body: any }>((resolve, reject) => {
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: { Host: host, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk) => {
          text += chunk;
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }),
        );
      },
    );
    request.on('error', reject);
    request.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

describe('PayPal emulator: the sandbox host', () => {
  it('serves the bare paths to requests for api-m.sandbox.paypal.com, and only to them', async () => {
    const port = Number(new URL(emulator.url).port);
    const created = await hostRequest(port, 'api-m.sandbox.paypal.com', 'POST', ORDERS, orderRequest());
    expect(created.status).toBe(201);
    expect(created.body.links[0].href).toBe(`https://api-m.sandbox.paypal.com${ORDERS}/${created.body.id}`);
    const elsewhere = await hostRequest(port, 'localhost', 'GET', `${ORDERS}/${created.body.id}`);
    expect(elsewhere.status).toBe(404);
  });
});
