import { type Static, Type } from '@fastify/type-provider-typebox';
import {
  type CoreDeps,
  cancelPayment,
  capturePayment,
  confirmPayment,
  createPayment,
  errors,
  isCurrency,
  paymentStatuses,
  paymentView,
} from '@payin/core';
import type { FastifyInstance } from 'fastify';
import { scopeOf } from '../plugins/auth.js';
import { respondIdempotently } from '../plugins/idempotency.js';
import { checkMetadata, refuseCardNumber, refuseCardNumbersIn } from '../schemas/checks.js';
import {
  Amount,
  Country,
  Currency,
  errorResponses,
  IdempotencyHeaders,
  IdParams,
  ListOf,
  ListQuery,
  Metadata,
  PaymentMethodData,
  paymentMethodDataOf,
  Text,
  Url,
} from '../schemas/common.js';
import { Payment } from '../schemas/objects.js';
import { listReply, pageOf } from './lists.js';
import { retrieveRoute } from './retrieve.js';

const CreatePaymentBody = Type.Object(
  {
    amount: Amount,
    currency: Currency,
    reference: Type.Optional(Text({ maxLength: 255 })),
    description: Type.Optional(Text({ maxLength: 1000 })),
    capture_method: Type.Optional(Type.Union([Type.Literal('automatic'), Type.Literal('manual')])),
    customer: Type.Optional(Text({ maxLength: 255 })),
    country: Type.Optional(Country),
    payment_method: Type.Optional(Text({ minLength: 1, maxLength: 255 })),
    payment_method_data: Type.Optional(PaymentMethodData),
    confirm: Type.Optional(Type.Boolean()),
    return_url: Type.Optional(Url),
    metadata: Type.Optional(Metadata),
  },
  { additionalProperties: false },
);

const ConfirmBody = Type.Object(
  {
    payment_method: Type.Optional(Text({ minLength: 1, maxLength: 255 })),
    payment_method_data: Type.Optional(PaymentMethodData),
    return_url: Type.Optional(Url),
  },
  { additionalProperties: false },
);

const CaptureBody = Type.Object(
  {
    amount: Type.Optional(Amount),
    final_capture: Type.Optional(
      Type.Boolean({ description: 'false keeps the rest capturable for a later capture. Default true.' }),
    ),
  },
  { additionalProperties: false },
);

const CancelBody = Type.Object(
  {
    cancellation_reason: Type.Optional(
      Type.Union(
        ['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned'].map((r) => Type.Literal(r)),
      ),
    ),
  },
  { additionalProperties: false },
);

const ListPaymentsQuery = Type.Object(
  {
    ...ListQuery,
    customer: Type.Optional(Text({ maxLength: 255 })),
    reference: Type.Optional(Text({ maxLength: 255 })),
    status: Type.Optional(Type.Union(paymentStatuses.map((s) => Type.Literal(s)))),
  },
  { additionalProperties: false },
);

export async function paymentRoutes(app: FastifyInstance, { core }: { core: CoreDeps }) {
  const tags = ['Payments'];
  const secret = { auth: 'secret' as const };

  app.post(
    '/v1/payments',
    {
      config: secret,
      schema: {
        tags,
        summary: 'Create a payment',
        description:
          'With `confirm: true` and a `payment_method`, the payment is also confirmed in the same call.',
        headers: IdempotencyHeaders,
        body: CreatePaymentBody,
        response: { 200: Payment, ...errorResponses },
      },
    },
    async (request, reply) => {
      const body = request.body as Static<typeof CreatePaymentBody>;
      if (!isCurrency(body.currency))
        throw errors.invalidParameter('currency', `Unknown currency: '${body.currency}'.`);
      const metadata = checkMetadata(body.metadata);
      for (const field of ['description', 'reference', 'customer', 'payment_method'] as const)
        refuseCardNumber(field, body[field]);
      refuseCardNumbersIn(body.payment_method_data);
      return respondIdempotently(core, request, reply, (progress) =>
        createPayment(
          core,
          scopeOf(request),
          {
            amount: body.amount,
            currency: body.currency,
            captureMethod: body.capture_method ?? 'automatic',
            reference: body.reference ?? null,
            description: body.description ?? null,
            customer: body.customer ?? null,
            country: body.country ?? null,
            paymentMethod: body.payment_method ?? null,
            paymentMethodData: paymentMethodDataOf(body.payment_method_data),
            confirm: body.confirm ?? false,
            returnUrl: body.return_url ?? null,
            metadata,
          },
          progress,
        ),
      );
    },
  );

  app.post(
    '/v1/payments/:id/confirm',
    {
      config: secret,
      schema: {
        tags,
        summary: 'Confirm a payment',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: ConfirmBody,
        response: { 200: Payment, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const body = request.body as Static<typeof ConfirmBody>;
      refuseCardNumber('payment_method', body.payment_method);
      refuseCardNumbersIn(body.payment_method_data);
      return respondIdempotently(core, request, reply, (progress) =>
        confirmPayment(
          core,
          scopeOf(request),
          id,
          {
            ...(body.payment_method ? { paymentMethod: body.payment_method } : {}),
            paymentMethodData: paymentMethodDataOf(body.payment_method_data),
            ...(body.return_url ? { returnUrl: body.return_url } : {}),
          },
          progress,
        ),
      );
    },
  );

  app.post(
    '/v1/payments/:id/capture',
    {
      config: secret,
      schema: {
        tags,
        summary: 'Capture an authorised payment',
        description: 'Partial captures are allowed; never more than `amount_capturable`.',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: CaptureBody,
        response: { 200: Payment, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const body = request.body as Static<typeof CaptureBody>;
      return respondIdempotently(core, request, reply, (progress) =>
        capturePayment(
          core,
          scopeOf(request),
          id,
          {
            ...(body.amount !== undefined ? { amount: body.amount } : {}),
            finalCapture: body.final_capture ?? true,
          },
          progress,
        ),
      );
    },
  );

  app.post(
    '/v1/payments/:id/cancel',
    {
      config: secret,
      schema: {
        tags,
        summary: 'Cancel a payment',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: CancelBody,
        response: { 200: Payment, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const body = request.body as Static<typeof CancelBody>;
      return respondIdempotently(core, request, reply, (progress) =>
        cancelPayment(
          core,
          scopeOf(request),
          id,
          body.cancellation_reason ? { cancellationReason: body.cancellation_reason } : {},
          progress,
        ),
      );
    },
  );

  retrieveRoute(app, {
    path: '/v1/payments/:id',
    tags,
    kind: 'payment',
    schema: Payment,
    load: (scope, id) => core.store.getPayment(scope, id),
    view: paymentView,
  });

  app.get(
    '/v1/payments',
    {
      config: secret,
      schema: {
        tags,
        summary: 'List payments',
        description: 'Newest first. Filter by `customer`, `reference` or `status`.',
        querystring: ListPaymentsQuery,
        response: { 200: ListOf(Payment, 'PaymentList'), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query as Static<typeof ListPaymentsQuery>;
      const result = await core.store.listPayments(
        scopeOf(request),
        {
          ...(q.customer !== undefined ? { customer: q.customer } : {}),
          ...(q.reference !== undefined ? { reference: q.reference } : {}),
          ...(q.status !== undefined ? { status: q.status } : {}),
        },
        pageOf(q),
      );
      return listReply('/v1/payments', result, paymentView);
    },
  );
}
