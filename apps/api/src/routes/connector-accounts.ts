import { type Static, Type } from '@fastify/type-provider-typebox';
import { adyenEndpoint, sealCredentials } from '@payin/connectors';
import {
  type ConnectorAccountRecord,
  type CoreDeps,
  errors,
  newId,
  type Scope,
  unixSeconds,
} from '@payin/core';
import type { FastifyInstance } from 'fastify';
import { errorResponses, Text } from '../schemas/common.js';

/**
 * Operators' endpoints (PAYIN_ADMIN_TOKEN) for a merchant's accounts at providers: which
 * connector takes its cards, in which mode, with which credentials. Credentials are sealed
 * before storage and never shown back; the answer gives the webhook URL to set in the
 * provider's dashboard.
 */
const CreateBody = Type.Object(
  {
    connector: Type.Literal('adyen'),
    livemode: Type.Boolean(),
    payment_method_types: Type.Optional(Type.Array(Type.Literal('card'), { minItems: 1, maxItems: 1 })),
    settings: Type.Object(
      {
        merchant_account: Text({ minLength: 1, maxLength: 255 }),
        endpoint: Type.Optional(Text({ minLength: 1, maxLength: 500 })),
        live_url_prefix: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9-]{1,100}$' })),
        multiple_partial_captures: Type.Optional(
          Type.Union([Type.Literal('true'), Type.Literal('false')], {
            description:
              'Whether Adyen enabled multiple partial captures on the account; without them Adyen cancels what a partial capture leaves, so only final captures are sent.',
          }),
        ),
      },
      { additionalProperties: false },
    ),
    credentials: Type.Object(
      {
        api_key: Type.String({ minLength: 1, maxLength: 1000, pattern: '^[\\x21-\\x7E]+$' }),
        hmac_key: Type.String({
          pattern: '^([0-9A-Fa-f]{2}){16,128}$',
          description: 'The HMAC key of the standard webhook, in hex as the Customer Area shows it.',
        }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

const ConnectorAccount = Type.Object({
  id: Type.String(),
  object: Type.Literal('connector_account'),
  merchant: Type.String(),
  connector: Type.String(),
  livemode: Type.Boolean(),
  payment_method_types: Type.Array(Type.String()),
  settings: Type.Record(Type.String(), Type.String()),
  webhook_url: Type.String(),
  created: Type.Integer(),
});

const MerchantParams = Type.Object({ merchant: Text({ minLength: 1, maxLength: 255 }) });
const AccountParams = Type.Object({
  merchant: Text({ minLength: 1, maxLength: 255 }),
  id: Text({ minLength: 1, maxLength: 255 }),
});

export async function connectorAccountRoutes(
  app: FastifyInstance,
  { core, serviceSecret }: { core: CoreDeps; serviceSecret: string },
) {
  const tags = ['Admin'];
  const admin = { auth: 'admin' as const };
  const view = (a: ConnectorAccountRecord) => ({
    id: a.id,
    object: 'connector_account' as const,
    merchant: a.merchantId,
    connector: a.connector,
    livemode: a.livemode,
    payment_method_types: a.paymentMethodTypes,
    settings: a.settings,
    webhook_url: `${core.publicUrl}/webhooks/${a.connector}/${a.id}`,
    created: unixSeconds(a.createdAt),
  });

  app.post(
    '/admin/v1/merchants/:merchant/connector_accounts',
    {
      config: admin,
      schema: {
        tags,
        summary: "Connect a merchant's provider account",
        description:
          'The newest account of a mode that takes cards receives the card payments (vault tokens) of that mode. Without one, test mode uses the sandbox.',
        params: MerchantParams,
        body: CreateBody,
        response: { 201: ConnectorAccount, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { merchant } = request.params as Static<typeof MerchantParams>;
      const body = request.body as Static<typeof CreateBody>;
      const settings = Object.fromEntries(
        Object.entries(body.settings).filter(([, v]) => v !== undefined),
      ) as Record<string, string>;
      checkEndpoint(body.livemode, settings);
      const id = newId('connectorAccount');
      const account: ConnectorAccountRecord = {
        id,
        merchantId: merchant,
        livemode: body.livemode,
        connector: body.connector,
        paymentMethodTypes: body.payment_method_types ?? ['card'],
        settings,
        sealedCredentials: sealCredentials(serviceSecret, id, body.credentials),
        createdAt: core.clock.now(),
        deletedAt: null,
      };
      await core.store.transaction(async (tx) => {
        if (!(await tx.getMerchant(merchant))) throw errors.notFound('merchant', merchant);
        await tx.insertConnectorAccount(account);
      });
      core.connectors.invalidate?.(account);
      request.log.info(
        { merchant, account: id, connector: body.connector, livemode: body.livemode },
        'connector account added',
      );
      return reply.code(201).send(view(account));
    },
  );

  app.get(
    '/admin/v1/merchants/:merchant/connector_accounts',
    {
      config: admin,
      schema: {
        tags,
        summary: "List a merchant's connector accounts in use",
        params: MerchantParams,
        response: {
          200: Type.Object({ object: Type.Literal('list'), data: Type.Array(ConnectorAccount) }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { merchant } = request.params as Static<typeof MerchantParams>;
      if (!(await core.store.getMerchant(merchant))) throw errors.notFound('merchant', merchant);
      const scopes: Scope[] = [
        { merchantId: merchant, livemode: false },
        { merchantId: merchant, livemode: true },
      ];
      const accounts = (await Promise.all(scopes.map((s) => core.store.connectorAccountsOf(s)))).flat();
      return { object: 'list' as const, data: accounts.map(view) };
    },
  );

  app.delete(
    '/admin/v1/merchants/:merchant/connector_accounts/:id',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Stop using a connector account for new payments',
        description: 'Payments already made through it still capture, refund and receive its webhooks.',
        params: AccountParams,
        response: {
          200: Type.Object({
            id: Type.String(),
            object: Type.Literal('connector_account'),
            deleted: Type.Boolean(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { merchant, id } = request.params as Static<typeof AccountParams>;
      const found = await core.store.getConnectorAccount(id);
      if (!found || found.merchantId !== merchant || found.deletedAt)
        throw errors.notFound('connector_account', id);
      await core.store.transaction((tx) => tx.deleteConnectorAccount(found, id));
      core.connectors.invalidate?.(found);
      return { id, object: 'connector_account' as const, deleted: true };
    },
  );
}

/** A live account talks to Adyen over https only; test accounts may point at an emulator. */
function checkEndpoint(livemode: boolean, settings: Record<string, string>): void {
  if (settings.endpoint !== undefined) {
    let url: URL;
    try {
      url = new URL(settings.endpoint);
    } catch {
      throw errors.invalidParameter('settings.endpoint', 'Not a URL.');
    }
    if (url.protocol !== 'https:' && (livemode || url.protocol !== 'http:')) {
      throw errors.invalidParameter(
        'settings.endpoint',
        livemode ? 'A live endpoint must use https.' : 'The endpoint must be an http or https URL.',
      );
    }
  }
  if (!adyenEndpoint(livemode, settings)) {
    throw errors.invalidParameter(
      'settings.live_url_prefix',
      'A live Adyen account needs its live URL prefix (Customer Area, Developers > API URLs) or an endpoint.',
    );
  }
}
