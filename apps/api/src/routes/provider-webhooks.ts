import { type Static, Type } from '@fastify/type-provider-typebox';
import { openCredentials, type ProviderModule, providerModules } from '@payin/connectors';
import { type CoreDeps, errors, newId, PayinError, type ProviderNotificationRecord } from '@payin/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Text } from '../schemas/common.js';

const Params = Type.Object({
  connector: Text({ minLength: 1, maxLength: 40 }),
  account: Text({ minLength: 1, maxLength: 255 }),
});

/**
 * Providers' webhooks, one URL per connector account (`/webhooks/<connector>/<account>`, given
 * when the account is connected). Each delivery is verified the provider's way before anything
 * is kept (Adyen: every item's HMAC; PayPal: its certificate's signature; TrueLayer: the
 * `Tl-Signature` against its published keys; Klarna: the order read back from Klarna). What
 * passes is stored as it came, acknowledged at once, and applied afterwards, outside the
 * request (`applyLater`).
 */
export async function providerWebhookRoutes(
  app: FastifyInstance,
  opts: {
    core: CoreDeps;
    serviceSecret: string;
    applyLater: () => void;
    modules?: ReadonlyMap<string, ProviderModule>;
    fetch?: typeof fetch;
  },
) {
  const { core } = opts;
  const modules = opts.modules ?? providerModules;
  const rawBodies = new WeakMap<FastifyRequest, string>();

  // Signatures are over the bytes sent: the body is kept as it came, beside its parse.
  app.addContentTypeParser(
    ['application/json', 'text/plain', 'application/x-www-form-urlencoded'],
    { parseAs: 'string' },
    (request, body, done) => {
      const raw = body as string;
      rawBodies.set(request, raw);
      if (!String(request.headers['content-type']).includes('json') || raw === '') return done(null, raw);
      try {
        done(null, JSON.parse(raw));
      } catch {
        done(errors.invalidJson('The webhook body is not valid JSON.'), undefined);
      }
    },
  );

  app.post(
    '/webhooks/:connector/:account',
    {
      config: { auth: 'none' },
      schema: {
        tags: ['Provider webhooks'],
        summary: "A provider's webhooks for a connector account",
        description:
          "Set this URL in the provider's dashboard (it is the `webhook_url` of the connector account). Adyen's answer is `[accepted]`; the others get 204.",
        params: Params,
      },
    },
    async (request, reply) => {
      const params = request.params as Static<typeof Params>;
      const account = await core.store.getConnectorAccount(params.account);
      const module = modules.get(params.connector);
      if (!module || account?.connector !== params.connector)
        throw errors.notFound('connector_account', params.account);
      const opened = {
        id: account.id,
        merchantId: account.merchantId,
        livemode: account.livemode,
        connector: account.connector,
        paymentMethodTypes: account.paymentMethodTypes,
        settings: account.settings,
        credentials: openCredentials(opts.serviceSecret, account.id, account.sealedCredentials),
      };
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]),
      );
      const reading = await module
        .readWebhook(
          opened,
          { headers, rawBody: rawBodies.get(request) ?? '', body: request.body },
          { fetch: opts.fetch, webhookUrl: `${core.publicUrl}/webhooks/${account.connector}/${account.id}` },
        )
        .catch((error: unknown) => {
          // Verifying needed the provider (a signing key, the order read back) and it did not
          // answer: nothing is kept, and the provider sends the notification again.
          request.log.warn(
            { account: account.id, connector: account.connector, err: error },
            'provider webhook not verified: the provider did not answer',
          );
          throw errors.unavailable(
            `${account.connector} could not be reached to verify this notification; send it again.`,
          );
        });
      if (!reading.ok) {
        request.log.warn(
          { account: account.id, connector: account.connector, code: reading.code, detail: reading.detail },
          'provider webhook refused',
        );
        throw new PayinError(reading.status, {
          type: 'invalid_request_error',
          code: reading.code,
          message: reading.message,
        });
      }
      const now = core.clock.now();
      const records: ProviderNotificationRecord[] = reading.notifications.map((n) => ({
        id: newId('providerNotification'),
        connector: account.connector,
        connectorAccount: account.id,
        eventKey: n.eventKey,
        payload: n.payload,
        receivedAt: now,
        processedAt: null,
        attempts: 0,
        nextAttemptAt: now,
        outcome: null,
      }));
      const stored =
        records.length > 0
          ? await core.store.transaction((tx) => tx.insertProviderNotifications(records))
          : 0;
      request.log.info(
        { account: account.id, connector: account.connector, items: records.length, new: stored },
        'provider webhook accepted',
      );
      if (stored > 0) opts.applyLater();
      if (!reading.answer) return reply.code(204).send();
      return reply.type(reading.answer.contentType).send(reading.answer.body);
    },
  );
}
