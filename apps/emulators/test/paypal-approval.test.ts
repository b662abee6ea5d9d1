import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accessToken,
  approvalLink,
  orderRequest,
  paypal,
  type RunningPayPal,
  startPayPal,
  submitApproval,
} from './paypal-harness.js';

let emulator: RunningPayPal;
let token: string;

beforeAll(async () => {
  emulator = await startPayPal();
  token = await accessToken(emulator.url);
});
afterAll(() => emulator.close());

const create = async (unit: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
  (await paypal(emulator.url, token, 'POST', '/v2/checkout/orders', orderRequest(unit, extra))).body;

describe('PayPal emulator: the approval page', () => {
  it('shows the amount and the merchant in an accessible page without script, under a strict CSP', async () => {
    const order = await create({ amount: { currency_code: 'EUR', value: '49.90' } });
    const response = await fetch(approvalLink(order));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/unsafe-inline|script-src/);
    const html = await response.text();
    expect(html).toMatch(/<html lang="en">/);
    expect(html).not.toMatch(/<script|\sstyle=|\son\w+=/i);
    expect(html).toContain('49.90 EUR');
    expect(html).toContain('Shop Example');
    expect(html).toMatch(/<label for="payer">Test payer<\/label>\s*<select id="payer"/);
    expect(html).toContain('<button type="submit" name="action" value="pay">Pay</button>');
    expect(html).toContain('<button type="submit" name="action" value="cancel">Cancel and return</button>');
  });

  it('escapes what the merchant sent', async () => {
    const order = await create(
      {},
      {
        payment_source: {
          paypal: { experience_context: { brand_name: '<b>Shop</b>', return_url: 'https://shop.example/r' } },
        },
      },
    );
    const html = await (await fetch(approvalLink(order))).text();
    expect(html).not.toContain('<b>Shop</b>');
    expect(html).toContain('&#60;b&#62;Shop&#60;/b&#62;');
  });

  it('Pay approves the order with its payer and returns to return_url with token and PayerID', async () => {
    const order = await create();
    const response = await submitApproval(approvalLink(order), 'pay');
    expect(response.status).toBe(303);
    const back = new URL(response.headers.get('location') ?? '');
    expect(back.origin + back.pathname).toBe('https://shop.example/paypal/return');
    expect(back.searchParams.get('token')).toBe(order.id);
    const payerId = back.searchParams.get('PayerID');
    expect(payerId).toMatch(/^[2-9A-HJ-NP-Z]{13}$/);
    const shown = await paypal(emulator.url, token, 'GET', `/v2/checkout/orders/${order.id}`);
    expect(shown.body).toMatchObject({ status: 'APPROVED', payer: { payer_id: payerId } });
    // Approved: the page is gone.
    expect((await fetch(approvalLink(order))).status).toBe(404);
  });

  it('Cancel and return goes back to cancel_url with the token and leaves the order unapproved', async () => {
    const order = await create();
    const response = await submitApproval(approvalLink(order), 'cancel');
    expect(response.status).toBe(303);
    const back = new URL(response.headers.get('location') ?? '');
    expect(back.origin + back.pathname).toBe('https://shop.example/paypal/cancel');
    expect(back.searchParams.get('token')).toBe(order.id);
    const shown = await paypal(emulator.url, token, 'GET', `/v2/checkout/orders/${order.id}`);
    expect(shown.body.status).toBe('PAYER_ACTION_REQUIRED');
  });

  it('preselects the outcome of a magic payer email (declined@…, pending@…)', async () => {
    const order = await create(
      {},
      {
        payment_source: {
          paypal: {
            email_address: 'declined@payer.example',
            experience_context: {
              return_url: 'https://shop.example/r',
              cancel_url: 'https://shop.example/c',
            },
          },
        },
      },
    );
    const html = await (await fetch(approvalLink(order))).text();
    expect(html).toContain('<option value="declined" selected>');
    await submitApproval(approvalLink(order), 'pay');
    const capture = await paypal(emulator.url, token, 'POST', `/v2/checkout/orders/${order.id}/capture`);
    expect(capture.body.details[0].issue).toBe('INSTRUMENT_DECLINED');
  });

  it('answers 404 for an unknown token', async () => {
    expect((await fetch(`${emulator.url}/paypal/checkoutnow?token=NOPE`)).status).toBe(404);
  });
});
