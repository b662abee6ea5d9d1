import { type Static, Type } from '@fastify/type-provider-typebox';
import {
  type CoreDeps,
  createWebhookEndpoint,
  errors,
  eventTypes,
  unixSeconds,
  webhookEndpointView,
} from '@payin/core';
import { type Db, type DeliveryLogEntry, listWebhookDeliveries } from '@payin/db';
import { checkWebhookUrl } from '@payin/jobs';
import type { FastifyInstance } from 'fastify';
import { scopeOf } from '../plugins/auth.js';
import { respondIdempotently } from '../plugins/idempotency.js';
import { refuseCardNumber } from '../schemas/checks.js';
import {
  errorResponses,
  IdempotencyHeaders,
  IdParams,
  ListOf,
  ListQuery,
  Text,
  Url,
} from '../schemas/common.js';
import { WebhookDelivery, WebhookEndpoint } from '../schemas/objects.js';
import { listReply, pageOf } from './lists.js';
import { retrieveRoute } from './retrieve.js';

const CreateEndpointBody = Type.Object(
  {
    url: Url,
    enabled_events: Type.Array(Text({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 100 }),
    description: Type.Optional(Text({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);

const Deleted = Type.Object({
  id: Type.String(),
  object: Type.Literal('webhook_endpoint'),
  deleted: Type.Literal(true),
});

// API.md: every object has `livemode`; deliveries are listed within one mode, the caller's.
function deliveryView(d: DeliveryLogEntry, livemode: boolean) {
  return {
    id: d.id,
    object: 'webhook_delivery' as const,
    event: d.eventId,
    webhook_endpoint: d.endpointId,
    status: d.status,
    attempt_count: d.attempts,
    next_attempt: d.status === 'pending' && d.nextAttemptAt ? unixSeconds(d.nextAttemptAt) : null,
    attempts: d.tries.map((t) => ({
      attempted: unixSeconds(t.attemptedAt),
      status_code: t.statusCode,
      error: t.error,
      duration_ms: t.durationMs,
    })),
    created: unixSeconds(d.createdAt),
    livemode,
  };
}

export async function webhookEndpointRoutes(app: FastifyInstance, { core, db }: { core: CoreDeps; db: Db }) {
  const tags = ['Webhook endpoints'];
  const secret = { auth: 'secret' as const };

  app.post(
    '/v1/webhook_endpoints',
    {
      config: secret,
      schema: {
        tags,
        summary: 'Create a webhook endpoint',
        description:
          'The response carries the signing `secret` (whsec_…), shown only here. Live-mode endpoints must be public https URLs.',
        headers: IdempotencyHeaders,
        body: CreateEndpointBody,
        response: { 200: WebhookEndpoint, ...errorResponses },
      },
    },
    async (request, reply) => {
      const body = request.body as Static<typeof CreateEndpointBody>;
      const scope = scopeOf(request);
      refuseCardNumber('description', body.description);
      const known = new Set<string>(eventTypes);
      for (const [i, type] of body.enabled_events.entries()) {
        if (type !== '*' && !known.has(type)) {
          throw errors.invalidParameter(
            `enabled_events[${i}]`,
            `Unknown event type '${type}'. Use '*' or one of: ${eventTypes.join(', ')}.`,
          );
        }
      }
      const check = await checkWebhookUrl(body.url, { livemode: scope.livemode });
      if (!check.ok) throw errors.invalidParameter('url', check.reason);
      return respondIdempotently(core, request, reply, (progress) =>
        createWebhookEndpoint(
          core,
          scope,
          {
            url: body.url,
            enabledEvents: [...new Set(body.enabled_events)],
            description: body.description ?? null,
          },
          progress,
        ),
      );
    },
  );

  retrieveRoute(app, {
    path: '/v1/webhook_endpoints/:id',
    tags,
    kind: 'webhook_endpoint',
    schema: WebhookEndpoint,
    load: (scope, id) => core.store.getWebhookEndpoint(scope, id),
    view: (w) => webhookEndpointView(w, { withSecret: false }),
  });

  app.get(
    '/v1/webhook_endpoints',
    {
      config: secret,
      schema: {
        tags,
        summary: 'List webhook endpoints',
        querystring: Type.Object(ListQuery, { additionalProperties: false }),
        response: { 200: ListOf(WebhookEndpoint, 'WebhookEndpointList'), ...errorResponses },
      },
    },
    async (request) => {
      const result = await core.store.listWebhookEndpoints(scopeOf(request), pageOf(request.query as object));
      return listReply('/v1/webhook_endpoints', result, (w) => webhookEndpointView(w, { withSecret: false }));
    },
  );

  app.delete(
    '/v1/webhook_endpoints/:id',
    {
      config: secret,
      schema: {
        tags,
        summary: 'Delete a webhook endpoint',
        params: IdParams,
        response: { 200: Deleted, ...errorResponses },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const deleted = await core.store.transaction((tx) => tx.deleteWebhookEndpoint(scopeOf(request), id));
      if (!deleted) throw errors.notFound('webhook_endpoint', id);
      return { id, object: 'webhook_endpoint' as const, deleted: true as const };
    },
  );

  app.get(
    '/v1/webhook_endpoints/:id/deliveries',
    {
      config: secret,
      schema: {
        tags,
        summary: "List an endpoint's deliveries with every attempt",
        params: IdParams,
        querystring: Type.Object(
          { limit: ListQuery.limit, starting_after: ListQuery.starting_after },
          { additionalProperties: false },
        ),
        response: { 200: ListOf(WebhookDelivery, 'WebhookDeliveryList'), ...errorResponses },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const scope = scopeOf(request);
      if (!(await core.store.getWebhookEndpoint(scope, id))) throw errors.notFound('webhook_endpoint', id);
      const result = await listWebhookDeliveries(db, scope, id, pageOf(request.query as object));
      return listReply(`/v1/webhook_endpoints/${id}/deliveries`, result, (d) =>
        deliveryView(d, scope.livemode),
      );
    },
  );
}
