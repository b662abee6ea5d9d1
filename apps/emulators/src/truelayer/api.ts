import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { problem, TrueLayerProblem } from './errors.js';
import type { Operation } from './faults.js';
import { type Answer, idempotent, problemAnswer, settle } from './idempotency.js';
import type { TrueLayerEmulatorOptions } from './index.js';
import {
  cancelPayment,
  createPayment,
  createRefund,
  paymentOf,
  paymentView,
  refundView,
} from './payments.js';
import { verifyRequestSignature } from './signing.js';
import type { ClientRecord } from './state.js';

/** Where the Payments API is mounted: it stands for https://api.truelayer-sandbox.com. */
export const API_PREFIX = '/truelayer/api';

const clients = new WeakMap<FastifyRequest, ClientRecord>();
const rawBodies = new WeakMap<FastifyRequest, string>();

/** How long a `timeout` fault holds the connection before the emulator itself lets go. */
const HOLD_MS = 120_000;

function send(reply: FastifyReply, answer: Answer): FastifyReply {
  const problemJson = typeof answer.body === 'object' && answer.body !== null && 'trace_id' in answer.body;
  reply.code(answer.status);
  if (answer.body === undefined) return reply.send();
  return reply.type(problemJson ? 'application/problem+json' : 'application/json').send(answer.body);
}

/** Payments API v3: bearer token on every call, Tl-Signature and Idempotency-Key on every POST. */
export async function paymentsApiRoutes(
  app: FastifyInstance,
  { emulator }: TrueLayerEmulatorOptions,
): Promise<void> {
  const { state, faults, lifecycle, clock } = emulator;
  const { consentUri } = emulator;

  // The signature covers the body exactly as sent, so the text is kept beside the parsed JSON.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = String(body);
    rawBodies.set(request, text);
    if (text === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new TrueLayerProblem('invalidParameters', 'The request body is not valid JSON.'), undefined);
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    const auth = request.headers.authorization;
    const token = typeof auth === 'string' && /^Bearer /i.test(auth) ? auth.slice(7).trim() : '';
    const grant = emulator.state.tokens.get(token);
    const client =
      grant && grant.expiresAt > clock.now().getTime() ? state.clients.get(grant.clientId) : undefined;
    if (!client) {
      const body = problem('unauthenticated', 'A valid access token is required (Authorization: Bearer).');
      return reply.code(401).type('application/problem+json').send(body);
    }
    clients.set(request, client);
  });

  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof TrueLayerProblem) return send(reply, problemAnswer(err));
    if ((err.statusCode ?? 500) < 500) {
      return send(reply, problemAnswer(new TrueLayerProblem('invalidParameters', err.message)));
    }
    request.log.error({ err: err.message }, 'truelayer emulator failure');
    return send(reply, { status: 500, body: problem('unknownError') });
  });

  /**
   * Latency is spent inside the call (for a POST: once its Idempotency-Key is claimed), as a slow
   * provider would: a retry that arrives meanwhile meets the call in progress.
   */
  const slowly = async <T>(run: () => T | Promise<T>): Promise<T> => {
    if (faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
    return run();
  };

  /** Runs a call with whatever fault the control API armed for its operation. */
  async function withFaults(
    operation: Operation,
    request: FastifyRequest,
    reply: FastifyReply,
    run: () => Promise<Answer>,
  ): Promise<FastifyReply | undefined> {
    const fault = faults.take(operation);
    if (fault === 'error_500') return send(reply, { status: 500, body: problem('unknownError') });
    if (fault === 'timeout' || fault === 'drop_answer') {
      // Carried out (and remembered under its Idempotency-Key); only the answer is lost.
      await run();
      reply.hijack();
      const socket = request.raw.socket;
      if (fault === 'drop_answer') socket.destroy();
      else setTimeout(() => socket.destroy(), HOLD_MS).unref();
      return undefined;
    }
    return send(reply, await run());
  }

  /** A signed, idempotent POST: signature first, then the fault switches, then the call. */
  function signedPost(operation: Operation, request: FastifyRequest, reply: FastifyReply, run: () => Answer) {
    const client = clients.get(request) as ClientRecord;
    const path = request.url.split('?')[0] ?? '';
    const body = rawBodies.get(request) ?? '';
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || key === '') {
      return send(
        reply,
        problemAnswer(
          new TrueLayerProblem('invalidParameters', 'Some fields are invalid.', {
            'Idempotency-Key': ['The Idempotency-Key header is required.'],
          }),
        ),
      );
    }
    try {
      verifyRequestSignature(client, {
        method: 'POST',
        paths: [path.slice(API_PREFIX.length), path],
        headers: request.headers,
        body,
      });
    } catch (err) {
      if (err instanceof TrueLayerProblem) return send(reply, problemAnswer(err));
      throw err;
    }
    return withFaults(operation, request, reply, () =>
      idempotent(state, { clientId: client.clientId, key, method: 'POST', path, body }, () => slowly(run)),
    );
  }

  type WithId = { Params: { id: string } };

  app.post('/v3/payments', (request, reply) =>
    signedPost('create_payment', request, reply, () => ({
      status: 201,
      body: createPayment(state, lifecycle, clients.get(request) as ClientRecord, request.body, clock.now()),
    })),
  );
  app.get<WithId>('/v3/payments/:id', (request, reply) =>
    withFaults('get_payment', request, reply, () =>
      slowly(() =>
        settle(() => ({
          status: 200,
          body: paymentView(
            paymentOf(state, clients.get(request) as ClientRecord, request.params.id),
            consentUri,
          ),
        })),
      ),
    ),
  );
  app.post<WithId>('/v3/payments/:id/actions/cancel', (request, reply) =>
    signedPost('cancel_payment', request, reply, () => {
      cancelPayment(lifecycle, paymentOf(state, clients.get(request) as ClientRecord, request.params.id));
      // 202 Accepted, no body: the outcome is read from the payment (or its payment_failed webhook).
      return { status: 202, body: undefined };
    }),
  );
  app.post<WithId>('/v3/payments/:id/refunds', (request, reply) =>
    signedPost('create_refund', request, reply, () => {
      const payment = paymentOf(state, clients.get(request) as ClientRecord, request.params.id);
      return { status: 201, body: createRefund(lifecycle, payment, request.body, clock.now()) };
    }),
  );
  app.get<WithId>('/v3/payments/:id/refunds', (request, reply) =>
    withFaults('get_refunds', request, reply, () =>
      slowly(() =>
        settle(() => {
          const payment = paymentOf(state, clients.get(request) as ClientRecord, request.params.id);
          return { status: 200, body: { items: payment.refunds.map(refundView) } };
        }),
      ),
    ),
  );
  app.get<{ Params: { id: string; refundId: string } }>(
    '/v3/payments/:id/refunds/:refundId',
    (request, reply) =>
      withFaults('get_refunds', request, reply, () =>
        slowly(() =>
          settle(() => {
            const payment = paymentOf(state, clients.get(request) as ClientRecord, request.params.id);
            const refund = payment.refunds.find((r) => r.id === request.params.refundId);
            if (!refund)
              throw new TrueLayerProblem('notFound', `Refund ${request.params.refundId} not found.`);
            return { status: 200, body: refundView(refund) };
          }),
        ),
      ),
  );
}
