import type { FastifyInstance } from 'fastify';
import { faultRoutes } from '../fault-switches.js';
import type { PayPalFaults } from './faults.js';
import { type PaymentsContext, settleCapture } from './payments.js';
import { captureOf, type LinkBase } from './representations.js';
import type { PayPalWebhookSender } from './webhooks.js';

export interface ControlOptions {
  ctx: PaymentsContext;
  faults: PayPalFaults;
  webhooks: PayPalWebhookSender;
  base: () => LinkBase;
}

const eventTypes = [
  'CHECKOUT.ORDER.APPROVED',
  'PAYMENT.AUTHORIZATION.CREATED',
  'PAYMENT.AUTHORIZATION.VOIDED',
  'PAYMENT.CAPTURE.COMPLETED',
  'PAYMENT.CAPTURE.PENDING',
  'PAYMENT.CAPTURE.DENIED',
  'PAYMENT.CAPTURE.REFUNDED',
];

/**
 * The control API under /_control/paypal: what the developer dashboard does (webhook
 * subscriptions, resends) and what tests need (faults, the ledger, settling pending captures,
 * expiring tokens).
 */
export async function controlRoutes(app: FastifyInstance, opts: ControlOptions): Promise<void> {
  const { ctx, faults, webhooks } = opts;
  faultRoutes(app, '/faults', faults);
  app.get<{ Querystring: { orderId?: string } }>('/ledger', async (request) => ({
    orders: ctx.state.ledger(request.query.orderId),
  }));
  app.post<{ Body: { url?: unknown; webhook_id?: unknown; event_types?: unknown } | undefined }>(
    '/webhooks',
    async (request, reply) => {
      const { url, webhook_id: id, event_types: types = ['*'] } = request.body ?? {};
      const validTypes =
        Array.isArray(types) &&
        types.length > 0 &&
        types.every((t) => t === '*' || eventTypes.includes(t as string));
      if (
        typeof url !== 'string' ||
        !/^https?:\/\//.test(url) ||
        (id !== undefined && (typeof id !== 'string' || !/^[A-Za-z0-9]{1,50}$/.test(id))) ||
        !validTypes
      ) {
        return reply.code(400).send({
          error: `url (http or https) is required; webhook_id is up to 50 letters and digits; event_types are * or of ${eventTypes.join(', ')}`,
        });
      }
      const endpoint = webhooks.addEndpoint(url, types as string[], id as string | undefined);
      return reply
        .code(201)
        .send({ webhook_id: endpoint.id, url: endpoint.url, event_types: endpoint.eventTypes });
    },
  );
  app.get('/webhooks', async () => ({
    webhooks: webhooks.endpoints.map(({ id, url, eventTypes: types }) => ({
      webhook_id: id,
      url,
      event_types: types,
    })),
    certUrl: webhooks.certUrl,
    deliveries: webhooks.deliveries,
  }));
  app.post('/webhooks/resend', async () => ({ resent: webhooks.resend() }));
  app.post<{ Params: { id: string }; Body: { status?: unknown } | undefined }>(
    '/captures/:id/settle',
    async (request, reply) => {
      const status = request.body?.status ?? 'COMPLETED';
      if (status !== 'COMPLETED' && status !== 'DECLINED')
        return reply.code(400).send({ error: 'status is COMPLETED or DECLINED' });
      const capture = settleCapture(ctx, request.params.id, status);
      if (!capture) return reply.code(409).send({ error: 'no PENDING capture with that id' });
      return captureOf(capture, opts.base());
    },
  );
  // Access tokens run out after expires_in; this makes them run out now.
  app.post('/tokens/expire', async () => {
    const expired = ctx.state.tokens.size;
    for (const token of ctx.state.tokens.values()) token.expiresAt = 0;
    return { expired };
  });
}
