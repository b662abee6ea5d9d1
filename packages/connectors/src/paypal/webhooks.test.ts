import { sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  webhookSigningCertificate,
  webhookSigningKey,
} from '../../../../apps/emulators/src/paypal/fixtures/webhook-signing.js';
import {
  CertificateCache,
  certUrlAllowed,
  MAX_TRANSMISSION_AGE_MS,
  paypalFact,
  signedMessage,
  verifyDelivery,
} from './webhooks.js';

const WEBHOOK_ID = '8PT597110X687430LKGECATA';
const ENDPOINT = 'https://api-m.sandbox.paypal.com';
const CERT_URL = 'https://api.sandbox.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77';
const NOW = Date.parse('2026-12-02T10:00:00Z');

const event = {
  id: 'WH-2WR32451HC0233532-67976317FL4543714',
  event_version: '1.0',
  create_time: '2026-12-02T09:59:58.000Z',
  resource_type: 'capture',
  resource_version: '2.0',
  event_type: 'PAYMENT.CAPTURE.COMPLETED',
  summary: 'Payment completed for EUR 49.90 EUR',
  resource: {
    id: '2GG279541U471931P',
    status: 'COMPLETED',
    amount: { currency_code: 'EUR', value: '49.90' },
    custom_id: 'att_123',
    invoice_id: 'att_123',
    supplementary_data: { related_ids: { order_id: '5O190127TN364715T' } },
  },
};

/** A delivery signed as PayPal signs one, with the emulator's test key. */
function delivery(
  opts: { body?: string; webhookId?: string; time?: string; certUrl?: string; algo?: string } = {},
) {
  const rawBody = opts.body ?? JSON.stringify(event);
  const transmissionId = 'b2384410-f8d2-11e8-a5e6-7bfaba8ed3b4';
  const time = opts.time ?? '2026-12-02T09:59:59Z';
  const signature = sign(
    'sha256',
    Buffer.from(signedMessage(transmissionId, time, opts.webhookId ?? WEBHOOK_ID, rawBody)),
    webhookSigningKey,
  ).toString('base64');
  return {
    headers: {
      'paypal-transmission-id': transmissionId,
      'paypal-transmission-time': time,
      'paypal-transmission-sig': signature,
      'paypal-cert-url': opts.certUrl ?? CERT_URL,
      'paypal-auth-algo': opts.algo ?? 'SHA256withRSA',
    } as Record<string, string | undefined>,
    rawBody,
    body: JSON.parse(rawBody),
  };
}

/** A fetch that serves the certificate and counts downloads. */
function certServer(status = 200) {
  const asked: string[] = [];
  const fetcher = (async (input: string | URL | Request) => {
    asked.push(String(input));
    return new Response(status === 200 ? webhookSigningCertificate : 'no', { status });
  }) as typeof fetch;
  return { asked, fetcher };
}

const verifyWith = (d: ReturnType<typeof delivery>, opts: { webhookId?: string; status?: number } = {}) => {
  const server = certServer(opts.status);
  return {
    server,
    result: verifyDelivery({ endpoint: ENDPOINT, webhookId: opts.webhookId ?? WEBHOOK_ID }, d, {
      fetch: server.fetcher,
      now: () => NOW,
      certificates: new CertificateCache(),
    }),
  };
};

