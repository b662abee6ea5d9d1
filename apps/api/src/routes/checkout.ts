import { timingSafeEqual } from 'node:crypto';
import { type Static, Type } from '@fastify/type-provider-typebox';
import {
  type CoreDeps,
  checkoutResponse,
  checkoutView,
  confirmableStatuses,
  confirmPayment,
  errors,
  isCardToken,
  offeredMethods,
  type PaymentRecord,
  type Progress,
  paymentView,
  type Scope,
} from '@payin/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { scopeOf } from '../plugins/auth.js';
import { respondIdempotently } from '../plugins/idempotency.js';
import { refuseCardNumber, refuseCardNumbersIn } from '../schemas/checks.js';
import {
  errorResponses,
  IdempotencyHeaders,
  IdParams,
  PaymentMethodData,
  paymentMethodDataOf,
  Text,
  Url,
} from '../schemas/common.js';

/**
 * The browser's side of a payment: the checkout reads what it must show and confirms with a
 * vault token, holding only the merchant's publishable key and the payment's client secret (as
 * Stripe.js does). Called from the merchant's pages, so answers carry CORS headers for the
 * origins the merchant registered (`/v1/allowed_origins`), and a page of another origin is refused.
 */
const ClientSecret = Text({ minLength: 1, maxLength: 255, description: "The payment's client_secret." });

/** A BCP 47 tag; the checkout sends the one it negotiated (en-US, fr-FR, es-ES, ja-JP). */
const Locale = Type.String({
  pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,4}$',
  maxLength: 35,
  description: 'The locale `formatted_amount` is written for (BCP 47, e.g. `fr-FR`). Default `en-US`.',
});

const RetrieveQuery = Type.Object(
  { client_secret: ClientSecret, locale: Type.Optional(Locale) },
  { additionalProperties: false },
);

const ConfirmBody = Type.Object(
  {
    client_secret: ClientSecret,
    payment_method: Type.Optional(
      Text({
        minLength: 1,
        maxLength: 255,
        description: 'A vault token (`tok_…`); in test mode also a test method (`pm_card_…`).',
      }),
    ),
    payment_method_data: Type.Optional(PaymentMethodData),
    return_url: Type.Optional(Url),
    locale: Type.Optional(Locale),
  },
  { additionalProperties: false },
);

