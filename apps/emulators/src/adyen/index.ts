import type {
  PaymentDetailsRequest,
  PaymentMethodsRequest,
  PaymentRequest,
} from '@payin/provider-wire/adyen';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { faultRoutes } from '../fault-switches.js';
import { challengeRoutes } from './challenge.js';
import { AdyenError } from './errors.js';
import type { AdyenFaults, Operation } from './faults.js';
import { type Answer, idempotent } from './idempotency.js';
import { availablePaymentMethods, localMethodOf } from './local-methods.js';
import { localPageRoutes } from './local-pages.js';
import { createLocalPayment, isLocalRedirectResult, localPaymentDetails } from './local-payments.js';
import { modifyPayment } from './modifications.js';
import { createPayment, paymentDetails } from './payments.js';
import type { AdyenState, ModificationType } from './state.js';
import { voucherControlRoutes } from './voucher-control.js';
import { DEFAULT_VOUCHER_VALIDITY_MS } from './vouchers.js';
import type { AdyenWebhookSender } from './webhooks.js';

export interface AdyenEmulatorOptions {
  state: AdyenState;
  faults: AdyenFaults;
  webhooks: AdyenWebhookSender;
  apiKeys: string[];
  /** Origin shoppers' browsers reach the emulator at (read per request: known once listening). */
  publicUrl: () => string;
  now?: () => Date;
  /** How long a konbini voucher can be paid (default 3 days). */
  voucherValidityMs?: number;
  /** Sees every Checkout call as it arrives, before any fault (tests check them against the spec). */
  observe?: (call: CheckoutCall) => void;
}

/** A Checkout call as it reached the emulator: its operation and the JSON body it carried. */
export interface CheckoutCall {
  operation: Operation;
  body: unknown;
}

export const isHexKey = (key: string) => key.length > 0 && key.length % 2 === 0 && /^[0-9a-fA-F]+$/.test(key);

/** The emulator's clock: the host's (or the options'), moved ahead by the control API. */
const clockOf = (opts: AdyenEmulatorOptions) => () =>
  new Date((opts.now?.() ?? new Date()).getTime() + opts.state.clockOffsetMs);

/** A reply that goes nowhere: the call is carried out, its answer is never sent. */
const nowhere = (): FastifyReply => {
  const sink: Record<string, unknown> = {};
  for (const method of ['header', 'code', 'type', 'send']) sink[method] = () => sink;
  return sink as unknown as FastifyReply;
};

/** How long a `timeout` fault holds the connection before the emulator itself lets go. */
const HOLD_MS = 120_000;

