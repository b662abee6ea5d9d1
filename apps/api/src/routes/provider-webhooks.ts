import { type Static, Type } from '@fastify/type-provider-typebox';
import { eventKey, notificationItems, openCredentials, verifyNotification } from '@payin/connectors';
import { type CoreDeps, errors, newId, PayinError, type ProviderNotificationRecord } from '@payin/core';
import type { FastifyInstance } from 'fastify';
import { Text } from '../schemas/common.js';

const Params = Type.Object({ account: Text({ minLength: 1, maxLength: 255 }) });

const signatureInvalid = () =>
  new PayinError(401, {
    type: 'invalid_request_error',
    code: 'signature_invalid',
    message: 'A notification item is not signed with the HMAC key of this connector account.',
  });

/**
 * Adyen's standard webhooks for one connector account. Every item's HMAC is checked before
 * anything is kept (one bad item refuses the batch, and nothing of it is stored); the verified
 * items are stored as they came, acknowledged with `[accepted]` at once (Adyen retries until it
 * reads that), and applied afterwards, outside the request (`applyLater`).
 */
export async function providerWebhookRoutes(
  app: FastifyInstance,
  opts: { core: CoreDeps; serviceSecret: string; applyLater: () => void },
) {
  const { core } = opts;

  app.post(
    '/webhooks/adyen/:account',
    {
      config: { auth: 'none' },
      schema: {
        tags: ['Provider webhooks'],
        summary: "Adyen's standard webhooks for a connector account",
        description:
          'Set this URL, with the HMAC key given to the connector account, in the Adyen Customer Area. Answers `[accepted]`.',
        params: Params,
      },
    },
    async (request, reply) => {
      const { account: accountId } = request.params as Static<typeof Params>;
      const account = await core.store.getConnectorAccount(accountId);
      if (account?.connector !== 'adyen') throw errors.notFound('connector_account', accountId);
      const items = notificationItems(request.body);
      if (!items) {
        throw errors.invalidParameter(
          'notificationItems',
          'Not an Adyen notification: notificationItems is missing or malformed.',
        );
      }
      const live = (request.body as { live?: unknown }).live;
      if (live !== undefined && String(live) !== String(account.livemode)) {
        throw errors.invalidParameter(
          'live',
          `This connector account is in ${account.livemode ? 'live' : 'test'} mode.`,
        );
      }
      const { hmac_key: hmacKey = '' } = openCredentials(
        opts.serviceSecret,
        account.id,
        account.sealedCredentials,
      );
      const unsigned = items.filter((item) => !verifyNotification(item, hmacKey));
      if (unsigned.length > 0) {
        request.log.warn(
          { account: account.id, refused: unsigned.map((i) => `${i.eventCode}:${i.pspReference}`) },
          'adyen webhook refused: bad HMAC signature',
        );
        throw signatureInvalid();
      }
      const now = core.clock.now();
      const records: ProviderNotificationRecord[] = items.map((item) => ({
        id: newId('providerNotification'),
        connector: 'adyen',
        connectorAccount: account.id,
        eventKey: eventKey(item),
        payload: item,
        receivedAt: now,
        processedAt: null,
        attempts: 0,
        nextAttemptAt: now,
        outcome: null,
      }));
      const stored = await core.store.transaction((tx) => tx.insertProviderNotifications(records));
      request.log.info({ account: account.id, items: items.length, new: stored }, 'adyen webhook accepted');
      if (stored > 0) opts.applyLater();
      return reply.type('text/plain; charset=utf-8').send('[accepted]');
    },
  );
}
