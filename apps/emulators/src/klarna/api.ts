import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { cancelAuthorization, type PlaceOrderOptions, placeOrder } from './authorizations.js';
import { errorBody, KlarnaError } from './errors.js';
import type { KlarnaFaults, Operation } from './faults.js';
import { createHppSession, disableHppSession, hppSessionOf, readHppSession } from './hpp.js';
import { type Answer, idempotent } from './idempotency.js';
import {
  cancelOrder,
  captureOrder,
  extendAuthorization,
  orderOf,
  readOrder,
  refundOrder,
  releaseRemainingAuthorization,
} from './orders.js';
import { createSession, readSession, sessionOf, updateSession } from './sessions.js';
import type { KlarnaState } from './state.js';

export interface ApiOptions {
  state: KlarnaState;
  faults: KlarnaFaults;
  credentials: { username: string; password: string }[];
  publicUrl: () => string;
  placeOrder: () => PlaceOrderOptions;
}

/** A reply that goes nowhere: the call is carried out, its answer never sent. */
const nowhere = (): FastifyReply => {
  const sink: Record<string, unknown> = {};
  for (const method of ['header', 'code', 'type', 'send']) sink[method] = () => sink;
  return sink as unknown as FastifyReply;
};

/** How long a `timeout` fault holds the connection before the emulator itself lets go. */
const HOLD_MS = 120_000;

/** The API username of a request, once its Basic credentials were checked (onRequest hook). */
const merchantOf = (request: FastifyRequest) =>
  (request as FastifyRequest & { klarnaMerchant: string }).klarnaMerchant;

function basicUser(header: string | undefined, accepted: ApiOptions['credentials']): string | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const [username, password] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
  return accepted.some((c) => c.username === username && c.password === password) ? username : undefined;
}

