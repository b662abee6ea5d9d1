import { responseErrors } from '@payin/provider-wire/paypal/conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accessToken,
  approvalLink,
  approvedOrder,
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

const ORDERS = '/v2/checkout/orders';
const conforms = (method: 'get' | 'post', path: string, answer: { status: number; body: unknown }) =>
  expect(responseErrors('orders', method, path, answer.status, answer.body)).toEqual([]);

describe('PayPal emulator: Orders v2', () => {
  it('creates a PAYER_ACTION_REQUIRED order with a payer-action link (minimal by default)', async () => {
    const created = await paypal(emulator.url, token, 'POST', ORDERS, orderRequest());
    expect(created.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual(['id', 'links', 'status']);
    expect(created.body.status).toBe('PAYER_ACTION_REQUIRED');
    expect(approvalLink(created.body)).toBe(`${emulator.url}/paypal/checkoutnow?token=${created.body.id}`);
    expect(created.body.links.find((l: any) => l.rel === 'self').href).toBe(
      `${emulator.url}/paypal${ORDERS}/${created.body.id}`,
    );
    conforms('post', ORDERS, created);
  });

  it('creates a CREATED order with an approve link in the older application_context flow, whole with return=representation', async () => {
    const { payment_source: _, ...request } = orderRequest({}, { intent: 'AUTHORIZE' });
    const created = await paypal(
      emulator.url,
      token,
      'POST',
      ORDERS,
      {
        ...request,
        application_context: { return_url: 'https://shop.example/r', cancel_url: 'https://shop.example/c' },
      },
      { prefer: 'return=representation' },
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      intent: 'AUTHORIZE',
      status: 'CREATED',
      purchase_units: [{ reference_id: 'default', amount: { currency_code: 'EUR', value: '49.90' } }],
    });
    expect(created.body.links.map((l: any) => l.rel)).toContain('approve');
    conforms('post', ORDERS, created);
    const fetched = await paypal(emulator.url, token, 'GET', `${ORDERS}/${created.body.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(created.body);
    conforms('get', `${ORDERS}/{id}`, fetched);
  });

  it.each([
    [{ intent: undefined }, 400, 'MISSING_REQUIRED_PARAMETER', '/intent'],
    [{ intent: 'SALE' }, 400, 'INVALID_PARAMETER_VALUE', '/intent'],
    [{ purchase_units: undefined }, 400, 'MISSING_REQUIRED_PARAMETER', '/purchase_units'],
    [
      { purchase_units: [{}] },
      400,
      'MISSING_REQUIRED_PARAMETER',
      "/purchase_units/@reference_id=='default'/amount",
    ],
    [
      { purchase_units: [{ amount: { currency_code: 'EUR', value: '4,99' } }] },
      400,
      'INVALID_PARAMETER_VALUE',
      "/purchase_units/@reference_id=='default'/amount/value",
    ],
    [
      { purchase_units: [{ amount: { currency_code: 'EUR', value: '4.999' } }] },
      422,
      'DECIMAL_PRECISION',
      "/purchase_units/@reference_id=='default'/amount/value",
    ],
    [
      { purchase_units: [{ amount: { currency_code: 'JPY', value: '1000.50' } }] },
      422,
      'DECIMAL_PRECISION',
      "/purchase_units/@reference_id=='default'/amount/value",
    ],
    [
      { purchase_units: [{ amount: { currency_code: 'EUR', value: '0.00' } }] },
      422,
      'CANNOT_BE_ZERO_OR_NEGATIVE',
      "/purchase_units/@reference_id=='default'/amount/value",
    ],
  ])('refuses %j with %i %s at its field', async (change, status, issue, field) => {
    const answer = await paypal(emulator.url, token, 'POST', ORDERS, { ...orderRequest(), ...change });
    expect(answer.status).toBe(status);
    expect(answer.body).toMatchObject({
      name: status === 400 ? 'INVALID_REQUEST' : 'UNPROCESSABLE_ENTITY',
      debug_id: expect.any(String),
      details: [{ issue, field, location: 'body', description: expect.any(String) }],
      links: [{ rel: 'information_link' }],
    });
    conforms('post', ORDERS, answer);
  });

  it('refuses a currency PayPal does not settle in with CURRENCY_NOT_SUPPORTED, and takes whole yen', async () => {
    const refused = await paypal(emulator.url, token, 'POST', ORDERS, {
      ...orderRequest(),
      purchase_units: [{ amount: { currency_code: 'AED', value: '10.00' } }],
    });
    expect(refused.status).toBe(422);
    expect(refused.body.details[0]).toMatchObject({ issue: 'CURRENCY_NOT_SUPPORTED' });
    const yen = await paypal(
      emulator.url,
      token,
      'POST',
      ORDERS,
      orderRequest({ amount: { currency_code: 'JPY', value: '1000' } }),
      {
        prefer: 'return=representation',
      },
    );
    expect(yen.body.purchase_units[0].amount).toEqual({ currency_code: 'JPY', value: '1000' });
  });

  it('captures each purchase unit of a multi-unit order, and refuses units without distinct reference ids or in two currencies', async () => {
    const units = [
      { reference_id: 'shoes', amount: { currency_code: 'EUR', value: '30.00' } },
      { reference_id: 'socks', amount: { currency_code: 'EUR', value: '5.50' } },
    ];
    const { id } = await approvedOrder(emulator.url, token, 'approve', {}, { purchase_units: units });
    const captured = await paypal(emulator.url, token, 'POST', `${ORDERS}/${id}/capture`, undefined, {
      prefer: 'return=representation',
    });
    expect(
      captured.body.purchase_units.map((u: any) => [u.reference_id, u.payments.captures[0].amount.value]),
    ).toEqual([
      ['shoes', '30.00'],
      ['socks', '5.50'],
    ]);
    conforms('post', `${ORDERS}/{id}/capture`, captured);
    for (const [purchase_units, issue] of [
      [[units[0], { amount: units[1]?.amount }], 'REFERENCE_ID_REQUIRED'],
      [[units[0], units[0]], 'DUPLICATE_REFERENCE_ID'],
      [
        [units[0], { reference_id: 'x', amount: { currency_code: 'USD', value: '1.00' } }],
        'MULTI_CURRENCY_ORDER',
      ],
    ] as const) {
      const refused = await paypal(emulator.url, token, 'POST', ORDERS, {
        ...orderRequest(),
        purchase_units,
      });
      expect(refused.status).toBe(422);
      expect(refused.body.details[0].issue).toBe(issue);
      conforms('post', ORDERS, refused);
    }
  });

  it('refuses to capture an AUTHORIZE order (ACTION_DOES_NOT_MATCH_INTENT)', async () => {
    const { id } = await approvedOrder(emulator.url, token, 'approve', {}, { intent: 'AUTHORIZE' });
    const refused = await paypal(emulator.url, token, 'POST', `${ORDERS}/${id}/capture`);
    expect(refused.status).toBe(422);
    expect(refused.body.details[0]).toMatchObject({
      issue: 'ACTION_DOES_NOT_MATCH_INTENT',
      description: expect.stringContaining("intent to 'AUTHORIZE'"),
    });
  });

  it('answers 404 RESOURCE_NOT_FOUND INVALID_RESOURCE_ID for an unknown order', async () => {
    const answer = await paypal(emulator.url, token, 'GET', `${ORDERS}/5O190127TN364715T`);
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({
      name: 'RESOURCE_NOT_FOUND',
      details: [{ issue: 'INVALID_RESOURCE_ID', location: 'path', value: '5O190127TN364715T' }],
    });
    conforms('get', `${ORDERS}/{id}`, answer);
    const capture = await paypal(emulator.url, token, 'POST', `${ORDERS}/5O190127TN364715T/capture`);
    expect(capture.status).toBe(404);
  });

  it('refuses to capture before approval with ORDER_NOT_APPROVED', async () => {
    const created = await paypal(emulator.url, token, 'POST', ORDERS, orderRequest());
    const answer = await paypal(emulator.url, token, 'POST', `${ORDERS}/${created.body.id}/capture`);
    expect(answer.status).toBe(422);
    expect(answer.body.details[0].issue).toBe('ORDER_NOT_APPROVED');
    conforms('post', `${ORDERS}/{id}/capture`, answer);
  });

  it('captures an approved order once: COMPLETED with its capture, then ORDER_ALREADY_CAPTURED', async () => {
    const { id } = await approvedOrder(emulator.url, token);
    const approved = await paypal(emulator.url, token, 'GET', `${ORDERS}/${id}`);
    expect(approved.body).toMatchObject({ status: 'APPROVED', payer: { payer_id: expect.any(String) } });
    expect(approved.body.links.find((l: any) => l.rel === 'capture')).toBeDefined();
    const captured = await paypal(emulator.url, token, 'POST', `${ORDERS}/${id}/capture`, undefined, {
      prefer: 'return=representation',
    });
    expect(captured.status).toBe(201);
    expect(captured.body).toMatchObject({
      status: 'COMPLETED',
      purchase_units: [
        {
          payments: {
            captures: [
              { status: 'COMPLETED', amount: { currency_code: 'EUR', value: '49.90' }, final_capture: true },
            ],
          },
        },
      ],
    });
    conforms('post', `${ORDERS}/{id}/capture`, captured);
    const again = await paypal(emulator.url, token, 'POST', `${ORDERS}/${id}/capture`);
    expect(again.status).toBe(422);
    expect(again.body.details[0].issue).toBe('ORDER_ALREADY_CAPTURED');
    conforms('post', `${ORDERS}/{id}/capture`, again);
  });

  it('fails the capture of a declined payer with INSTRUMENT_DECLINED and a redirect link, and captures after a new approval', async () => {
    const { id } = await approvedOrder(emulator.url, token, 'declined');
    const declined = await paypal(emulator.url, token, 'POST', `${ORDERS}/${id}/capture`);
    expect(declined.status).toBe(422);
    expect(declined.body.details[0].issue).toBe('INSTRUMENT_DECLINED');
    const redirect = declined.body.links.find((l: any) => l.rel === 'redirect');
    expect(redirect).toMatchObject({ href: `${emulator.url}/paypal/checkoutnow?token=${id}`, method: 'GET' });
    conforms('post', `${ORDERS}/{id}/capture`, declined);
    // Until the buyer has chosen another funding source, the order is not approved.
    expect((await paypal(emulator.url, token, 'POST', `${ORDERS}/${id}/capture`)).body.details[0].issue).toBe(
      'ORDER_NOT_APPROVED',
    );
    expect((await submitApproval(redirect.href, 'pay', 'approve')).status).toBe(303);
    expect((await paypal(emulator.url, token, 'POST', `${ORDERS}/${id}/capture`)).body.status).toBe(
      'COMPLETED',
    );
  });

  it('authorizes an AUTHORIZE order, and refuses authorize on a CAPTURE order (ACTION_DOES_NOT_MATCH_INTENT)', async () => {
    const { id } = await approvedOrder(emulator.url, token, 'approve', {}, { intent: 'AUTHORIZE' });
    const authorized = await paypal(emulator.url, token, 'POST', `${ORDERS}/${id}/authorize`, undefined, {
      prefer: 'return=representation',
    });
    expect(authorized.status).toBe(201);
    expect(authorized.body.purchase_units[0].payments.authorizations[0]).toMatchObject({
      status: 'CREATED',
      amount: { currency_code: 'EUR', value: '49.90' },
      expiration_time: expect.any(String),
    });
    conforms('post', `${ORDERS}/{id}/authorize`, authorized);
    const twice = await paypal(emulator.url, token, 'POST', `${ORDERS}/${id}/authorize`);
    expect(twice.body.details[0].issue).toBe('ORDER_ALREADY_AUTHORIZED');
    const capture = await approvedOrder(emulator.url, token);
    const wrong = await paypal(emulator.url, token, 'POST', `${ORDERS}/${capture.id}/authorize`);
    expect(wrong.status).toBe(422);
    expect(wrong.body.details[0].issue).toBe('ACTION_DOES_NOT_MATCH_INTENT');
    conforms('post', `${ORDERS}/{id}/authorize`, wrong);
  });
});