const CheckoutPayment = Type.Object(
  {
    id: Type.String(),
    object: Type.Literal('checkout_payment'),
    amount: Type.Integer(),
    currency: Type.String(),
    formatted_amount: Type.String({
      description: 'The amount as the shopper reads it in `locale`, e.g. `49,90 €`.',
    }),
    country: Type.Union([Type.String(), Type.Null()]),
    status: Type.String(),
    next_action: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]),
    last_error: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]),
    payment_method_details: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]),
    payment_methods: Type.Array(
      Type.Object(
        {
          type: Type.String(),
          brands: Type.Optional(Type.Array(Type.String())),
          billing_details: Type.Optional(
            Type.Array(Type.String(), {
              description: 'What the shopper must give before paying with it: name, email, phone, address.',
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    return_url: Type.Union([Type.String(), Type.Null()]),
    created: Type.Integer(),
    livemode: Type.Boolean(),
  },
  { $id: 'CheckoutPayment' },
);

/** Browsers ask before a cross-origin call with these headers; the answer itself is checked. */
const CORS_HEADERS = 'Authorization, Content-Type, Idempotency-Key';

export async function checkoutRoutes(app: FastifyInstance, { core }: { core: CoreDeps }) {
  const tags = ['Checkout (browser)'];
  const publishable = { auth: 'publishable' as const };

  app.options(
    '/v1/checkout/*',
    { config: { auth: 'none' }, schema: { hide: true } },
    async (request, reply) => {
      const origin = request.headers.origin;
      if (origin) {
        reply
          .header('Access-Control-Allow-Origin', origin)
          .header('Access-Control-Allow-Methods', 'GET, POST')
          .header('Access-Control-Allow-Headers', CORS_HEADERS)
          .header('Access-Control-Max-Age', '600')
          .header('Vary', 'Origin');
      }
      return reply.code(204).send();
    },
  );

  app.get(
    '/v1/checkout/payments/:id',
    {
      config: publishable,
      schema: {
        tags,
        summary: "A payment as the shopper's browser sees it",
        description:
          'Amount, currency, status, `next_action`, the last error and the payment methods offered for its country, currency and amount. Publishable key and `client_secret`.',
        params: IdParams,
        querystring: RetrieveQuery,
        response: { 200: CheckoutPayment, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const { client_secret, locale } = request.query as Static<typeof RetrieveQuery>;
      const shopperLocale = localeOf(locale);
      const scope = scopeOf(request);
      await allowOrigin(core, scope, request, reply);
      const payment = await paymentWithSecret(core, scope, id, client_secret);
      return checkoutView(paymentView(payment), await methodsFor(core, payment), shopperLocale);
    },
  );

  app.post(
    '/v1/checkout/payments/:id/confirm',
    {
      config: publishable,
      schema: {
        tags,
        summary: 'Confirm a payment from the browser',
        description:
          'With the card the shopper entered in the vault fields (`tok_…`). Answers the checkout view, or 402 with the decline. Send an `Idempotency-Key` so a double submit charges once.',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: ConfirmBody,
        response: { 200: CheckoutPayment, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const body = request.body as Static<typeof ConfirmBody>;
      refuseCardNumber('payment_method', body.payment_method);
      refuseCardNumbersIn(body.payment_method_data);
      const locale = localeOf(body.locale);
      const scope = scopeOf(request);
      await allowOrigin(core, scope, request, reply);
      const payment = await paymentWithSecret(core, scope, id, body.client_secret);
      const method = body.payment_method;
      if (method === undefined && !body.payment_method_data) throw errors.missingParameter('payment_method');
      const testMethod = !scope.livemode && method?.startsWith('pm_');
      if (method !== undefined && !testMethod && !isCardToken(method)) {
        throw errors.invalidParameter(
          'payment_method',
          'The browser pays with a card token from the vault fields (tok_…), or another method with payment_method_data; test methods (pm_card_…) work in test mode only.',
        );
      }
      const methods = await methodsFor(core, payment);
      return respondIdempotently(core, request, reply, async (progress) => {
        // What is stored for a replay is narrowed too: the same key never shows more.
        const narrowed: Progress = {
          ...progress,
          finish: (tx, response) => progress.finish(tx, checkoutResponse(response, methods, locale)),
        };
        const response = await confirmPayment(
          core,
          scope,
          id,
          {
            ...(method ? { paymentMethod: method } : {}),
            paymentMethodData: paymentMethodDataOf(body.payment_method_data),
            ...(body.return_url ? { returnUrl: body.return_url } : {}),
          },
          narrowed,
        );
        return checkoutResponse(response, methods, locale);
      });
    },
  );
}

/** The locale asked for, canonical (`fr-fr` → `fr-FR`), or en-US; one Intl does not know is a 400. */
function localeOf(tag: string | undefined): string {
  if (tag === undefined) return 'en-US';
  try {
    const [canonical] = Intl.NumberFormat.supportedLocalesOf(Intl.getCanonicalLocales(tag));
    if (canonical) return canonical;
  } catch {}
  throw errors.invalidParameter('locale', `No amount format is known for the locale ${tag}.`);
}

/**
 * A page of another origin than the merchant registered is refused; a registered one gets the
 * CORS headers that let it read the answer. Calls without an Origin (servers, tools) pass.
 */
async function allowOrigin(core: CoreDeps, scope: Scope, request: FastifyRequest, reply: FastifyReply) {
  const origin = request.headers.origin;
  if (!origin) return;
  if (!(await core.store.allowedOriginsOf(scope)).includes(origin)) throw errors.originNotAllowed();
  reply.header('Access-Control-Allow-Origin', origin).header('Vary', 'Origin');
}

/** The payment, if the client secret is its own; otherwise the same 404 as an unknown id. */
async function paymentWithSecret(
  core: CoreDeps,
  scope: Scope,
  id: string,
  clientSecret: string,
): Promise<PaymentRecord> {
  const payment = await core.store.getPayment(scope, id);
  const given = Buffer.from(clientSecret);
  const expected = Buffer.from(payment?.clientSecret ?? '');
  if (!payment || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw errors.notFound('payment', id);
  }
  return payment;
}

/**
 * The methods the checkout offers: those of the market rules the merchant has a connector for.
 * A payment that can no longer be paid offers none, and the checkout reads it again and again
 * while it is processing: nothing to look up then.
 */
async function methodsFor(core: CoreDeps, payment: PaymentRecord) {
  if (!confirmableStatuses.includes(payment.status)) return [];
  const scope = { merchantId: payment.merchantId, livemode: payment.livemode };
  const candidates = offeredMethods(payment, () => true, core.paymentMethodRules);
  const taken = await Promise.all(candidates.map((method) => core.connectors.takes(scope, method.type)));
  return candidates.filter((_, i) => taken[i]);
}