/** Klarna's Payments, HPP and Order Management APIs, behind HTTP Basic auth with the merchant's API credentials. */
export async function apiRoutes(app: FastifyInstance, opts: ApiOptions): Promise<void> {
  const { state, faults } = opts;

  app.addHook('onRequest', async (request, reply) => {
    const username = basicUser(request.headers.authorization, opts.credentials);
    if (!username)
      return reply
        .code(401)
        .type('application/json')
        .send(errorBody('UNAUTHORIZED', ['Unauthorized']));
    (request as FastifyRequest & { klarnaMerchant: string }).klarnaMerchant = username;
  });
  // Bodyless POSTs (cancel, extend, release) often still say application/json.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    if (String(body).trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(String(body)));
    } catch {
      done(new KlarnaError('invalidJson'), undefined);
    }
  });
  app.setErrorHandler((err: FastifyError, _request, reply) => {
    if (err instanceof KlarnaError) return reply.code(err.status).send(err.body);
    if ((err.statusCode ?? 500) < 500) return reply.code(400).send(errorBody('BAD_VALUE', [err.message]));
    reply.log.error({ err: err.message }, 'klarna emulator failure');
    return reply.code(500).send(new KlarnaError('internal').body);
  });

  /** Runs a call with whatever fault is armed for its operation, under its idempotency key. */
  async function call(operation: Operation, request: FastifyRequest, reply: FastifyReply, run: () => Answer) {
    if (faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
    const fault = faults.take(operation);
    if (fault === 'error_500') return reply.code(500).send(new KlarnaError('internal').body);
    const merchant = merchantOf(request);
    if (fault === 'timeout' || fault === 'drop_answer') {
      // Carried out and remembered under its idempotency key; only the answer is lost.
      await idempotent(state, merchant, request, nowhere(), run);
      reply.hijack();
      const socket = request.raw.socket;
      if (fault === 'drop_answer') socket.destroy();
      else setTimeout(() => socket.destroy(), HOLD_MS).unref();
      return undefined;
    }
    return idempotent(state, merchant, request, reply, run);
  }
  const ok = (body: unknown, status = 200): Answer => ({ status, body });
  const done: Answer = { status: 204 };
  type Id = { Params: { id: string } };
  type Sub = { Params: { id: string; sub: string } };

  // Klarna Payments API v1 (docs.klarna.com/klarna-payments/api/payments-api).
  app.post('/payments/v1/sessions', (request, reply) =>
    call('create_session', request, reply, () =>
      ok(createSession(state, merchantOf(request), request.body as object, opts.publicUrl())),
    ),
  );
  app.get<Id>('/payments/v1/sessions/:id', (request, reply) =>
    call('read_session', request, reply, () =>
      ok(readSession(sessionOf(state, merchantOf(request), request.params.id), opts.publicUrl())),
    ),
  );
  app.post<Id>('/payments/v1/sessions/:id', (request, reply) =>
    call('update_session', request, reply, () => {
      updateSession(sessionOf(state, merchantOf(request), request.params.id), request.body as object);
      return done;
    }),
  );
  app.post<Id>('/payments/v1/authorizations/:id/order', (request, reply) =>
    call('place_order', request, reply, () =>
      ok(
        placeOrder(state, merchantOf(request), request.params.id, request.body as object, opts.placeOrder()),
      ),
    ),
  );
  app.delete<Id>('/payments/v1/authorizations/:id', (request, reply) =>
    call('cancel_authorization', request, reply, () => {
      cancelAuthorization(state, merchantOf(request), request.params.id);
      return done;
    }),
  );

  // Hosted Payment Page API v1 (docs.klarna.com/hosted-payment-page/api-documentation).
  app.post('/hpp/v1/sessions', (request, reply) =>
    call('create_hpp_session', request, reply, () =>
      ok(createHppSession(state, merchantOf(request), request.body as object, opts.publicUrl()), 201),
    ),
  );
  app.get<Id>('/hpp/v1/sessions/:id', (request, reply) =>
    call('read_hpp_session', request, reply, () =>
      ok(readHppSession(hppSessionOf(state, merchantOf(request), request.params.id))),
    ),
  );
  app.delete<Id>('/hpp/v1/sessions/:id', (request, reply) =>
    call('disable_hpp_session', request, reply, () => {
      disableHppSession(state, hppSessionOf(state, merchantOf(request), request.params.id));
      return done;
    }),
  );

  // Order Management API v1 (docs.klarna.com/api/ordermanagement).
  const orders = '/ordermanagement/v1/orders';
  const order = (request: FastifyRequest<Id>) => orderOf(state, merchantOf(request), request.params.id);
  app.get<Id>(`${orders}/:id`, (request, reply) =>
    call('read_order', request, reply, () => ok(readOrder(order(request)))),
  );
  app.post<Id>(`${orders}/:id/captures`, (request, reply) =>
    call('capture', request, reply, () => {
      const capture = captureOrder(state, order(request), request.body as object);
      const location = `${opts.publicUrl()}/klarna${orders}/${request.params.id}/captures/${capture.capture_id}`;
      return { status: 201, headers: { Location: location, 'Capture-Id': capture.capture_id } };
    }),
  );
  app.post<Id>(`${orders}/:id/refunds`, (request, reply) =>
    call('refund', request, reply, () => {
      const refund = refundOrder(state, order(request), request.body as object);
      const location = `${opts.publicUrl()}/klarna${orders}/${request.params.id}/refunds/${refund.refund_id}`;
      return { status: 201, headers: { Location: location, 'Refund-Id': refund.refund_id } };
    }),
  );
  app.get<Sub>(`${orders}/:id/captures/:sub`, (request, reply) =>
    call('read_order', request, reply, () => {
      const found = order(request).captures.find((c) => c.capture_id === request.params.sub);
      if (!found) throw new KlarnaError('notFound', 'Capture not found');
      return ok(found);
    }),
  );
  app.get<Sub>(`${orders}/:id/refunds/:sub`, (request, reply) =>
    call('read_order', request, reply, () => {
      const found = order(request).refunds.find((r) => r.refund_id === request.params.sub);
      if (!found) throw new KlarnaError('notFound', 'Refund not found');
      return ok(found);
    }),
  );
  const actions = {
    cancel: ['cancel_order', cancelOrder],
    'extend-authorization-time': ['extend_authorization', extendAuthorization],
    'release-remaining-authorization': ['release_authorization', releaseRemainingAuthorization],
  } as const;
  for (const [path, [operation, act]] of Object.entries(actions)) {
    app.post<Id>(`${orders}/:id/${path}`, (request, reply) =>
      call(operation, request, reply, () => {
        act(order(request));
        return done;
      }),
    );
  }
}
