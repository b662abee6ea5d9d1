import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hmacValidator } from '@adyen/api-library';
import { webhookErrors } from '@payin/provider-wire/adyen/conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulators } from '../src/server.js';
import { adyen, cardPayment, MERCHANT, startTestEmulators } from './harness.js';

const HMAC_KEY = '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056';

let emulators: RunningEmulators;
let receiver: Server;
const received: any[] = [];
let refusals = 0;

beforeAll(async () => {
  emulators = await startTestEmulators();
  // A receiver that fails its first two deliveries, then accepts as Adyen requires.
  receiver = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => {
      text += chunk;
    });
    request.on('end', () => {
      if (refusals < 2) {
        refusals += 1;
        response.writeHead(500).end('busy');
        return;
      }
      received.push(JSON.parse(text));
      response.writeHead(200, { 'Content-Type': 'text/plain' }).end('[accepted]');
    });
  });
  await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/adyen`;
  const registered = await fetch(`${emulators.url}/_control/adyen/webhooks`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ url, hmacKey: HMAC_KEY }),
  });
  expect(registered.status).toBe(201);
});
afterAll(async () => {
  await emulators.close();
  await new Promise((done) => receiver.close(done));
});

/** Waits until the receiver has the items of `pspReference` (payment or modification). */
async function itemsFor(pspReference: string, count: number): Promise<any[]> {
  for (let i = 0; i < 200; i++) {
    const items = received
      .map((body) => ({ body, item: body.notificationItems[0].NotificationRequestItem }))
      .filter(({ item }) => item.pspReference === pspReference || item.originalReference === pspReference);
    if (items.length >= count) return items;
    await new Promise((done) => setTimeout(done, 25));
  }
  throw new Error(`webhooks for ${pspReference} did not arrive`);
}

describe('Adyen emulator webhooks', () => {
  it('retries AUTHORISATION until [accepted], signed as the official library verifies, valid per Webhooks-v1', async () => {
    const payment = await adyen(emulators.url, '/payments', cardPayment({ number: '4111111111111111' }));
    const [{ body, item }] = await itemsFor(payment.body.pspReference, 1);
    expect(item).toMatchObject({
      eventCode: 'AUTHORISATION',
      success: 'true',
      merchantAccountCode: MERCHANT,
      amount: { currency: 'EUR', value: 1999 },
    });
    expect(new hmacValidator().validateHMAC(item, HMAC_KEY)).toBe(true);
    expect(new hmacValidator().validateHMAC(item, HMAC_KEY.replace('4', '5'))).toBe(false);
    expect(webhookErrors('AUTHORISATION', body)).toEqual([]);
    const log = await (await fetch(`${emulators.url}/_control/adyen/webhooks`)).json();
    const delivery = log.deliveries.find((d: any) => d.pspReference === payment.body.pspReference);
    expect(delivery).toMatchObject({ delivered: true, attempts: 3 });
  });

  it('reports a refusal as AUTHORISATION success false with the refusal reason', async () => {
    const payment = await adyen(
      emulators.url,
      '/payments',
      cardPayment({ number: '4111111111111111', holderName: 'NOT_ENOUGH_BALANCE' }),
    );
    const [{ item }] = await itemsFor(payment.body.pspReference, 1);
    expect(item).toMatchObject({
      eventCode: 'AUTHORISATION',
      success: 'false',
      reason: 'Not enough balance',
    });
  });

  it('sends CAPTURE then CAPTURE_FAILED for holderName "capture failed", and REFUND / CANCEL_OR_REFUND', async () => {
    const failing = await adyen(
      emulators.url,
      '/payments',
      cardPayment({ number: '4111111111111111', holderName: 'capture failed' }),
    );
    const psp = failing.body.pspReference;
    await adyen(emulators.url, `/payments/${psp}/captures`, {
      merchantAccount: MERCHANT,
      amount: { currency: 'EUR', value: 1999 },
    });
    const items = await itemsFor(psp, 3);
    // Each notification goes out on its own connection, as Adyen's do: no order is promised.
    expect(items.map(({ item }) => [item.eventCode, item.success]).sort()).toEqual([
      ['AUTHORISATION', 'true'],
      ['CAPTURE', 'true'],
      ['CAPTURE_FAILED', 'true'],
    ]);
    for (const { body, item } of items) {
      expect(webhookErrors(item.eventCode, body)).toEqual([]);
      expect(new hmacValidator().validateHMAC(item, HMAC_KEY)).toBe(true);
    }

    const paid = (
      await adyen(
        emulators.url,
        '/payments',
        cardPayment({ number: '4111111111111111' }, { additionalData: { manualCapture: 'true' } }),
      )
    ).body.pspReference;
    const capture = await adyen(emulators.url, `/payments/${paid}/captures`, {
      merchantAccount: MERCHANT,
      amount: { currency: 'EUR', value: 1999 },
    });
    await adyen(emulators.url, `/payments/${paid}/refunds`, {
      merchantAccount: MERCHANT,
      amount: { currency: 'EUR', value: 999 },
    });
    await adyen(emulators.url, `/payments/${paid}/reversals`, { merchantAccount: MERCHANT });
    const later = await itemsFor(paid, 4);
    expect(later.map(({ item }) => item.eventCode).sort()).toEqual([
      'AUTHORISATION',
      'CANCEL_OR_REFUND',
      'CAPTURE',
      'REFUND',
    ]);
    expect(later.every(({ item }) => item.success === 'true')).toBe(true);
    expect(later.find(({ item }) => item.eventCode === 'CAPTURE')?.item).toMatchObject({
      pspReference: capture.body.pspReference,
      originalReference: paid,
    });
    for (const { body, item } of later) expect(webhookErrors(item.eventCode, body)).toEqual([]);
  });
});
