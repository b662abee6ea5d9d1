import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hmacValidator } from '@adyen/api-library';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulators } from '../src/server.js';
import { API_KEY, adyen, cardPayment, startTestEmulators } from './harness.js';

const HMAC_KEY = '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056';
const visa = { number: '4111111111111111' };

let emulators: RunningEmulators;
let receiver: Server;
const received: any[] = [];

beforeAll(async () => {
  emulators = await startTestEmulators();
  receiver = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => {
      text += chunk;
    });
    request.on('end', () => {
      received.push(JSON.parse(text).notificationItems[0].NotificationRequestItem);
      response.writeHead(200).end('[accepted]');
    });
  });
  await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/adyen`;
  await control('POST', '/_control/adyen/webhooks', { url, hmacKey: HMAC_KEY });
});
afterAll(async () => {
  await emulators.close();
  receiver.close();
});
beforeEach(async () => {
  await control('DELETE', '/_control/adyen/faults');
});

async function control(method: string, path: string, body?: unknown) {
  const response = await fetch(emulators.url + path, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

const ledgerOf = async (pspReference: string) =>
  (await control('GET', `/_control/adyen/ledger?pspReference=${pspReference}`)).body.payments[0];

const waitFor = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
};

describe('Adyen emulator faults', () => {
  it('answers 500 before doing anything', async () => {
    await control('POST', '/_control/adyen/faults', {
      calls: [{ operation: 'payments', fault: 'error_500' }],
    });
    const failed = await adyen(emulators.url, '/payments', cardPayment(visa));
    expect(failed.status).toBe(500);
    expect(failed.body).toMatchObject({ status: 500, errorType: 'internal' });
    // Used up: the next call goes through.
    expect((await adyen(emulators.url, '/payments', cardPayment(visa))).body.resultCode).toBe('Authorised');
  });

  it('times out after charging, and the retry with the same Idempotency-Key learns the outcome', async () => {
    await control('POST', '/_control/adyen/faults', { calls: [{ operation: 'payments', fault: 'timeout' }] });
    const body = cardPayment(visa);
    const lost = await fetch(`${emulators.url}/adyen/checkout/v71/payments`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-API-Key': API_KEY,
        'Idempotency-Key': 'key-timeout-1',
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(500),
    }).catch((error: Error) => error);
    expect(lost).toBeInstanceOf(Error);
    const retried = await adyen(emulators.url, '/payments', body, { idempotencyKey: 'key-timeout-1' });
    expect(retried.body.resultCode).toBe('Authorised');
    expect((await ledgerOf(retried.body.pspReference)).authorised).toBe(1999);
  });

  it('cuts the connection after a capture, which the ledger still shows', async () => {
    const paid = await adyen(
      emulators.url,
      '/payments',
      cardPayment(visa, { additionalData: { manualCapture: 'true' } }),
    );
    await control('POST', '/_control/adyen/faults', {
      calls: [{ operation: 'captures', fault: 'drop_answer' }],
    });
    const cut = await adyen(emulators.url, `/payments/${paid.body.pspReference}/captures`, {
      merchantAccount: 'PayinTestMerchant',
      amount: { currency: 'EUR', value: 1999 },
    }).catch((error: Error) => error);
    expect(cut).toBeInstanceOf(Error);
    expect((await ledgerOf(paid.body.pspReference)).captured).toBe(1999);
  });

  it('delays every call by the latency set', async () => {
    await control('POST', '/_control/adyen/faults', { latencyMs: 150 });
    const started = Date.now();
    await adyen(emulators.url, '/payments', cardPayment(visa));
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('drops and duplicates webhooks on request', async () => {
    await control('POST', '/_control/adyen/faults', { webhooks: { drop: 1 } });
    const dropped = await adyen(emulators.url, '/payments', cardPayment(visa));
    await control('POST', '/_control/adyen/faults', { webhooks: { duplicate: 1 } });
    const doubled = await adyen(emulators.url, '/payments', cardPayment(visa));
    await waitFor(() => received.filter((i) => i.pspReference === doubled.body.pspReference).length === 2);
    expect(received.filter((i) => i.pspReference === doubled.body.pspReference)).toHaveLength(2);
    expect(received.filter((i) => i.pspReference === dropped.body.pspReference)).toHaveLength(0);
    const deliveries = (await control('GET', '/_control/adyen/webhooks')).body;
    expect(JSON.stringify(deliveries)).toContain('"dropped":true');
  });

  it('resends a dropped notification, signed as before', async () => {
    await control('POST', '/_control/adyen/faults', { webhooks: { drop: 1 } });
    const lost = (await adyen(emulators.url, '/payments', cardPayment(visa))).body.pspReference;
    const deliveries = async () =>
      (await control('GET', '/_control/adyen/webhooks')).body.deliveries as any[];
    // The receiver accepts everything, so once the rest has arrived what is left is what was dropped.
    let pending: any[] = [];
    for (let i = 0; i < 100; i++) {
      pending = (await deliveries()).filter((d) => !d.delivered);
      if (pending.every((d) => d.dropped)) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(pending.every((d) => d.dropped)).toBe(true);
    expect(pending.map((d) => d.pspReference)).toContain(lost);
    expect(received.filter((i) => i.pspReference === lost)).toHaveLength(0);

    const sentBefore = received.length;
    const resend = await control('POST', '/_control/adyen/webhooks/resend');
    expect(resend).toEqual({ status: 200, body: { resent: pending.length } });
    await waitFor(() => received.some((i) => i.pspReference === lost));
    const items = received.filter((i) => i.pspReference === lost);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ eventCode: 'AUTHORISATION', success: 'true' });
    expect(new hmacValidator().validateHMAC(items[0], HMAC_KEY)).toBe(true);
    const delivery = (await deliveries()).find((d) => d.pspReference === lost);
    expect(delivery).toMatchObject({ delivered: true, attempts: 1 });
    expect(delivery.dropped).toBeUndefined();
    // Nothing is left to resend once everything has been accepted.
    await waitFor(() => received.length >= sentBefore + pending.length);
    expect((await control('POST', '/_control/adyen/webhooks/resend')).body).toEqual({ resent: 0 });
  });

  it('refuses fault settings it does not understand', async () => {
    expect(
      (await control('POST', '/_control/adyen/faults', { calls: [{ operation: 'payments', fault: 'melt' }] }))
        .status,
    ).toBe(400);
    expect((await control('POST', '/_control/adyen/faults', { latencyMs: -1 })).status).toBe(400);
  });
});
