import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hostedSession,
  klarna,
  merchantUrls,
  pressOnPage,
  purchase,
  type RunningKlarna,
  startKlarna,
  startReceiver,
  waitFor,
} from './klarna-harness.js';

let emulator: RunningKlarna;
let base: string;

beforeAll(async () => {
  emulator = await startKlarna();
  base = emulator.url;
});
afterAll(() => emulator.close());

const hppStatus = async (id: string) => (await klarna(base, 'GET', `/hpp/v1/sessions/${id}`)).body;

describe('Klarna Hosted Payment Page API', () => {
  it('creates an HPP session for a KP session with its URLs and an expiry an hour before the KP session', async () => {
    const { hpp, status, kpSessionId } = await hostedSession(base);
    expect(status).toBe(201);
    expect(hpp).toEqual({
      session_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      redirect_url: `${base}/klarna/hpp/pay/${hpp.session_id}`,
      session_url: `${base}/klarna/hpp/v1/sessions/${hpp.session_id}`,
      distribution_url: `${base}/klarna/hpp/v1/sessions/${hpp.session_id}/distribution`,
      qr_code_url: `${base}/klarna/hpp/pay/${hpp.session_id}/qr`,
      expires_at: expect.any(String),
    });
    const kp = (await klarna(base, 'GET', `/payments/v1/sessions/${kpSessionId}`)).body;
    expect(Date.parse(kp.expires_at) - Date.parse(hpp.expires_at)).toBe(3600_000);
    expect(await hppStatus(hpp.session_id)).toEqual({
      session_id: hpp.session_id,
      status: 'WAITING',
      updated_at: expect.any(String),
      expires_at: hpp.expires_at,
    });
  });

  it.each([
    [
      'an unknown KP session',
      { payment_session_url: 'https://api.playground.klarna.com/payments/v1/sessions/nope' },
      'payment_session_url',
    ],
    ['no payment_session_url', { payment_session_url: undefined }, 'payment_session_url'],
    ['a relative merchant URL', { merchant_urls: { success: '/ok' } }, 'merchant_urls.success'],
    [
      'an unknown place_order_mode',
      { options: { place_order_mode: 'SOMETIMES' } },
      'options.place_order_mode',
    ],
  ])('refuses %s with BAD_VALUE', async (_name, change, field) => {
    const kp = await klarna(base, 'POST', '/payments/v1/sessions', purchase());
    const answer = await klarna(base, 'POST', '/hpp/v1/sessions', {
      payment_session_url: `https://api.playground.klarna.com/payments/v1/sessions/${kp.body.session_id}`,
      ...change,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error_code).toBe('BAD_VALUE');
    expect(answer.body.error_messages[0]).toContain(field);
  });

  it('serves the page as strict-CSP HTML in the session language, amount and categories shown, no script', async () => {
    const { hpp } = await hostedSession(base);
    const response = await fetch(hpp.redirect_url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain('form-action *');
    expect(csp).not.toContain('unsafe-inline');
    const html = await response.text();
    expect(html).toContain('<html lang="de-DE">');
    expect(html).toContain('Mit Klarna bezahlen');
    expect(html).toContain('119,00');
    expect(html).toContain('€');
    expect(html).not.toMatch(/<script|\sstyle=|\son\w+=/i);
    for (const value of ['pay_later', 'pay_over_time', 'pay_now', 'pay', 'cancel', 'back', 'refuse', 'error'])
      expect(html).toContain(`value="${value}"`);
    // Every radio has its label; the test controls are grouped under a legend.
    expect(html.match(/<label><input type="radio"/g)).toHaveLength(3);
    expect(html).toContain('<legend>Teststeuerung</legend>');
    expect((await fetch(`${base}/klarna/hpp/assets/page.css`)).headers.get('content-type')).toContain(
      'text/css',
    );
    expect((await hppStatus(hpp.session_id)).status).toBe('IN_PROGRESS');
  });

  it('falls back to English with lang="en" for a language it has no strings for', async () => {
    const body = purchase({
      purchase_country: 'SE',
      purchase_currency: 'SEK',
      locale: 'sv-SE',
      order_amount: 50_000,
      order_tax_amount: 0,
      order_lines: [{ name: 'Kopp', quantity: 1, unit_price: 50_000, total_amount: 50_000 }],
    });
    const { hpp } = await hostedSession(base, body);
    const html = await (await fetch(hpp.redirect_url)).text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Pay with Klarna');
  });

  it('Pay authorizes and redirects to the success URL with the placeholders filled', async () => {
    const { hpp, kpSessionId } = await hostedSession(base);
    await fetch(hpp.redirect_url);
    const paid = await pressOnPage(hpp.redirect_url, 'pay', 'pay_over_time');
    expect(paid.status).toBe(303);
    const success = new URL(paid.location);
    expect(success.origin + success.pathname).toBe('https://shop.example/klarna/success');
    expect(success.searchParams.get('sid')).toBe(hpp.session_id);
    const token = success.searchParams.get('token');
    expect(token).toMatch(/^[0-9a-f-]{36}$/);
    expect(success.searchParams.get('order')).toBe('');
    expect(await hppStatus(hpp.session_id)).toMatchObject({
      status: 'COMPLETED',
      authorization_token: token,
    });
    expect((await klarna(base, 'GET', `/payments/v1/sessions/${kpSessionId}`)).body.authorization_token).toBe(
      token,
    );
    const placed = await klarna(base, 'POST', `/payments/v1/authorizations/${token}/order`, purchase());
    expect(placed.body.authorized_payment_method).toEqual({
      type: 'fixed_amount',
      number_of_installments: 4,
    });
    // A completed session's page is gone.
    expect((await fetch(hpp.redirect_url)).status).toBe(404);
  });

  it.each([
    ['cancel', 'CANCELLED', merchantUrls.cancel],
    ['back', 'BACK', merchantUrls.back],
    ['refuse', 'FAILED', merchantUrls.failure],
    ['error', 'ERROR', merchantUrls.error],
  ])('%s sets %s and redirects to its merchant URL', async (action, status, url) => {
    const { hpp } = await hostedSession(base);
    const answered = await pressOnPage(hpp.redirect_url, action);
    expect(answered.status).toBe(303);
    expect(answered.location).toBe(url.replace('{{session_id}}', hpp.session_id));
    const read = await hppStatus(hpp.session_id);
    expect(read.status).toBe(status);
    expect(read.authorization_token).toBeUndefined();
  });

  it('lets the shopper try again after BACK or FAILED, but not after CANCELLED', async () => {
    const { hpp } = await hostedSession(base);
    await pressOnPage(hpp.redirect_url, 'refuse');
    expect((await fetch(hpp.redirect_url)).status).toBe(200);
    expect((await pressOnPage(hpp.redirect_url, 'pay')).location).toContain('/success');
    const other = (await hostedSession(base)).hpp;
    await pressOnPage(other.redirect_url, 'cancel');
    expect((await fetch(other.redirect_url)).status).toBe(404);
  });

  it('refuses the persona customer+denied at the page: FAILED, failure URL, no token', async () => {
    const { hpp } = await hostedSession(
      base,
      purchase({ billing_address: { email: 'customer+denied@example.com', given_name: 'Test' } }),
    );
    const paid = await pressOnPage(hpp.redirect_url, 'pay');
    expect(paid.location).toBe(merchantUrls.failure.replace('{{session_id}}', hpp.session_id));
    expect((await hppStatus(hpp.session_id)).status).toBe('FAILED');
  });

  it('refuses a category the session does not offer', async () => {
    const { hpp } = await hostedSession(base, purchase(), {
      options: { payment_method_categories: ['pay_now'] },
    });
    const html = await (await fetch(hpp.redirect_url)).text();
    expect(html).not.toContain('value="pay_later"');
    expect((await pressOnPage(hpp.redirect_url, 'pay', 'pay_later')).status).toBe(400);
    expect((await pressOnPage(hpp.redirect_url, 'pay', 'pay_now')).status).toBe(303);
  });

  it('places the order itself with place_order_mode PLACE_ORDER and fills {{order_id}}', async () => {
    const { hpp } = await hostedSession(base, purchase(), { options: { place_order_mode: 'PLACE_ORDER' } });
    const paid = await pressOnPage(hpp.redirect_url, 'pay');
    const orderId = new URL(paid.location).searchParams.get('order') as string;
    expect(orderId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await hppStatus(hpp.session_id)).order_id).toBe(orderId);
    expect((await klarna(base, 'GET', `/ordermanagement/v1/orders/${orderId}`)).body.status).toBe(
      'AUTHORIZED',
    );
  });

  it('captures at once with place_order_mode CAPTURE_ORDER', async () => {
    const { hpp } = await hostedSession(base, purchase(), { options: { place_order_mode: 'CAPTURE_ORDER' } });
    const paid = await pressOnPage(hpp.redirect_url, 'pay');
    const orderId = new URL(paid.location).searchParams.get('order') as string;
    expect((await klarna(base, 'GET', `/ordermanagement/v1/orders/${orderId}`)).body).toMatchObject({
      status: 'CAPTURED',
      captured_amount: 11_900,
    });
  });

  it('shows Klarna result page when the merchant gave no URL for the outcome', async () => {
    const kp = await klarna(base, 'POST', '/payments/v1/sessions', purchase({ locale: 'en-DE' }));
    const created = await klarna(base, 'POST', '/hpp/v1/sessions', {
      payment_session_url: `${base}/klarna/payments/v1/sessions/${kp.body.session_id}`,
    });
    const answered = await pressOnPage(created.body.redirect_url, 'cancel');
    expect(answered.status).toBe(200);
    expect(answered.text).toContain('Payment cancelled.');
  });

  it('disables a session: DISABLED, page gone, a completed session cannot be disabled', async () => {
    const { hpp } = await hostedSession(base);
    expect((await klarna(base, 'DELETE', `/hpp/v1/sessions/${hpp.session_id}`)).status).toBe(204);
    expect((await hppStatus(hpp.session_id)).status).toBe('DISABLED');
    expect((await fetch(hpp.redirect_url)).status).toBe(404);
    const done = (await hostedSession(base)).hpp;
    await pressOnPage(done.redirect_url, 'pay');
    expect((await klarna(base, 'DELETE', `/hpp/v1/sessions/${done.session_id}`)).status).toBe(403);
  });

  it('posts a status callback for each status change to status_update', async () => {
    const receiver = await startReceiver();
    try {
      const { hpp } = await hostedSession(base, purchase(), {
        merchant_urls: { ...merchantUrls, status_update: `${receiver.url}/klarna/status?sid={{session_id}}` },
      });
      await fetch(hpp.redirect_url);
      await pressOnPage(hpp.redirect_url, 'pay');
      await waitFor(() => receiver.received.length === 2);
      const statuses = receiver.received.map((r) => r.body.session.status).sort();
      expect(statuses).toEqual(['COMPLETED', 'IN_PROGRESS']);
      for (const { path, body } of receiver.received) {
        expect(path).toBe(`/klarna/status?sid=${hpp.session_id}`);
        expect(body.event_id).toMatch(/^[0-9a-f-]{36}$/);
        expect(body.session.session_id).toBe(hpp.session_id);
      }
      const completed = receiver.received.find((r) => r.body.session.status === 'COMPLETED');
      expect(completed?.body.session.authorization_token).toEqual(expect.any(String));
    } finally {
      await receiver.close();
    }
  });

  it('retries a status callback the merchant failed, four calls at most', async () => {
    const receiver = await startReceiver({ failFirst: 10 });
    try {
      const { hpp } = await hostedSession(base, purchase(), {
        merchant_urls: { status_update: `${receiver.url}/status/${'{{session_id}}'}` },
      });
      await fetch(hpp.redirect_url);
      const mine = async () =>
        ((await (await fetch(`${base}/_control/klarna/notifications`)).json()) as any).deliveries.filter(
          (d: any) => d.kind === 'hpp_status' && d.body.session.session_id === hpp.session_id,
        );
      await waitFor(async () => (await mine())[0]?.abandoned === true);
      expect((await mine())[0]).toMatchObject({
        attempts: 4,
        delivered: false,
        abandoned: true,
        lastError: 'HTTP 500',
      });
    } finally {
      await receiver.close();
    }
  });
});
