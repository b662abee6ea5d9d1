import { type Static, Type } from '@fastify/type-provider-typebox';
import {
  type AccountField,
  openCredentials,
  type ProviderModule,
  providerModules,
  sealCredentials,
} from '@payin/connectors';
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
    connector: Type.String({
      minLength: 1,
      maxLength: 40,
      description: 'adyen, paypal, klarna or truelayer.',
    }),
    livemode: Type.Boolean(),
    payment_method_types: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 40 }), {
        minItems: 1,
        maxItems: 10,
        uniqueItems: true,
      }),
    ),
    settings: Type.Record(Type.String({ maxLength: 100 }), Type.String({ maxLength: 1000 }), {
      description: "The provider's settings (shown back): see each connector's documentation.",
    }),
    credentials: Type.Record(Type.String({ maxLength: 100 }), Type.String({ maxLength: 10_000 }), {
      description: 'Sealed at rest and never shown back.',
    }),
  },
  { additionalProperties: false },
);

const UpdateBody = Type.Object(
  {
    payment_method_types: CreateBody.properties.payment_method_types,
    settings: Type.Optional(CreateBody.properties.settings),
    credentials: Type.Optional(CreateBody.properties.credentials),
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
  webhook_url: Type.String({ description: "Set it in the provider's dashboard: its webhooks come here." }),
  return_url: Type.String({
    description:
      'Where the provider sends shoppers back, for providers that take only return URLs registered in advance (TrueLayer: register it in Console).',
  }),
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
    return_url: `${core.publicUrl}/return/accounts/${a.id}`,
    created: unixSeconds(a.createdAt),
  });

  app.post(
    '/admin/v1/merchants/:merchant/connector_accounts',
    {
      config: admin,
      schema: {
        tags,
        summary: "Connect a merchant's provider account",
        description: `The newest account of a mode that takes a method type receives that mode's payments of the type (a vault token is a card). Without one, test mode pays cards with the sandbox.\n\n${providerFields()}`,
        params: MerchantParams,
        body: CreateBody,
        response: { 201: ConnectorAccount, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { merchant } = request.params as Static<typeof MerchantParams>;
      const body = request.body as Static<typeof CreateBody>;
      const module = providerModules.get(body.connector);
      if (!module) {
        throw errors.invalidParameter(
          'connector',
          `Unknown connector '${body.connector}': one of ${[...providerModules.keys()].join(', ')}.`,
        );
      }
      const { settings, types } = checkAccount(module, body.livemode, body);
      const id = newId('connectorAccount');
      const account: ConnectorAccountRecord = {
        id,
        merchantId: merchant,
        livemode: body.livemode,
        connector: body.connector,
        paymentMethodTypes: types,
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

  app.post(
    '/admin/v1/merchants/:merchant/connector_accounts/:id',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Update a connector account',
        description:
          "Settings and credentials given replace those of the same name (an empty string removes one); the rest is kept. Checked as when connecting: e.g. set PayPal's `webhook_id` once the webhook URL is registered.",
        params: AccountParams,
        body: UpdateBody,
        response: { 200: ConnectorAccount, ...errorResponses },
      },
    },
    async (request) => {
      const { merchant, id } = request.params as Static<typeof AccountParams>;
      const body = request.body as Static<typeof UpdateBody>;
      const found = await core.store.getConnectorAccount(id);
      if (!found || found.merchantId !== merchant || found.deletedAt)
        throw errors.notFound('connector_account', id);
      const module = providerModules.get(found.connector);
      if (!module) throw errors.notFound('connector_account', id);
      const credentials = {
        ...openCredentials(serviceSecret, found.id, found.sealedCredentials),
        ...(body.credentials ?? {}),
      };
      const { settings, types } = checkAccount(module, found.livemode, {
        payment_method_types: body.payment_method_types ?? found.paymentMethodTypes,
        settings: { ...found.settings, ...(body.settings ?? {}) },
        credentials: Object.fromEntries(Object.entries(credentials).filter(([, v]) => v !== '')),
      });
      const updated: ConnectorAccountRecord = {
        ...found,
        paymentMethodTypes: types,
        settings,
        sealedCredentials: sealCredentials(
          serviceSecret,
          found.id,
          Object.fromEntries(Object.entries(credentials).filter(([, v]) => v !== '')),
        ),
      };
      const done = await core.store.transaction((tx) => tx.updateConnectorAccount(updated));
      if (!done) throw errors.notFound('connector_account', id);
      core.connectors.invalidate?.(found, found.id);
      request.log.info({ merchant, account: id, connector: found.connector }, 'connector account updated');
      return view(updated);
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
      core.connectors.invalidate?.(found, found.id);
      return { id, object: 'connector_account' as const, deleted: true };
    },
  );
}

/** Each provider's method types, settings and credentials, for the reference (`/docs`). */
function providerFields(): string {
  const list = (fields: Readonly<Record<string, AccountField>>) =>
    Object.entries(fields)
      .map(
        ([name, f]) => `\`${name}\`${f.required ? ' (required)' : ''}: ${f.description.replace(/\.$/, '')}`,
      )
      .join('; ');
  return [...providerModules.values()]
    .map(
      (m) =>
        `**${m.name}** takes ${m.methodTypes.join(', ')} (default ${m.account.defaultMethodTypes.join(', ')}). Settings: ${list(m.account.settings)}. Credentials: ${list(m.account.credentials)}.`,
    )
    .join('\n\n');
}

/** An account's fields checked against its provider's spec: its settings, and its method types. */
function checkAccount(
  module: ProviderModule,
  livemode: boolean,
  body: {
    payment_method_types?: string[];
    settings: Record<string, string>;
    credentials: Record<string, string>;
  },
): { settings: Record<string, string>; types: string[] } {
  const settings = checkFields('settings', module.account.settings, body.settings);
  checkFields('credentials', module.account.credentials, body.credentials);
  const problem = module.account.check?.(livemode, settings);
  if (problem) throw errors.invalidParameter(problem.param, problem.message);
  const types = body.payment_method_types ?? [...module.account.defaultMethodTypes];
  const foreign = types.find((t) => !module.methodTypes.includes(t));
  if (foreign) {
    throw errors.invalidParameter(
      'payment_method_types',
      `${module.name} takes ${module.methodTypes.join(', ')}; not '${foreign}'.`,
    );
  }
  return { settings, types };
}

/** The settings or credentials given, each known to the provider, the required ones there, each well formed. */
function checkFields(
  group: 'settings' | 'credentials',
  spec: Readonly<Record<string, AccountField>>,
  given: Record<string, string>,
): Record<string, string> {
  for (const key of Object.keys(given)) {
    if (!Object.hasOwn(spec, key)) {
      throw errors.invalidParameter(
        `${group}.${key}`,
        `Unknown ${group} field; known: ${Object.keys(spec).join(', ')}.`,
      );
    }
  }
  for (const [key, field] of Object.entries(spec)) {
    const value = given[key];
    if (value === undefined || value === '') {
      if (field.required) throw errors.missingParameter(`${group}.${key}`);
      continue;
    }
    if (field.pattern && !field.pattern.test(value)) {
      // A credential's value is never echoed, even in an error.
      throw errors.invalidParameter(`${group}.${key}`, `Not a valid value: ${field.description}`);
    }
  }
  return Object.fromEntries(Object.entries(given).filter(([, v]) => v !== ''));
}
