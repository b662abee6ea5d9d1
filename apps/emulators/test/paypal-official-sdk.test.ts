import { Agent, type RequestOptions } from 'node:https';
import type { Duplex } from 'node:stream';
import { type ConnectionOptions, connect } from 'node:tls';
import { requestErrors, responseErrors } from '@payin/provider-wire/paypal/conformance';
import {
  CheckoutPaymentIntent,
  Client,
  Environment,
  OrdersController,
  PaymentsController,
} from '@paypal/paypal-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_HOST } from '../src/paypal/index.js';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  type RunningPayPal,
  startPayPal,
  startSandboxTls,
  submitApproval,
} from './paypal-harness.js';

let emulator: RunningPayPal;
let front: Awaited<ReturnType<typeof startSandboxTls>>;
let client: Client;
const calls: { operation: string; body: unknown }[] = [];

/**
 * An HTTPS agent that dials the emulator's TLS front for api-m.sandbox.paypal.com, verifying its
 * certificate against the test CA and the host name: the SDK (which has no base-URL setting)
 * takes it through `httpClientOptions.httpsAgent` and calls PayPal's own URLs unchanged.
 */
class SandboxAgent extends Agent {
  constructor(
    private readonly port: number,
    private readonly caCertificate: string,
  ) {
    super({ ca: caCertificate });
  }

  override createConnection(options: RequestOptions, callback?: (err: Error | null, stream: Duplex) => void) {
    const socket = connect({
      ...(options as ConnectionOptions),
      host: '127.0.0.1',
      port: this.port,
      servername: SANDBOX_HOST,
      ca: this.caCertificate,
    });
    callback?.(null, socket);
    return socket;
  }
}

beforeAll(async () => {
  emulator = await startPayPal({ observe: (call) => calls.push(call) });
  front = await startSandboxTls(Number(new URL(emulator.url).port));
  client = new Client({
    clientCredentialsAuthCredentials: { oAuthClientId: CLIENT_ID, oAuthClientSecret: CLIENT_SECRET },
    environment: Environment.Sandbox,
    timeout: 10_000,
    httpClientOptions: { httpsAgent: new SandboxAgent(front.port, front.ca) },
  });
});
afterAll(async () => {
  await front.close();
  await emulator.close();
});

describe("PayPal's official server SDK against the emulator", () => {
  it('creates an order, has it approved, captures it and refunds part of it, over https://api-m.sandbox.paypal.com', async () => {
    const orders = new OrdersController(client);
    const payments = new PaymentsController(client);
    const created = await orders.createOrder({
      body: {
        intent: CheckoutPaymentIntent.Capture,
        purchaseUnits: [
          { referenceId: 'default', customId: 'pay_sdk_1', amount: { currencyCode: 'USD', value: '49.90' } },
        ],
        paymentSource: {
          paypal: {
            experienceContext: {
              returnUrl: 'https://shop.example/paypal/return',
              cancelUrl: 'https://shop.example/paypal/cancel',
            },
          },
        },
      },
      paypalRequestId: 'sdk-create-1',
      prefer: 'return=representation',
    });
    expect(created.statusCode).toBe(201);
    expect(created.result.status).toBe('PAYER_ACTION_REQUIRED');
    expect(
      responseErrors(
        'orders',
        'post',
        '/v2/checkout/orders',
        created.statusCode,
        JSON.parse(created.body as string),
      ),
    ).toEqual([]);
    const orderId = created.result.id as string;
    const payerAction = created.result.links?.find((l) => l.rel === 'payer-action')?.href as string;
    expect(payerAction).toBe(`${emulator.url}/paypal/checkoutnow?token=${orderId}`);

    // The buyer's browser: the approval page's Pay button.
    const approval = await submitApproval(payerAction, 'pay');
    expect(approval.status).toBe(303);
    expect(new URL(approval.headers.get('location') ?? '').searchParams.get('token')).toBe(orderId);

    const captured = await orders.captureOrder({ id: orderId, prefer: 'return=representation' });
    expect(captured.statusCode).toBe(201);
    expect(captured.result.status).toBe('COMPLETED');
    const capture = captured.result.purchaseUnits?.[0]?.payments?.captures?.[0];
    expect(capture).toMatchObject({ status: 'COMPLETED', amount: { currencyCode: 'USD', value: '49.90' } });

    const refund = await payments.refundCapturedPayment({
      captureId: capture?.id as string,
      body: { amount: { currencyCode: 'USD', value: '10.00' } },
      prefer: 'return=representation',
    });
    expect(refund.statusCode).toBe(201);
    expect(refund.result).toMatchObject({
      status: 'COMPLETED',
      amount: { currencyCode: 'USD', value: '10.00' },
    });

    const shown = await payments.getCapturedPayment({ captureId: capture?.id as string });
    expect(shown.result.status).toBe('PARTIALLY_REFUNDED');
    // The SDK's calls reached the emulator, its order request as PayPal's spec describes it.
    expect(requestErrors('orders', 'post', '/v2/checkout/orders', calls[0]?.body)).toEqual([]);
    expect(calls.map((c) => c.operation)).toEqual([
      'orders.create',
      'orders.capture',
      'captures.refund',
      'captures.get',
    ]);
  });

  it('surfaces the emulator’s 422 as the SDK’s error with PayPal’s body', async () => {
    const orders = new OrdersController(client);
    const created = await orders.createOrder({
      body: {
        intent: CheckoutPaymentIntent.Capture,
        purchaseUnits: [{ amount: { currencyCode: 'USD', value: '5.00' } }],
      },
    });
    const refused = await orders
      .captureOrder({ id: created.result.id as string })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ statusCode: 422, result: { name: 'UNPROCESSABLE_ENTITY' } });
    expect(JSON.parse((refused as { body: string }).body).details[0].issue).toBe('ORDER_NOT_APPROVED');
  });
});
