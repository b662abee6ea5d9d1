import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, type TestMerchant, type TestResponse } from './harness.js';

/**
 * 3-D Secure over HTTP with the sandbox: `requires_action` with a redirect, the simulated
 * challenge page, its form, payin's return endpoint and the redirect back to the merchant.
 */

let t: TestApi;
let m: TestMerchant;

beforeAll(async () => {
  t = await startTestApi({ VAULT_PUBLIC_URL: 'https://vault.example' });
  m = await t.merchant('3DS Shop');
  expect((await m.post('/v1/allowed_origins', { origin: 'https://shop.example' })).status).toBeLessThan(300);
});
afterAll(async () => {
  await t?.close();
});

const MERCHANT_RETURN = 'https://shop.example/checkout/done?order=77';

/** The api's public URL is http://localhost:<port>; reach it at the address the harness uses. */
function local(url: string): string {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
}

const unescapeHtml = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

interface ChallengeForm {
  action: string;
  result: string;
  returnUrl: string;
}

function formsOf(html: string): ChallengeForm[] {
  const forms = [...html.matchAll(/<form\b[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)];
  return forms.map(([, action, inner]) => ({
    action: unescapeHtml(action ?? ''),
    result: unescapeHtml(/name="result" value="([^"]*)"/.exec(inner ?? '')?.[1] ?? ''),
    returnUrl: unescapeHtml(/name="return_url" value="([^"]*)"/.exec(inner ?? '')?.[1] ?? ''),
  }));
}