describe('verifyDelivery', () => {
  it("accepts a delivery signed with the certificate's key over id|time|webhook id|crc32", async () => {
    const { result, server } = verifyWith(delivery());
    expect(await result).toEqual({ ok: true, event });
    expect(server.asked).toEqual([CERT_URL]);
  });

  it('refuses a body changed after signing', async () => {
    const d = delivery();
    const forged = { ...d, rawBody: d.rawBody.replace('49.90', '4990.00') };
    expect(await verifyWith(forged).result).toMatchObject({
      ok: false,
      status: 401,
      code: 'signature_invalid',
    });
  });

  it("refuses a delivery signed for another webhook id than the account's", async () => {
    expect(await verifyWith(delivery({ webhookId: 'OTHERWEBHOOK' })).result).toMatchObject({
      ok: false,
      status: 401,
      code: 'signature_invalid',
    });
    expect(await verifyWith(delivery(), { webhookId: '' }).result).toMatchObject({
      ok: false,
      message: expect.stringContaining('webhook_id'),
    });
  });

  it('refuses a certificate URL off the allow-list without fetching it', async () => {
    for (const certUrl of [
      'https://evil.example/v1/notifications/certs/CERT-1',
      'https://api.paypal.com.evil.example/v1/notifications/certs/CERT-1',
      'http://api.paypal.com/v1/notifications/certs/CERT-1',
    ]) {
      const { result, server } = verifyWith(delivery({ certUrl }));
      expect(await result).toMatchObject({ ok: false, status: 401, detail: `cert url ${certUrl}` });
      expect(server.asked).toEqual([]);
    }
  });

  it('refuses a stale or future transmission, another algorithm, or missing headers', async () => {
    const stale = new Date(NOW - MAX_TRANSMISSION_AGE_MS - 1000).toISOString();
    expect(await verifyWith(delivery({ time: stale })).result).toMatchObject({ ok: false, status: 401 });
    const future = new Date(NOW + 10 * 60_000).toISOString();
    expect(await verifyWith(delivery({ time: future })).result).toMatchObject({ ok: false, status: 401 });
    expect(await verifyWith(delivery({ time: 'yesterday' })).result).toMatchObject({ ok: false });
    // Within the window: a retry PayPal sends two days later still verifies.
    const retry = new Date(NOW - 2 * 86_400_000).toISOString();
    expect(await verifyWith(delivery({ time: retry })).result).toMatchObject({ ok: true });
    expect(await verifyWith(delivery({ algo: 'SHA1withRSA' })).result).toMatchObject({
      ok: false,
      status: 401,
    });
    const d = delivery();
    delete d.headers['paypal-transmission-sig'];
    expect(await verifyWith(d).result).toMatchObject({ ok: false, status: 401 });
  });

  it('refuses when the certificate cannot be downloaded, and does not keep the failure', async () => {
    const certificates = new CertificateCache();
    let fail = true;
    const fetcher = (async () =>
      fail ? new Response('down', { status: 503 }) : new Response(webhookSigningCertificate)) as typeof fetch;
    const deps = { fetch: fetcher, now: () => NOW, certificates };
    const account = { endpoint: ENDPOINT, webhookId: WEBHOOK_ID };
    expect(await verifyDelivery(account, delivery(), deps)).toMatchObject({ ok: false, status: 401 });
    fail = false;
    expect(await verifyDelivery(account, delivery(), deps)).toMatchObject({ ok: true });
  });

  it('downloads a certificate once per URL', async () => {
    const server = certServer();
    const certificates = new CertificateCache();
    const deps = { fetch: server.fetcher, now: () => NOW, certificates };
    const account = { endpoint: ENDPOINT, webhookId: WEBHOOK_ID };
    await Promise.all([verifyDelivery(account, delivery(), deps), verifyDelivery(account, delivery(), deps)]);
    await verifyDelivery(account, delivery(), deps);
    expect(server.asked).toEqual([CERT_URL]);
  });

  it('refuses a genuine signature over a body that is not an event', async () => {
    expect(await verifyWith(delivery({ body: '{"hello":"world"}' })).result).toMatchObject({
      ok: false,
      status: 400,
    });
  });
});

describe('certUrlAllowed', () => {
  it("allows PayPal's certificate path on its API hosts over https", () => {
    for (const host of [
      'api.paypal.com',
      'api-m.paypal.com',
      'api.sandbox.paypal.com',
      'api-m.sandbox.paypal.com',
    ])
      expect(certUrlAllowed(`https://${host}/v1/notifications/certs/CERT-1`, ENDPOINT)).toBe(true);
  });

  it("allows the account's own API base (an emulator), and nothing else there", () => {
    const emulator = 'http://127.0.0.1:4100/paypal';
    expect(certUrlAllowed('http://127.0.0.1:4100/paypal/v1/notifications/certs/CERT-1', emulator)).toBe(true);
    expect(certUrlAllowed('http://127.0.0.1:4100/other/v1/notifications/certs/CERT-1', emulator)).toBe(false);
    expect(certUrlAllowed('http://127.0.0.1:4101/paypal/v1/notifications/certs/CERT-1', emulator)).toBe(
      false,
    );
  });

  it('refuses other paths, ports, credentials, queries and junk', () => {
    for (const url of [
      'https://api.paypal.com/v2/checkout/orders/1',
      'https://api.paypal.com:8443/v1/notifications/certs/CERT-1',
      'https://user:pw@api.paypal.com/v1/notifications/certs/CERT-1',
      'https://api.paypal.com/v1/notifications/certs/CERT-1?x=1',
      'not a url',
    ])
      expect(certUrlAllowed(url, ENDPOINT)).toBe(false);
  });
});

