import { type Static, Type } from '@fastify/type-provider-typebox';
import { MAX_AMOUNT, methodTypes } from '@payin/core';
import { STORABLE_TEXT } from '@payin/http';

export { STORABLE_TEXT };

/** Shapes shared by every route: the contract's limits live here and nowhere else. */
export const Amount = Type.Integer({
  minimum: 1,
  maximum: MAX_AMOUNT,
  description: 'Integer in the currency minor unit (JPY: yen, EUR/USD: cents).',
});
export const Currency = Type.String({
  pattern: '^[A-Z]{3}$',
  description: 'Upper-case ISO 4217 code.',
  examples: ['EUR'],
});
export const Country = Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2 code.' });
/**
 * Text PostgreSQL can store. JSON allows NUL (\u0000) and unpaired UTF-16 surrogates, but text
 * and jsonb columns refuse them (or the driver silently replaces them), which answered a 500 or
 * stored something else than was sent: refused here as a bad parameter instead.
 */
const storable = new RegExp(STORABLE_TEXT);
export const isStorableText = (value: string): boolean => storable.test(value);
export const Text = (options: Omit<NonNullable<Parameters<typeof Type.String>[0]>, 'pattern'> = {}) =>
  Type.String({ ...options, pattern: STORABLE_TEXT });

export const Metadata = Type.Record(Type.String({ minLength: 1, maxLength: 40 }), Text({ maxLength: 500 }), {
  maxProperties: 50,
  description: 'Up to 50 string values, keys ≤ 40 characters, values ≤ 500.',
});
export const Url = Type.String({
  format: 'uri',
  maxLength: 2048,
  pattern: `^https?://${STORABLE_TEXT.slice(1)}`,
});
export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) =>
  Type.Union([t, Type.Null()]);

export const IdParams = Type.Object({ id: Text({ minLength: 1, maxLength: 255 }) });

export const ListQuery = {
  // Query values are converted from text before the check, and an integer conversion truncates
  // (limit=1.5 would silently become 1): a number that must be a multiple of 1 refuses it.
  limit: Type.Optional(Type.Number({ multipleOf: 1, minimum: 1, maximum: 100, default: 10 })),
  starting_after: Type.Optional(Text({ maxLength: 255 })),
  ending_before: Type.Optional(Text({ maxLength: 255 })),
};

export const ListOf = <T extends Parameters<typeof Type.Array>[0]>(item: T, name: string) =>
  Type.Object(
    { object: Type.Literal('list'), data: Type.Array(item), has_more: Type.Boolean(), url: Type.String() },
    { $id: name, additionalProperties: false },
  );

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      type: Type.String(),
      message: Type.String(),
      code: Type.Optional(Type.String()),
      param: Type.Optional(Type.String()),
      decline_code: Type.Optional(Type.String()),
      payment: Type.Optional(Type.String()),
    }),
  },
  { description: 'The error shape of every non-2xx answer.' },
);

export const errorResponses = { '4xx': ErrorResponse, '5xx': ErrorResponse };

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      description: 'Makes the request safe to retry: same key and parameters replay the first answer.',
    }),
  ),
});

/** Who pays, as the merchant or the checkout collected it (shown back on the payment). */
export const BillingDetails = Type.Object(
  {
    name: Type.Optional(Text({ maxLength: 255 })),
    email: Type.Optional(
      Type.String({
        maxLength: 320,
        pattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$',
        description: 'An e-mail address.',
      }),
    ),
    phone: Type.Optional(
      Type.String({
        maxLength: 32,
        pattern: '^\\+?[0-9 ().-]{6,31}$',
        description: 'A phone number, E.164 preferred.',
      }),
    ),
    address: Type.Optional(
      Type.Object(
        {
          line1: Type.Optional(Text({ maxLength: 255 })),
          line2: Type.Optional(Text({ maxLength: 255 })),
          city: Type.Optional(Text({ maxLength: 255 })),
          postal_code: Type.Optional(Text({ maxLength: 32 })),
          state: Type.Optional(Text({ maxLength: 255 })),
          country: Type.Optional(Country),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

/**
 * An alternative method named with what its provider needs to know of the payer. Cards are not
 * given this way: they come as vault tokens in `payment_method`.
 */
export const PaymentMethodData = Type.Object(
  {
    type: Type.Union(
      methodTypes.filter((t) => t !== 'card').map((t) => Type.Literal(t)),
      { description: 'paypal, klarna, open_banking, bizum, konbini or paypay.' },
    ),
    billing_details: Type.Optional(BillingDetails),
  },
  { additionalProperties: false },
);

/** `payment_method_data` as core takes it. */
export function paymentMethodDataOf(data: Static<typeof PaymentMethodData> | undefined) {
  return data ? { type: data.type, billingDetails: data.billing_details ?? null } : null;
}
