import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accessToken,
  eventually,
  paymentRequest,
  startTrueLayer,
  submit,
  type TrueLayerTestbed,
  tlApi,
} from './truelayer-harness.js';

let bed: TrueLayerTestbed;
let token: string;

beforeAll(async () => {
  bed = await startTrueLayer();
  token = await accessToken(bed);
});
afterAll(() => bed.close());

async function newPayment(extra: Record<string, unknown> = {}) {
  const created = await tlApi(bed, token, 'POST', '/v3/payments', paymentRequest(extra));
  expect(created.status).toBe(201);
  return created.body as { id: string; resource_token: string };
}

const hppUrl = (payment: { id: string; resource_token: string }, returnUri: string, locale?: string) => {
  const url = new URL(`${bed.url}/truelayer/hpp/payments`);
  url.searchParams.set('payment_id', payment.id);
  url.searchParams.set('resource_token', payment.resource_token);
  url.searchParams.set('return_uri', returnUri);
  if (locale) url.searchParams.set('locale', locale);
  return url.toString();
};

const status = async (id: string) => (await tlApi(bed, token, 'GET', `/v3/payments/${id}`)).body;

/** Opens the page, picks a bank, and answers the bank's consent page with `outcome`. */
async function payThroughPages(
  payment: { id: string; resource_token: string },
  bank: string,
  outcome: string,
) {
  const page = await (await fetch(hppUrl(payment, bed.shop.returnUri))).text();
  const consent = await submit(bed.url, page, { provider_id: bank, action: 'select' });
  expect(consent.status).toBe(200);
  expect(new URL(consent.url).pathname).toBe('/truelayer/hpp/bank/consent');
  expect((await status(payment.id)).status).toBe('authorizing');
  const back = await submit(bed.url, await consent.text(), { outcome });
  return back;
}

