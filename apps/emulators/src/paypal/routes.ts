import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { clientOf, issueToken, type PayPalClient } from './auth.js';
import { internalError, invalid, PayPalError } from './errors.js';
import type { Operation, PayPalFaults } from './faults.js';
import { errorOutcome, type Outcome, preferOf, type RequestIds, sendOutcome, settle } from './idempotency.js';
import { authorizeOrder, captureOrder, createOrder, getOrder, type OrdersContext } from './orders.js';
import {
  captureAuthorization,
  getAuthorization,
  getCapture,
  getRefund,
  type PaymentsContext,
  reauthorize,
  refundCapture,
  voidAuthorization,
} from './payments.js';
import type { LinkBase } from './representations.js';
import { verifySignatureRequest } from './verification.js';
import type { PayPalWebhookSender } from './webhooks.js';

/** A call as it reached the emulator: its operation and the JSON body it carried. */
export interface PayPalCall {
  operation: Operation;
  body: unknown;
}

export interface ApiRoutesOptions {
  ctx: PaymentsContext;
  faults: PayPalFaults;
  requestIds: RequestIds;
  webhooks: PayPalWebhookSender;
  clients: PayPalClient[];
  tokenTtlSeconds: number;
  /** The API base links point at for calls on this mount. */
  base: () => LinkBase;
  /** Serve these routes only to requests with this Host (PayPal's own host name). */
  host?: string;
  observe?: (call: PayPalCall) => void;
}

/** How long a `timeout` fault holds the connection before the emulator itself lets go. */
const HOLD_MS = 120_000;

/** The answer never arrives: held until the client gives up (`timeout`), or the connection cut. */
function loseAnswer(
  request: FastifyRequest,
  reply: FastifyReply,
  fault: 'timeout' | 'drop_answer',
): undefined {
  reply.hijack();
  const socket = request.raw.socket;
  if (fault === 'drop_answer') socket.destroy();
  else setTimeout(() => socket.destroy(), HOLD_MS).unref();
  return undefined;
}

/**
 * PayPal's REST API on one mount: OAuth, Orders v2, Payments v2, the webhook certificate and
 * verify-webhook-signature.
 */