describe('paypalFact', () => {
  const capture = (eventType: string, resource: Record<string, unknown>) => ({
    id: 'WH-1',
    event_type: eventType,
    resource_type: 'capture',
    resource: {
      id: 'CAP1',
      supplementary_data: { related_ids: { order_id: 'ORDER1', authorization_id: 'AUTH1' } },
      ...resource,
    },
  });

  it("reads a completed capture of the order as the attempt's authorization, one of payin's captures as that capture", () => {
    expect(paypalFact(event)).toEqual({
      kind: 'authorization',
      attemptId: 'att_123',
      providerReference: '5O190127TN364715T',
      succeeded: true,
    });
    expect(
      paypalFact(
        capture('PAYMENT.CAPTURE.COMPLETED', {
          custom_id: 'att_1',
          invoice_id: 'cap_1',
          status: 'COMPLETED',
        }),
      ),
    ).toEqual({ kind: 'capture', captureId: 'cap_1', providerReference: 'CAP1', succeeded: true });
  });

  it('reads denied and declined captures as failures', () => {
    for (const type of ['PAYMENT.CAPTURE.DENIED', 'PAYMENT.CAPTURE.DECLINED']) {
      expect(
        paypalFact(
          capture(type, {
            custom_id: 'att_1',
            invoice_id: 'att_1',
            status: 'DECLINED',
            status_details: { reason: 'DECLINED_BY_RISK_FRAUD_FILTERS' },
          }),
        ),
      ).toEqual({
        kind: 'authorization',
        attemptId: 'att_1',
        providerReference: 'ORDER1',
        succeeded: false,
        error: { code: 'payment_declined', message: expect.any(String) },
      });
      expect(
        paypalFact(capture(type, { custom_id: 'att_1', invoice_id: 'cap_9', status: 'DECLINED' })),
      ).toMatchObject({
        kind: 'capture',
        captureId: 'cap_9',
        succeeded: false,
        reason: expect.stringContaining('DECLINED'),
      });
    }
  });

  it('reads refunds by their invoice_id, pending ones as no outcome yet', () => {
    const refund = (status: string, invoice = 're_1') => ({
      id: 'WH-2',
      event_type: 'PAYMENT.CAPTURE.REFUNDED',
      resource_type: 'refund',
      resource: { id: 'REF1', status, invoice_id: invoice, custom_id: 'att_1' },
    });
    expect(paypalFact(refund('COMPLETED'))).toEqual({
      kind: 'refund',
      refundId: 're_1',
      providerReference: 'REF1',
      succeeded: true,
    });
    expect(paypalFact(refund('FAILED'))).toMatchObject({
      kind: 'refund',
      refundId: 're_1',
      succeeded: false,
    });
    expect(paypalFact(refund('PENDING'))).toMatchObject({ kind: 'ignored' });
    // A reversal PayPal makes (a dispute) carries the capture's invoice id, not a refund of payin's.
    expect(
      paypalFact({ ...refund('COMPLETED', 'att_1'), event_type: 'PAYMENT.CAPTURE.REVERSED' }),
    ).toMatchObject({
      kind: 'ignored',
    });
  });

  it('reads authorizations created and voided', () => {
    const authorization = (type: string) => ({
      id: 'WH-3',
      event_type: type,
      resource_type: 'authorization',
      resource: {
        id: 'AUTH1',
        custom_id: 'att_1',
        supplementary_data: { related_ids: { order_id: 'ORDER1' } },
      },
    });
    expect(paypalFact(authorization('PAYMENT.AUTHORIZATION.CREATED'))).toEqual({
      kind: 'authorization',
      attemptId: 'att_1',
      providerReference: 'ORDER1',
      succeeded: true,
    });
    expect(paypalFact(authorization('PAYMENT.AUTHORIZATION.VOIDED'))).toEqual({
      kind: 'cancellation',
      attemptId: 'att_1',
      providerReference: 'ORDER1',
      succeeded: true,
    });
  });

  it("ignores other events and payments that are not payin's, and cannot read what is not an event", () => {
    expect(
      paypalFact({ id: 'WH-4', event_type: 'CHECKOUT.ORDER.APPROVED', resource: { id: 'O' } }),
    ).toMatchObject({
      kind: 'ignored',
    });
    expect(paypalFact(capture('PAYMENT.CAPTURE.COMPLETED', { custom_id: 'order-77' }))).toMatchObject({
      kind: 'ignored',
    });
    expect(paypalFact({ event_type: 'PAYMENT.CAPTURE.COMPLETED' })).toBeUndefined();
    expect(paypalFact(null)).toBeUndefined();
  });
});