describe('TrueLayer hosted payment page', () => {
  it('shows the amount and the French and Spanish banks the filter allows, with a strict CSP and no script', async () => {
    const payment = await newPayment();
    const response = await fetch(hppUrl(payment, bed.shop.returnUri, 'fr'));
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await response.text();
    expect(html).toContain('<html lang="fr">');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('style=');
    expect(html).toMatch(/49,90\s€/);
    for (const bank of ['Banque Atlantique', 'Crédit Riviera', 'Banco Meseta', 'Caja Levante']) {
      expect(html).toContain(bank);
    }
    // Each choice is labelled for assistive technologies.
    expect(html).toContain('<label for="bank-mock-fr-banque-atlantique">');
    expect(html).toContain('<legend>');
  });

  it('speaks the browser language when no locale is given', async () => {
    const payment = await newPayment();
    const html = await (
      await fetch(hppUrl(payment, bed.shop.returnUri), { headers: { 'Accept-Language': 'es-ES,es;q=0.9' } })
    ).text();
    expect(html).toContain('<html lang="es">');
    expect(html).toContain('Elige tu banco');
  });

  it('offers only the banks of the filtered country', async () => {
    const payment = await newPayment({
      payment_method: {
        ...paymentRequest().payment_method,
        provider_selection: { type: 'user_selected', filter: { countries: ['ES'] } },
      },
    });
    const html = await (await fetch(hppUrl(payment, bed.shop.returnUri))).text();
    expect(html).toContain('Banco Meseta');
    expect(html).not.toContain('Banque Atlantique');
  });

  it('refuses a return_uri the client did not register', async () => {
    const payment = await newPayment();
    const response = await fetch(hppUrl(payment, 'https://evil.example/steal'));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('return_uri');
  });

  it('refuses a resource token that is not the payment’s', async () => {
    const payment = await newPayment();
    const response = await fetch(hppUrl({ ...payment, resource_token: 'forged' }, bed.shop.returnUri));
    expect(response.status).toBe(400);
  });

  it('authorises through the bank, returns the shopper with payment_id, then executes and settles', async () => {
    const payment = await newPayment();
    const back = await payThroughPages(payment, 'mock-fr-banque-atlantique', 'authorise');
    expect(back.status).toBe(200);
    const returned = new URL(back.url);
    expect(`${returned.origin}${returned.pathname}`).toBe(bed.shop.returnUri);
    expect(returned.searchParams.get('payment_id')).toBe(payment.id);
    const settled = await eventually(async () => {
      const read = await status(payment.id);
      return read.status === 'settled' ? read : undefined;
    }, 'settlement');
    expect(settled).toMatchObject({
      authorized_at: expect.any(String),
      executed_at: expect.any(String),
      settled_at: expect.any(String),
      payment_method: { provider_selection: { provider_id: 'mock-fr-banque-atlantique' } },
      payment_source: { account_identifiers: [{ type: 'iban', iban: expect.stringMatching(/^FR76/) }] },
    });
  });

  it('reports the redirect to the bank in authorization_flow while the shopper is there', async () => {
    const payment = await newPayment();
    const page = await (await fetch(hppUrl(payment, bed.shop.returnUri))).text();
    await submit(bed.url, page, { provider_id: 'mock-es-banco-meseta', action: 'select' });
    const read = await status(payment.id);
    expect(read.status).toBe('authorizing');
    expect(read.authorization_flow.actions.next).toMatchObject({
      type: 'redirect',
      uri: expect.stringContaining('/truelayer/hpp/bank/consent?payment_id='),
    });
  });

  it('fails the payment as canceled when the shopper cancels on the page', async () => {
    const payment = await newPayment();
    const page = await (await fetch(hppUrl(payment, bed.shop.returnUri))).text();
    const back = await submit(bed.url, page, { action: 'cancel' });
    expect(new URL(back.url).searchParams.get('payment_id')).toBe(payment.id);
    expect(await status(payment.id)).toMatchObject({
      status: 'failed',
      failure_stage: 'authorization_required',
      failure_reason: 'canceled',
    });
  });

  it('fails the payment as canceled at authorizing when the shopper cancels at the bank', async () => {
    const payment = await newPayment();
    await payThroughPages(payment, 'mock-fr-credit-riviera', 'cancel');
    expect(await status(payment.id)).toMatchObject({
      status: 'failed',
      failure_stage: 'authorizing',
      failure_reason: 'canceled',
    });
  });

  it('fails the payment as rejected when the bank refuses', async () => {
    const payment = await newPayment();
    await payThroughPages(payment, 'mock-es-caja-levante', 'refuse');
    expect(await status(payment.id)).toMatchObject({
      status: 'failed',
      failure_stage: 'authorizing',
      failure_reason: 'rejected',
    });
  });

  it('fails the payment as authorization_failed when the authorisation fails', async () => {
    const payment = await newPayment();
    await payThroughPages(payment, 'mock-es-banco-meseta', 'fail');
    expect(await status(payment.id)).toMatchObject({
      status: 'failed',
      failure_reason: 'authorization_failed',
    });
  });

  it('expires a payment left at the bank past the deadline', async () => {
    const payment = await newPayment();
    const page = await (await fetch(hppUrl(payment, bed.shop.returnUri))).text();
    const consent = await submit(bed.url, page, {
      provider_id: 'mock-fr-banque-atlantique',
      action: 'select',
    });
    const consentPage = await consent.text();
    await fetch(`${bed.url}/_control/truelayer/clock/advance`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ms: 60_000 }),
    });
    expect(await status(payment.id)).toMatchObject({
      status: 'failed',
      failure_stage: 'authorizing',
      failure_reason: 'expired',
    });
    const late = await submit(bed.url, consentPage, { outcome: 'authorise' });
    expect(late.status).toBe(400);
  });

  it('does not let a finished payment be paid again', async () => {
    const payment = await newPayment();
    await tlApi(bed, token, 'POST', `/v3/payments/${payment.id}/actions/cancel`);
    const response = await fetch(hppUrl(payment, bed.shop.returnUri));
    expect(response.status).toBe(409);
    expect(await response.text()).toContain(`payment_id=${payment.id}`);
  });
});