export async function apiRoutes(app: FastifyInstance, opts: ApiRoutesOptions): Promise<void> {
  const { ctx, faults } = opts;
  if (opts.host) {
    const host = opts.host;
    app.addHook('onRoute', (route) => {
      route.constraints = { ...route.constraints, host };
    });
  }
  // PayPal takes POSTs with `Content-Type: application/json` and no body (capture, void).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(invalid('orders', 'MALFORMED_REQUEST_JSON', '/'), undefined);
    }
  });
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    },
  );
  app.setErrorHandler((err: FastifyError, _request, reply) => {
    if (err instanceof PayPalError) return reply.code(err.status).send(err.body);
    if ((err.statusCode ?? 500) < 500)
      return reply.code(400).send(invalid('orders', 'MALFORMED_REQUEST_JSON', '/').body);
    reply.log.error({ err: err.message }, 'paypal emulator failure');
    return reply.code(500).send(internalError('orders').body);
  });

  /** Runs a call: observed, delayed, faulted, authenticated, under PayPal-Request-Id for POSTs. */
  async function call(
    operation: Operation,
    request: FastifyRequest,
    reply: FastifyReply,
    path: string,
    execute: (clientId: string) => Outcome,
  ): Promise<FastifyReply | undefined> {
    opts.observe?.({ operation, body: request.body });
    if (faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
    const prefer = preferOf(request);
    const base = opts.base();
    let clientId: string;
    try {
      clientId = clientOf(ctx.state, request, ctx.now());
    } catch (err) {
      return sendOutcome(reply, errorOutcome(err as PayPalError), prefer, base);
    }
    const fault = faults.take(operation);
    if (fault === 'error_500') return sendOutcome(reply, errorOutcome(internalError('orders')), prefer, base);
    const run = () =>
      request.method === 'POST'
        ? opts.requestIds.run(clientId, request, path, () => execute(clientId))
        : settle(() => execute(clientId));
    if (fault === 'timeout' || fault === 'drop_answer') {
      // Carried out and remembered under its PayPal-Request-Id; only the answer is lost.
      await run();
      return loseAnswer(request, reply, fault);
    }
    return sendOutcome(reply, await run(), prefer, base);
  }

  app.post<{ Body: Record<string, string> | undefined }>('/v1/oauth2/token', async (request, reply) => {
    if (faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
    const fault = faults.take('token');
    if (fault === 'error_500') return reply.code(500).send(internalError('orders').body);
    if (fault) return loseAnswer(request, reply, fault);
    return issueToken(ctx.state, opts.clients, opts.tokenTtlSeconds, ctx.now(), request, reply);
  });
  // The certificate of the webhook signing key: public, as PayPal's cert URLs are.
  app.get('/v1/notifications/certs/:certId', async (_request, reply) =>
    reply.type('application/x-pem-file').send(opts.webhooks.certificate),
  );
  app.post('/v1/notifications/verify-webhook-signature', async (request, reply) => {
    try {
      clientOf(ctx.state, request, ctx.now());
    } catch (err) {
      return reply.code(401).send((err as PayPalError).body);
    }
    const outcome = await settle(() => verifySignatureRequest(opts.webhooks, request.body));
    return sendOutcome(reply, outcome, 'representation', opts.base());
  });

  type Id = { Params: { id: string } };
  const orders: OrdersContext = ctx;
  app.post('/v2/checkout/orders', (request, reply) =>
    call('orders.create', request, reply, '/v2/checkout/orders', (clientId) =>
      createOrder(orders, clientId, request.body),
    ),
  );
  app.get<Id>('/v2/checkout/orders/:id', (request, reply) =>
    call('orders.get', request, reply, request.url, () => getOrder(orders, request.params.id)),
  );
  app.post<Id>('/v2/checkout/orders/:id/capture', (request, reply) =>
    call('orders.capture', request, reply, `/v2/checkout/orders/${request.params.id}/capture`, () =>
      captureOrder(ctx, request.params.id, opts.base()),
    ),
  );
  app.post<Id>('/v2/checkout/orders/:id/authorize', (request, reply) =>
    call('orders.authorize', request, reply, `/v2/checkout/orders/${request.params.id}/authorize`, () =>
      authorizeOrder(ctx, request.params.id, opts.base()),
    ),
  );
  app.get<Id>('/v2/payments/authorizations/:id', (request, reply) =>
    call('authorizations.get', request, reply, request.url, () => getAuthorization(ctx, request.params.id)),
  );
  app.post<Id>('/v2/payments/authorizations/:id/capture', (request, reply) =>
    call(
      'authorizations.capture',
      request,
      reply,
      `/v2/payments/authorizations/${request.params.id}/capture`,
      () => captureAuthorization(ctx, request.params.id, request.body),
    ),
  );
  app.post<Id>('/v2/payments/authorizations/:id/void', (request, reply) =>
    call('authorizations.void', request, reply, `/v2/payments/authorizations/${request.params.id}/void`, () =>
      voidAuthorization(ctx, request.params.id),
    ),
  );
  app.post<Id>('/v2/payments/authorizations/:id/reauthorize', (request, reply) =>
    call(
      'authorizations.reauthorize',
      request,
      reply,
      `/v2/payments/authorizations/${request.params.id}/reauthorize`,
      () => reauthorize(ctx, request.params.id, request.body),
    ),
  );
  app.get<Id>('/v2/payments/captures/:id', (request, reply) =>
    call('captures.get', request, reply, request.url, () => getCapture(ctx, request.params.id)),
  );
  app.post<Id>('/v2/payments/captures/:id/refund', (request, reply) =>
    call('captures.refund', request, reply, `/v2/payments/captures/${request.params.id}/refund`, () =>
      refundCapture(ctx, request.params.id, request.body),
    ),
  );
  app.get<Id>('/v2/payments/refunds/:id', (request, reply) =>
    call('refunds.get', request, reply, request.url, () => getRefund(ctx, request.params.id)),
  );
}