/** Runs a Checkout call with whatever fault the control API armed for its operation. */
async function withFaults(
  opts: AdyenEmulatorOptions,
  operation: Operation,
  request: FastifyRequest,
  reply: FastifyReply,
  run: () => Answer | Promise<Answer>,
): Promise<FastifyReply | undefined> {
  const { faults } = opts;
  opts.observe?.({ operation, body: request.body });
  if (faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
  const fault = faults.take(operation);
  if (fault === 'error_500') {
    return reply
      .code(500)
      .send({ status: 500, errorCode: '000', message: 'Internal error', errorType: 'internal' });
  }
  if (fault === 'timeout' || fault === 'drop_answer') {
    // Carried out and remembered under its Idempotency-Key, as Adyen would; only the answer is lost.
    await idempotent(opts.state, request, nowhere(), run);
    reply.hijack();
    const socket = request.raw.socket;
    if (fault === 'drop_answer') socket.destroy();
    else setTimeout(() => socket.destroy(), HOLD_MS).unref();
    return undefined;
  }
  return idempotent(opts.state, request, reply, run);
}

const modificationPaths: Record<string, ModificationType> = {
  captures: 'capture',
  cancels: 'cancel',
  refunds: 'refund',
  reversals: 'reversal',
};

/** Checkout API v71 and v72 (same handlers), one encapsulated plugin per version. */
async function checkoutRoutes(app: FastifyInstance, opts: AdyenEmulatorOptions): Promise<void> {
  const { state } = opts;
  const now = clockOf(opts);
  const unauthorised = new AdyenError('unauthorised').body;

  app.addHook('onRequest', async (request, reply) => {
    const key = request.headers['x-api-key'];
    if (typeof key !== 'string' || !opts.apiKeys.includes(key)) {
      return reply.code(401).type('application/json').send(unauthorised);
    }
  });
  // Whatever Fastify refuses before a handler runs (unparsable JSON, wrong content type) is
  // answered in Adyen's shape too.
  app.setErrorHandler((err: FastifyError, _request, reply) => {
    if (err instanceof AdyenError) return reply.code(err.body.status ?? 422).send(err.body);
    if ((err.statusCode ?? 500) < 500) {
      return reply.code(400).send(new AdyenError('unparsable').body);
    }
    reply.log.error({ err: err.message }, 'adyen emulator failure');
    return reply
      .code(500)
      .send({ status: 500, errorCode: '000', message: 'Internal error', errorType: 'internal' });
  });

  app.post<{ Body: Partial<PaymentRequest> }>('/payments', (request, reply) =>
    withFaults(opts, 'payments', request, reply, () => {
      const body = request.body ?? {};
      const local = localMethodOf(body.paymentMethod?.type);
      const ctx = {
        publicUrl: opts.publicUrl(),
        now: now(),
        voucherValidityMs: opts.voucherValidityMs ?? DEFAULT_VOUCHER_VALIDITY_MS,
      };
      return {
        status: 200,
        body: local
          ? createLocalPayment(state, body, local, ctx)
          : createPayment(state, body, ctx.publicUrl, ctx.now),
      };
    }),
  );
  app.post<{ Body: Partial<PaymentDetailsRequest> }>('/payments/details', (request, reply) =>
    withFaults(opts, 'details', request, reply, () => {
      const body = request.body ?? {};
      const details = isLocalRedirectResult(state, body) ? localPaymentDetails : paymentDetails;
      return { status: 200, body: details(state, body) };
    }),
  );
  app.post<{ Params: { paymentPspReference: string; modification: string } }>(
    '/payments/:paymentPspReference/:modification',
    (request, reply) => {
      const type = modificationPaths[request.params.modification];
      if (!type)
        return reply
          .code(404)
          .send({ status: 404, errorCode: '000', message: 'Not Found', errorType: 'validation' });
      return withFaults(opts, request.params.modification as Operation, request, reply, () => ({
        status: 201,
        body: modifyPayment(state, type, request.params.paymentPspReference, (request.body ?? {}) as object),
      }));
    },
  );
  app.post<{ Body: Partial<PaymentMethodsRequest> }>('/paymentMethods', (request, reply) =>
    idempotent(state, request, reply, () => {
      if (!request.body?.merchantAccount) throw new AdyenError('merchantAccountMissing');
      return { status: 200, body: availablePaymentMethods(request.body) };
    }),
  );
}

/**
 * Adyen: the Checkout API under /adyen/checkout/v71 and /v72, the shopper-facing pages (the
 * 3-D Secure challenge under /adyen/threeDS, Bizum's and PayPay's confirmation under
 * /adyen/redirect, konbini vouchers under /adyen/vouchers), and the control API tests read the
 * emulator's books from.
 */
export async function adyenEmulator(app: FastifyInstance, opts: AdyenEmulatorOptions): Promise<void> {
  for (const version of ['v71', 'v72']) {
    await app.register(checkoutRoutes, { ...opts, prefix: `/adyen/checkout/${version}` });
  }
  await app.register(challengeRoutes, { state: opts.state, prefix: '/adyen' });
  await app.register(localPageRoutes, { state: opts.state, prefix: '/adyen' });
  await app.register(voucherControlRoutes, { state: opts.state, now: clockOf(opts) });
  faultRoutes(app, '/_control/adyen/faults', opts.faults);
  app.get<{ Querystring: { pspReference?: string } }>('/_control/adyen/ledger', async (request) => ({
    payments: opts.state.ledger(request.query.pspReference),
  }));
  app.post<{ Body: { url?: unknown; hmacKey?: unknown } }>(
    '/_control/adyen/webhooks',
    async (request, reply) => {
      const { url, hmacKey } = request.body ?? {};
      if (
        typeof url !== 'string' ||
        !/^https?:\/\//.test(url) ||
        typeof hmacKey !== 'string' ||
        !isHexKey(hmacKey)
      ) {
        return reply
          .code(400)
          .send({ error: 'url (http or https) and hmacKey (hex, as Adyen shows it) are required' });
      }
      const endpoint = opts.webhooks.addEndpoint(url, hmacKey);
      return reply.code(201).send({ id: endpoint.id, url: endpoint.url });
    },
  );
  // The Customer Area's "resend" for events that never arrived: dropped by a fault or not yet
  // acknowledged with [accepted].
  app.post('/_control/adyen/webhooks/resend', async () => ({ resent: opts.webhooks.resend() }));
  app.get('/_control/adyen/webhooks', async () => ({
    endpoints: opts.webhooks.endpoints.map(({ id, url }) => ({ id, url })),
    deliveries: opts.webhooks.deliveries,
  }));
}
