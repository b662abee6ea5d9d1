import { createVerify, X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32 } from 'node:zlib';
import { responseErrors, schemaErrors } from '@payin/provider-wire/paypal/conformance';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { accessToken, approvedOrder, paypal, type RunningPayPal, startPayPal } from './paypal-harness.js';

interface Received {
  headers: Record<string, string>;
  raw: string;
  event: any;
}

let emulator: RunningPayPal;
let token: string;
let receiver: Server;
const received: Received[] = [];
let refusals = 0;
const WEBHOOK_ID = '8PT597110X687430LKGECATA';

beforeAll(async () => {
  emulator = await startPayPal({ pendingCaptureMs: 50 });
  token = await accessToken(emulator.url);
  // A receiver that fails its first two deliveries, then accepts with 200.
  receiver = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk) => {
      raw += chunk;
    });
    request.on('end', () => {
      if (refusals < 2) {
        refusals += 1;
        response.writeHead(503).end();
        return;
      }
      received.push({ headers: request.headers as Record<string, string>, raw, event: JSON.parse(raw) });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
  const registered = await control('POST', '/webhooks', {
    url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/paypal`,
    webhook_id: WEBHOOK_ID,
  });
  expect(registered.status).toBe(201);
});
afterAll(async () => {
  await emulator.close();
  await new Promise((done) => receiver.close(done));
});
beforeEach(async () => {
  await control('DELETE', '/faults');
});

async function control(method: string, path: string, body?: unknown) {
  const response = await fetch(`${emulator.url}/_control/paypal${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

/** Waits for the events about `resourceId` (its own, or an order's purchase units). */
async function eventsFor(resourceId: string, count: number, eventType?: string): Promise<Received[]> {
  for (let i = 0; i < 200; i++) {
    const found = received.filter(
      (r) =>
        (eventType === undefined || r.event.event_type === eventType) &&
        (r.event.resource.id === resourceId ||
          r.event.resource.supplementary_data?.related_ids?.order_id === resourceId),
    );
    if (found.length >= count) return found;
    await new Promise((done) => setTimeout(done, 20));
  }
  throw new Error(`webhooks for ${resourceId} did not arrive`);
}

describe('PayPal emulator webhooks', () => {
  it('signs CHECKOUT.ORDER.APPROVED as PayPal does: RSA-SHA256 over id|time|webhook id|crc32, verifiable with the served certificate', async () => {
    const { id } = await approvedOrder(emulator.url, token);
    const [delivery] = await eventsFor(id, 1, 'CHECKOUT.ORDER.APPROVED');
    const { headers, raw, event } = delivery as Received;
    expect(event).toMatchObject({
      event_version: '1.0',
      resource_type: 'checkout-order',
      event_type: 'CHECKOUT.ORDER.APPROVED',
      summary: expect.any(String),
      resource: { id, status: 'APPROVED' },
    });
    expect(schemaErrors('webhooks', 'event', event)).toEqual([]);
    expect(schemaErrors('orders', 'order', event.resource)).toEqual([]);
    expect(headers['paypal-auth-algo']).toBe('SHA256withRSA');
    const certificate = await (await fetch(headers['paypal-cert-url'] as string)).text();
    const message = `${headers['paypal-transmission-id']}|${headers['paypal-transmission-time']}|${WEBHOOK_ID}|${crc32(Buffer.from(raw))}`;
    const publicKey = new X509Certificate(certificate).publicKey;
    const verifier = createVerify('RSA-SHA256').update(message);
    expect(verifier.verify(publicKey, headers['paypal-transmission-sig'] as string, 'base64')).toBe(true);
    const forged = createVerify('RSA-SHA256').update(message.replace(WEBHOOK_ID, 'OTHER'));
    expect(forged.verify(publicKey, headers['paypal-transmission-sig'] as string, 'base64')).toBe(false);
    const log = await control('GET', '/webhooks');
    const first = log.body.deliveries.find((d: any) => d.eventId === event.id);
    // Two 503s before the 200.
    expect(first.attempts).toBe(3);
    expect(first.delivered).toBe(true);
  });

  it('verifies a delivery through POST /v1/notifications/verify-webhook-signature: SUCCESS, and FAILURE when tampered', async () => {
    const { id } = await approvedOrder(emulator.url, token);
    const [{ headers, event }] = (await eventsFor(id, 1, 'CHECKOUT.ORDER.APPROVED')) as [Received];
    const request = {
      auth_algo: headers['paypal-auth-algo'],
      cert_url: headers['paypal-cert-url'],
      transmission_id: headers['paypal-transmission-id'],
      transmission_sig: headers['paypal-transmission-sig'],
      transmission_time: headers['paypal-transmission-time'],
      webhook_id: WEBHOOK_ID,
      webhook_event: event,
    };
    const path = '/v1/notifications/verify-webhook-signature';
    const ok = await paypal(emulator.url, token, 'POST', path, request);
    expect(ok).toMatchObject({ status: 200, body: { verification_status: 'SUCCESS' } });
    expect(responseErrors('webhooks', 'post', path, ok.status, ok.body)).toEqual([]);
    const tampered = await paypal(emulator.url, token, 'POST', path, {
      ...request,
      webhook_event: { ...event, summary: 'changed' },
    });
    expect(tampered.body.verification_status).toBe('FAILURE');
    const missing = await paypal(emulator.url, token, 'POST', path, { ...request, webhook_id: undefined });
    expect(missing.status).toBe(400);
    expect(missing.body.details[0]).toMatchObject({
      issue: 'MISSING_REQUIRED_PARAMETER',
      field: '/webhook_id',
    });
  });

  it('sends PAYMENT.CAPTURE.COMPLETED and PAYMENT.CAPTURE.REFUNDED with their resources', async () => {
    const { id } = await approvedOrder(emulator.url, token);
    const order = await paypal(emulator.url, token, 'POST', `/v2/checkout/orders/${id}/capture`);
    const captureId = order.body.purchase_units[0].payments.captures[0].id;
    const [completed] = (await eventsFor(captureId, 1, 'PAYMENT.CAPTURE.COMPLETED')) as [Received];
    expect(completed.event).toMatchObject({ resource_type: 'capture', resource: { status: 'COMPLETED' } });
    expect(schemaErrors('payments', 'capture-2', completed.event.resource)).toEqual([]);
    const refund = await paypal(emulator.url, token, 'POST', `/v2/payments/captures/${captureId}/refund`, {
      amount: { currency_code: 'EUR', value: '9.90' },
    });
    const [refunded] = (await eventsFor(refund.body.id, 1, 'PAYMENT.CAPTURE.REFUNDED')) as [Received];
    expect(refunded.event).toMatchObject({
      resource_type: 'refund',
      resource: { id: refund.body.id, amount: { currency_code: 'EUR', value: '9.90' } },
    });
    expect(schemaErrors('payments', 'refund', refunded.event.resource)).toEqual([]);
  });

  it('sends PAYMENT.CAPTURE.PENDING, then PAYMENT.CAPTURE.COMPLETED when the review clears', async () => {
    const { id } = await approvedOrder(emulator.url, token, 'pending');
    const order = await paypal(emulator.url, token, 'POST', `/v2/checkout/orders/${id}/capture`);
    const captureId = order.body.purchase_units[0].payments.captures[0].id;
    const [pending] = (await eventsFor(captureId, 1, 'PAYMENT.CAPTURE.PENDING')) as [Received];
    expect(pending.event.resource).toMatchObject({
      status: 'PENDING',
      status_details: { reason: 'PENDING_REVIEW' },
    });
    const [completed] = (await eventsFor(captureId, 1, 'PAYMENT.CAPTURE.COMPLETED')) as [Received];
    expect(completed.event.resource.status).toBe('COMPLETED');
  });

  it('sends PAYMENT.CAPTURE.DENIED when a pending capture is settled DECLINED through the control API', async () => {
    const { id } = await approvedOrder(emulator.url, token, 'pending');
    const order = await paypal(emulator.url, token, 'POST', `/v2/checkout/orders/${id}/capture`);
    const captureId = order.body.purchase_units[0].payments.captures[0].id;
    const settled = await control('POST', `/captures/${captureId}/settle`, { status: 'DECLINED' });
    expect(settled.body.status).toBe('DECLINED');
    const [denied] = (await eventsFor(captureId, 1, 'PAYMENT.CAPTURE.DENIED')) as [Received];
    expect(denied.event.resource.status).toBe('DECLINED');
    expect((await control('POST', `/captures/${captureId}/settle`, { status: 'COMPLETED' })).status).toBe(
      409,
    );
  });

  it('sends PAYMENT.AUTHORIZATION.CREATED and PAYMENT.AUTHORIZATION.VOIDED', async () => {
    const { id } = await approvedOrder(emulator.url, token, 'approve', {}, { intent: 'AUTHORIZE' });
    const order = await paypal(emulator.url, token, 'POST', `/v2/checkout/orders/${id}/authorize`);
    const authorizationId = order.body.purchase_units[0].payments.authorizations[0].id;
    await paypal(emulator.url, token, 'POST', `/v2/payments/authorizations/${authorizationId}/void`);
    const created = await eventsFor(authorizationId, 1, 'PAYMENT.AUTHORIZATION.CREATED');
    const voided = await eventsFor(authorizationId, 1, 'PAYMENT.AUTHORIZATION.VOIDED');
    expect(created[0]?.event.resource_type).toBe('authorization');
    expect(voided[0]?.event.resource.status).toBe('VOIDED');
    expect(schemaErrors('payments', 'authorization-2', voided[0]?.event.resource)).toEqual([]);
  });

  it('sends a subscription only the event types it chose', async () => {
    const chosen: string[] = [];
    const narrow = createServer((request, response) => {
      let raw = '';
      request.on('data', (chunk) => {
        raw += chunk;
      });
      request.on('end', () => {
        chosen.push(JSON.parse(raw).event_type);
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((done) => narrow.listen(0, '127.0.0.1', done));
    const subscribed = await control('POST', '/webhooks', {
      url: `http://127.0.0.1:${(narrow.address() as AddressInfo).port}/captures`,
      event_types: ['PAYMENT.CAPTURE.COMPLETED'],
    });
    expect(subscribed.body.webhook_id).toMatch(/^[2-9A-HJ-NP-Z]{17}$/);
    const { id } = await approvedOrder(emulator.url, token);
    const order = await paypal(emulator.url, token, 'POST', `/v2/checkout/orders/${id}/capture`);
    await eventsFor(order.body.purchase_units[0].payments.captures[0].id, 1, 'PAYMENT.CAPTURE.COMPLETED');
    for (let i = 0; i < 50 && chosen.length === 0; i++) await new Promise((done) => setTimeout(done, 20));
    expect(chosen).toEqual(['PAYMENT.CAPTURE.COMPLETED']);
    expect(
      (await control('POST', '/webhooks', { url: 'http://x.example', event_types: ['NOPE'] })).status,
    ).toBe(400);
    await new Promise((done) => narrow.close(done));
  });

  it('drops an event under a drop fault until resent, delays one under delayMs, and sends one twice under a duplicate fault', async () => {
    await control('POST', '/faults', { webhooks: { drop: 1 } });
    const dropped = await approvedOrder(emulator.url, token);
    await new Promise((done) => setTimeout(done, 100));
    expect(received.filter((r) => r.event.resource.id === dropped.id)).toHaveLength(0);
    expect((await control('POST', '/webhooks/resend')).body.resent).toBeGreaterThanOrEqual(1);
    await eventsFor(dropped.id, 1, 'CHECKOUT.ORDER.APPROVED');

    await control('POST', '/faults', { webhooks: { delayMs: 300 } });
    const delayed = await approvedOrder(emulator.url, token);
    await new Promise((done) => setTimeout(done, 100));
    expect(received.filter((r) => r.event.resource.id === delayed.id)).toHaveLength(0);
    await eventsFor(delayed.id, 1, 'CHECKOUT.ORDER.APPROVED');

    await control('POST', '/faults', { webhooks: { delayMs: 0, duplicate: 1 } });
    const twice = await approvedOrder(emulator.url, token);
    const both = await eventsFor(twice.id, 2, 'CHECKOUT.ORDER.APPROVED');
    expect(both[0]?.event.id).toBe(both[1]?.event.id);
  });
});