async function startChallenge(returnUrl: string | null = MERCHANT_RETURN) {
  const res = await m.post('/v1/payments', {
    amount: 3100,
    currency: 'EUR',
    payment_method: 'pm_card_threeDSecureRequired',
    confirm: true,
    ...(returnUrl ? { return_url: returnUrl } : {}),
  });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

async function submit(form: ChallengeForm, result = form.result): Promise<TestResponse> {
  return t.request('POST', form.action, {
    rawBody: new URLSearchParams({ result, return_url: form.returnUrl }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

async function challengePage(payment: { next_action: { redirect_to_url: { url: string } } }) {
  const page = await t.request('GET', local(payment.next_action.redirect_to_url.url));
  expect(page.status).toBe(200);
  return page;
}

describe('3-D Secure', () => {
  it('answers requires_action with next_action.redirect_to_url for pm_card_threeDSecureRequired', async () => {
    const payment = await startChallenge();
    expect(payment).toMatchObject({
      status: 'requires_action',
      amount_received: 0,
      last_error: null,
      next_action: { type: 'redirect_to_url', redirect_to_url: { return_url: MERCHANT_RETURN } },
    });
    expect(payment.next_action.redirect_to_url.url).toMatch(/^https?:\/\//);
  });

  it('serves a challenge page: HTML with two buttons, a strict Content-Security-Policy, no script', async () => {
    const payment = await startChallenge();
    const page = await challengePage(payment);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = page.headers.get('content-security-policy');
    expect(csp).toBeTruthy();
    expect(csp).toContain("default-src 'none'");
    // Framed only where a checkout shows it: the vault's container inside the merchant's pages.
    expect(csp).toMatch(/frame-ancestors https:\/\/vault\.example https:\/\/shop\.example(;|$)/);
    expect(page.text).not.toMatch(/<script/i);
    expect(page.text.match(/<button\b/g)).toHaveLength(2);
    const forms = formsOf(page.text);
    expect(forms.map((f) => f.result).sort()).toEqual(['fail', 'pass']);
    for (const f of forms) expect(f.returnUrl).toContain('/return/');
  });

  it('passes the challenge: form POST → 303 to /return/…, then 303 to the merchant return_url, payment succeeded', async () => {
    const payment = await startChallenge();
    const forms = formsOf((await challengePage(payment)).text);
    const pass = forms.find((f) => f.result === 'pass') as ChallengeForm;

    const posted = await submit(pass);
    expect(posted.status).toBe(303);
    const toReturn = posted.headers.get('location') as string;
    expect(new URL(toReturn, t.url).pathname).toMatch(/^\/return\//);

    const back = await t.request('GET', local(new URL(toReturn, t.url).toString()));
    expect(back.status).toBe(303);
    const merchant = new URL(back.headers.get('location') as string);
    expect(`${merchant.origin}${merchant.pathname}`).toBe('https://shop.example/checkout/done');
    expect(merchant.searchParams.get('order')).toBe('77');
    expect(merchant.searchParams.get('payment')).toBe(payment.id);

    const after = await m.get(`/v1/payments/${payment.id}`);
    expect(after.body).toMatchObject({
      status: 'succeeded',
      amount_received: 3100,
      next_action: null,
      last_error: null,
    });

    // Coming back a second time changes nothing.
    const twice = await t.request('GET', local(new URL(toReturn, t.url).toString()));
    expect(twice.status).toBe(303);
    expect((await m.get(`/v1/payments/${payment.id}`)).body).toEqual(after.body);
  });

  it('fails the challenge: the payment returns to requires_payment_method with last_error', async () => {
    const payment = await startChallenge();
    const forms = formsOf((await challengePage(payment)).text);
    const fail = forms.find((f) => f.result === 'fail') as ChallengeForm;
    const posted = await submit(fail);
    expect(posted.status).toBe(303);
    const back = await t.request(
      'GET',
      local(new URL(posted.headers.get('location') as string, t.url).toString()),
    );
    expect(back.status).toBe(303);
    const merchant = new URL(back.headers.get('location') as string);
    expect(merchant.searchParams.get('payment')).toBe(payment.id);
    const after = await m.get(`/v1/payments/${payment.id}`);
    expect(after.body).toMatchObject({
      status: 'requires_payment_method',
      amount_received: 0,
      next_action: null,
    });
    expect(after.body.last_error).toMatchObject({ type: expect.any(String), code: expect.any(String) });

    // The shopper can try again with another card.
    const retried = await m.post(`/v1/payments/${payment.id}/confirm`, { payment_method: 'pm_card_visa' });
    expect(retried.body).toMatchObject({ status: 'succeeded', last_error: null });
  });

  it('refuses a forged sandbox_result: the payment does not succeed', async () => {
    const payment = await startChallenge();
    const forms = formsOf((await challengePage(payment)).text);
    const returnPath = local(forms[0]?.returnUrl as string);
    const forged = await t.request('GET', `${returnPath}&sandbox_result=pass`);
    expect(forged.status).toBeLessThan(500);
    const forgedMac = await t.request('GET', `${returnPath}&sandbox_result=pass.${'0'.repeat(64)}`);
    expect(forgedMac.status).toBeLessThan(500);
    expect((await m.get(`/v1/payments/${payment.id}`)).body.status).not.toBe('succeeded');
  });

  it("refuses another attempt's valid pass result replayed on this attempt", async () => {
    // Pass a first challenge and keep its signed result.
    const first = await startChallenge();
    const firstForms = formsOf((await challengePage(first)).text);
    const posted = await submit(firstForms.find((f) => f.result === 'pass') as ChallengeForm);
    const signed = new URL(posted.headers.get('location') as string, t.url).searchParams.get(
      'sandbox_result',
    );
    expect(signed).toBeTruthy();

    const second = await startChallenge();
    const secondForms = formsOf((await challengePage(second)).text);
    const returnPath = local(secondForms[0]?.returnUrl as string);
    const replayed = await t.request(
      'GET',
      `${returnPath}&sandbox_result=${encodeURIComponent(signed as string)}`,
    );
    expect(replayed.status).toBeLessThan(500);
    expect((await m.get(`/v1/payments/${second.id}`)).body.status).not.toBe('succeeded');
  });

  it('completes the payment once when the shopper comes back several times at once', async () => {
    const payment = await startChallenge();
    const forms = formsOf((await challengePage(payment)).text);
    const posted = await submit(forms.find((f) => f.result === 'pass') as ChallengeForm);
    const back = local(new URL(posted.headers.get('location') as string, t.url).toString());
    const answers = await Promise.all(Array.from({ length: 5 }, () => t.request('GET', back)));
    for (const a of answers) expect(a.status).toBe(303);
    expect((await m.get(`/v1/payments/${payment.id}`)).body).toMatchObject({
      status: 'succeeded',
      amount_received: 3100,
    });
    const events = (await m.get('/v1/events?limit=100')).body.data as {
      type: string;
      data: { object: { id: string } };
    }[];
    const succeeded = events.filter((e) => e.type === 'payment.succeeded' && e.data.object.id === payment.id);
    expect(succeeded).toHaveLength(1);
  });

  it('uses the return_url given on confirm when the payment was created without one', async () => {
    const created = await m.post('/v1/payments', {
      amount: 1800,
      currency: 'EUR',
      payment_method: 'pm_card_threeDSecureRequired',
    });
    expect(created.body.status).toBe('requires_confirmation');
    const confirmed = await m.post(`/v1/payments/${created.body.id}/confirm`, {
      return_url: 'https://shop.example/later',
    });
    expect(confirmed.body).toMatchObject({
      status: 'requires_action',
      next_action: { type: 'redirect_to_url', redirect_to_url: { return_url: 'https://shop.example/later' } },
    });
    const forms = formsOf((await challengePage(confirmed.body)).text);
    const posted = await submit(forms.find((f) => f.result === 'pass') as ChallengeForm);
    const back = await t.request(
      'GET',
      local(new URL(posted.headers.get('location') as string, t.url).toString()),
    );
    expect(back.status).toBe(303);
    const merchant = new URL(back.headers.get('location') as string);
    expect(`${merchant.origin}${merchant.pathname}`).toBe('https://shop.example/later');
    expect(merchant.searchParams.get('payment')).toBe(created.body.id);
  });

  it('refuses a challenge form posted with a return_url outside payin', async () => {
    const payment = await startChallenge();
    const forms = formsOf((await challengePage(payment)).text);
    const pass = forms.find((f) => f.result === 'pass') as ChallengeForm;
    const evil = await submit({ ...pass, returnUrl: 'https://evil.example/steal' });
    expect(evil.status).toBe(400);
    expect(evil.headers.get('location')).toBeNull();
    expect((await m.get(`/v1/payments/${payment.id}`)).body.status).toBe('requires_action');
  });

  it('shows a result page when the payment has no merchant return_url', async () => {
    const payment = await startChallenge(null);
    expect(payment.next_action.redirect_to_url.return_url).toBeNull();
    const forms = formsOf((await challengePage(payment)).text);
    const posted = await submit(forms.find((f) => f.result === 'pass') as ChallengeForm);
    const back = await t.request(
      'GET',
      local(new URL(posted.headers.get('location') as string, t.url).toString()),
    );
    expect(back.status).toBe(200);
    expect(back.headers.get('content-type')).toMatch(/^text\/html/);
    expect(back.headers.get('content-security-policy')).toBeTruthy();
    expect((await m.get(`/v1/payments/${payment.id}`)).body.status).toBe('succeeded');
  });
});
