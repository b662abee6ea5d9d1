import { Type } from '@fastify/type-provider-typebox';
import { paymentStatuses } from '@payin/core';
import { BillingDetails, Nullable } from './common.js';

/** The API's objects as JSON Schema: response serialisation and /openapi.json both use these. */
const StringMap = Type.Record(Type.String(), Type.String());

const Card = Type.Object({
  brand: Type.String(),
  last4: Type.String(),
  exp_month: Type.Optional(Type.Integer()),
  exp_year: Type.Optional(Type.Integer()),
  country: Type.Optional(Nullable(Type.String())),
  funding: Type.Optional(Nullable(Type.String())),
  fingerprint: Type.Optional(
    Type.String({ description: 'Same card, same value, for this merchant (tokenized cards).' }),
  ),
});

const LastError = Type.Object({
  type: Type.String(),
  code: Type.String(),
  decline_code: Type.Optional(Type.String()),
  message: Type.String(),
});

const NextAction = Type.Union([
  Type.Object({
    type: Type.Literal('redirect_to_url'),
    redirect_to_url: Type.Object({ url: Type.String(), return_url: Nullable(Type.String()) }),
  }),
  Type.Object(
    {
      type: Type.Literal('display_voucher'),
      display_voucher: Type.Object({
        reference: Type.String({ description: 'What the shopper gives the store to pay.' }),
        expires_at: Type.Integer({
          description: 'Unix seconds; unpaid by then, the payment fails with payment_expired.',
        }),
        instructions_url: Nullable(Type.String()),
        store: Nullable(Type.String()),
      }),
    },
    { description: 'A konbini voucher to pay in cash at a convenience store before `expires_at`.' },
  ),
]);

export const Payment = Type.Object(
  {
    id: Type.String({ examples: ['pay_3fK2…'] }),
    object: Type.Literal('payment'),
    amount: Type.Integer(),
    currency: Type.String(),
    status: Type.Union(paymentStatuses.map((s) => Type.Literal(s))),
    capture_method: Type.Union([Type.Literal('automatic'), Type.Literal('manual')]),
    amount_capturable: Type.Integer(),
    amount_received: Type.Integer(),
    amount_refunded: Type.Integer(),
    reference: Nullable(Type.String()),
    description: Nullable(Type.String()),
    customer: Nullable(Type.String()),
    country: Nullable(Type.String()),
    payment_method: Nullable(Type.String()),
    payment_method_details: Nullable(
      Type.Object({
        type: Type.String(),
        card: Type.Optional(Card),
        billing_details: Type.Optional(BillingDetails),
      }),
    ),
    next_action: Nullable(NextAction),
    last_error: Nullable(LastError),
    client_secret: Type.String(),
    return_url: Nullable(Type.String()),
    cancellation_reason: Nullable(Type.String()),
    canceled_at: Nullable(Type.Integer()),
    connector: Nullable(Type.String()),
    metadata: StringMap,
    created: Type.Integer({ description: 'Unix seconds.' }),
    livemode: Type.Boolean(),
  },
  { $id: 'Payment', additionalProperties: false },
);

export const Refund = Type.Object(
  {
    id: Type.String(),
    object: Type.Literal('refund'),
    amount: Type.Integer(),
    currency: Type.String(),
    payment: Type.String(),
    status: Type.Union([
      Type.Literal('pending'),
      Type.Literal('succeeded'),
      Type.Literal('failed'),
      Type.Literal('canceled'),
    ]),
    reason: Nullable(Type.String()),
    failure_reason: Nullable(Type.String()),
    metadata: StringMap,
    created: Type.Integer(),
    livemode: Type.Boolean(),
  },
  { $id: 'Refund', additionalProperties: false },
);

export const Event = Type.Object(
  {
    id: Type.String(),
    object: Type.Literal('event'),
    type: Type.String(),
    created: Type.Integer(),
    livemode: Type.Boolean(),
    data: Type.Object({ object: Type.Object({}, { additionalProperties: true }) }),
  },
  { $id: 'Event', additionalProperties: false },
);

export const WebhookEndpoint = Type.Object(
  {
    id: Type.String(),
    object: Type.Literal('webhook_endpoint'),
    url: Type.String(),
    enabled_events: Type.Array(Type.String()),
    description: Nullable(Type.String()),
    status: Type.Literal('enabled'),
    secret: Type.Optional(Type.String({ description: 'Only in the creation response.' })),
    created: Type.Integer(),
    livemode: Type.Boolean(),
  },
  { $id: 'WebhookEndpoint', additionalProperties: false },
);

export const WebhookDelivery = Type.Object(
  {
    id: Type.String(),
    object: Type.Literal('webhook_delivery'),
    event: Type.String(),
    webhook_endpoint: Type.String(),
    status: Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('failed')]),
    attempt_count: Type.Integer(),
    next_attempt: Nullable(Type.Integer()),
    attempts: Type.Array(
      Type.Object({
        attempted: Type.Integer(),
        status_code: Nullable(Type.Integer()),
        error: Nullable(Type.String()),
        duration_ms: Type.Integer(),
      }),
    ),
    created: Type.Integer(),
    livemode: Type.Boolean(),
  },
  { $id: 'WebhookDelivery', additionalProperties: false },
);
