import { type Static, Type } from '@fastify/type-provider-typebox';
import { type CoreDeps, createRefund, errors, refundReasons, refundView } from '@payin/core';
import type { FastifyInstance } from 'fastify';
import { scopeOf } from '../plugins/auth.js';
import { respondIdempotently } from '../plugins/idempotency.js';
import { checkMetadata } from '../schemas/checks.js';
import {
  Amount,
  errorResponses,
  IdempotencyHeaders,
  IdParams,
  ListOf,
  ListQuery,
  Metadata,
  Text,
} from '../schemas/common.js';
import { Refund } from '../schemas/objects.js';
import { listReply, pageOf } from './lists.js';

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

  app.get(
    '/v1/refunds/:id',
    {
      config: secret,
      schema: {
        tags,
        summary: 'Retrieve a refund',
        params: IdParams,
        response: { 200: Refund, ...errorResponses },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const refund = await core.store.getRefund(scopeOf(request), id);
      if (!refund) throw errors.notFound('refund', id);
      return refundView(refund);
    },
  );

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
