import type { FastifyInstance } from 'fastify';
import { faultRoutes } from '../fault-switches.js';
import type { KlarnaFaults } from './faults.js';
import type { FraudDecision, FraudReview } from './fraud-review.js';
import { readHppSession } from './hpp.js';
import type { KlarnaNotifier } from './notifications.js';
import { readOrder, settleExpiry } from './orders.js';
import type { KlarnaState } from './state.js';

export interface ControlOptions {
  state: KlarnaState;
  faults: KlarnaFaults;
  notifier: KlarnaNotifier;
  fraudReview: FraudReview;
}

const decisions: readonly FraudDecision[] = ['ACCEPTED', 'REJECTED', 'STOPPED'];

/** The control API tests read the emulator's books from and steer it with (/_control/klarna). */
export async function controlRoutes(app: FastifyInstance, opts: ControlOptions): Promise<void> {
  const { state, faults } = opts;
  faultRoutes(app, '/faults', faults);

  app.get<{ Querystring: { order_id?: string } }>('/ledger', async (request) => {
    const now = state.now();
    const wanted = request.query.order_id;
    const orders = [...state.orders.values()].filter((o) => !wanted || o.orderId === wanted);
    for (const order of orders) settleExpiry(order, now);
    return {
      now: now.toISOString(),
      sessions: [...state.sessions.values()].map((s) => ({
        session_id: s.sessionId,
        merchant: s.merchant,
        purchase_country: s.request.purchase_country,
        purchase_currency: s.request.purchase_currency,
        order_amount: s.request.order_amount,
        authorization_token: s.authorizationToken,
        expires_at: s.expiresAt.toISOString(),
      })),
      hpp_sessions: [...state.hppSessions.values()].map(readHppSession),
      authorizations: [...state.authorizations.values()].map((a) => ({
        authorization_token: a.token,
        session_id: a.sessionId,
        category: a.category,
        state: a.state === 'valid' && a.expiresAt <= now ? 'expired' : a.state,
        expires_at: a.expiresAt.toISOString(),
        order_id: a.orderId,
      })),
      orders: orders.map(readOrder),
    };
  });

  app.get('/notifications', async () => ({ deliveries: opts.notifier.deliveries }));

  // Moves the emulator's clock forward: authorizations and orders expire as if the time had passed.
  app.post<{ Body: { advanceMs?: unknown } }>('/clock', async (request, reply) => {
    const ms = request.body?.advanceMs;
    if (!Number.isSafeInteger(ms) || (ms as number) < 0)
      return reply.code(400).send({ error: 'advanceMs must be a non-negative integer' });
    return { now: state.skip(ms as number).toISOString() };
  });

  // Ends a fraud review now (or stops an accepted order), as Klarna's risk team would.
  app.post<{ Params: { id: string }; Body: { decision?: unknown } }>(
    '/orders/:id/fraud-decision',
    async (request, reply) => {
      const order = state.orders.get(request.params.id);
      if (!order) return reply.code(404).send({ error: 'no such order' });
      const decision = request.body?.decision as FraudDecision;
      if (!decisions.includes(decision))
        return reply.code(400).send({ error: `decision must be one of ${decisions.join(', ')}` });
      if (!opts.fraudReview.decide(order, decision))
        return reply
          .code(409)
          .send({ error: `order is ${order.status} with fraud_status ${order.fraudStatus}` });
      return { order_id: order.orderId, fraud_status: order.fraudStatus, status: order.status };
    },
  );
}
