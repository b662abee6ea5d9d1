import { type Static, Type } from '@fastify/type-provider-typebox';
import { type CoreDeps, createRefund, refundReasons, refundView } from '@payin/core';
import type { FastifyInstance } from 'fastify';
import { scopeOf } from '../plugins/auth.js';
import { respondIdempotently } from '../plugins/idempotency.js';
import { checkMetadata } from '../schemas/checks.js';
import {
  Amount,
  errorResponses,
  IdempotencyHeaders,
  ListOf,
  ListQuery,
  Metadata,
  Text,
} from '../schemas/common.js';
import { Refund } from '../schemas/objects.js';
import { listReply, pageOf } from './lists.js';
import { retrieveRoute } from './retrieve.js';

const CreateRefundBody = Type.Object(
  {
    payment: Text({ minLength: 1, maxLength: 255 }),
    amount: Type.Optional(Amount),
    reason: Type.Optional(Type.Union(refundReasons.map((r) => Type.Literal(r)))),
    metadata: Type.Optional(Metadata),
  },
  { additionalProperties: false },
);

const ListRefundsQuery = Type.Object(
  { ...ListQuery, payment: Type.Optional(Text({ maxLength: 255 })) },
  { additionalProperties: false },
);

export async function refundRoutes(app: FastifyInstance, { core }: { core: CoreDeps }) {
  const tags = ['Refunds'];
  const secret = { auth: 'secret' as const };

  app.post(
    '/v1/refunds',
    {
      config: secret,
      schema: {
        tags,
        summary: 'Refund a payment',
        description:
          'Without `amount`, refunds all that remains. Several partial refunds are allowed; their sum never exceeds `amount_received`.',
        headers: IdempotencyHeaders,
        body: CreateRefundBody,
        response: { 200: Refund, ...errorResponses },
      },
    },
    async (request, reply) => {
      const body = request.body as Static<typeof CreateRefundBody>;
      const metadata = checkMetadata(body.metadata);
      return respondIdempotently(core, request, reply, (progress) =>
        createRefund(
          core,
          scopeOf(request),
          {
            payment: body.payment,
            ...(body.amount !== undefined ? { amount: body.amount } : {}),
            ...(body.reason ? { reason: body.reason } : {}),
            metadata,
          },
          progress,
        ),
      );
    },
  );

  retrieveRoute(app, {
    path: '/v1/refunds/:id',
    tags,
    kind: 'refund',
    schema: Refund,
    load: (scope, id) => core.store.getRefund(scope, id),
    view: refundView,
  });

  app.get(
    '/v1/refunds',
    {
      config: secret,
      schema: {
        tags,
        summary: 'List refunds',
        querystring: ListRefundsQuery,
        response: { 200: ListOf(Refund, 'RefundList'), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query as Static<typeof ListRefundsQuery>;
      const result = await core.store.listRefunds(
        scopeOf(request),
        q.payment !== undefined ? { paymentId: q.payment } : {},
        pageOf(q),
      );
      return listReply('/v1/refunds', result, refundView);
    },
  );
}
