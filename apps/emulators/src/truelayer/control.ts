import { createPublicKey } from 'node:crypto';
import type { PaymentFailureReason } from '@payin/provider-wire/truelayer';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { faultRoutes } from '../fault-switches.js';
import { banksFor } from './banks.js';
import type { TrueLayerEmulatorOptions } from './index.js';
import type { ClientRecord, MerchantAccount } from './state.js';

const bad = (reply: FastifyReply, error: string) => reply.code(400).send({ error });
const isHttpUrl = (v: unknown): v is string => typeof v === 'string' && /^https?:\/\//.test(v);

/** An EC P-521 public key in PEM, as Console takes it for ES512 request signing. */
function isSigningKey(pem: unknown): pem is string {
  if (typeof pem !== 'string') return false;
  try {
    const key = createPublicKey(pem);
    return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'secp521r1';
  } catch {
    return false;
  }
}

const clientView = (client: ClientRecord) => ({
  client_id: client.clientId,
  return_uris: client.returnUris,
  signing_key_ids: [...client.signingKeys.keys()],
  merchant_accounts: client.merchantAccounts,
});

const failureReasons: readonly PaymentFailureReason[] = [
  'canceled',
  'rejected',
  'expired',
  'authorization_failed',
  'provider_error',
  'provider_rejected',
  'insufficient_funds',
];

/**
 * /_control/truelayer: what Console does (clients, redirect URIs, signing keys, webhook URIs), the
 * books (ledger, webhook deliveries), fault switches, and moving time or a payment for tests.
 */
export async function controlRoutes(
  app: FastifyInstance,
  { emulator }: TrueLayerEmulatorOptions,
): Promise<void> {
  const { state, faults, lifecycle, clock, webhooks } = emulator;

  app.post<{ Body: Record<string, unknown> | undefined }>('/clients', async (request, reply) => {
    const b = request.body ?? {};
    const keys = (b.signing_keys ?? []) as { kid?: unknown; public_key_pem?: unknown }[];
    const uris = b.return_uris ?? [];
    if (
      typeof b.client_id !== 'string' ||
      !b.client_id ||
      typeof b.client_secret !== 'string' ||
      !b.client_secret
    )
      return bad(reply, 'client_id and client_secret are required');
    if (!Array.isArray(uris) || !uris.every(isHttpUrl)) return bad(reply, 'return_uris must be http(s) URLs');
    if (
      !Array.isArray(keys) ||
      !keys.every((k) => typeof k?.kid === 'string' && isSigningKey(k.public_key_pem))
    )
      return bad(reply, 'signing_keys[] need a kid and an EC P-521 public_key_pem');
    const accounts = b.merchant_accounts as MerchantAccount[] | undefined;
    if (
      accounts !== undefined &&
      (!Array.isArray(accounts) ||
        !accounts.every((a) => typeof a?.id === 'string' && (a.currency === 'EUR' || a.currency === 'GBP')))
    )
      return bad(reply, 'merchant_accounts[] need an id and a currency (EUR or GBP)');
    const client = state.registerClient({
      clientId: b.client_id,
      clientSecret: b.client_secret,
      returnUris: uris as string[],
      signingKeys: new Map(keys.map((k) => [k.kid as string, k.public_key_pem as string])),
      ...(accounts ? { merchantAccounts: accounts } : {}),
    });
    return reply.code(201).send(clientView(client));
  });
  app.get<{ Params: { clientId: string } }>('/clients/:clientId', async (request, reply) => {
    const client = state.clients.get(request.params.clientId);
    return client ? clientView(client) : reply.code(404).send({ error: 'unknown client' });
  });
  app.post<{ Params: { clientId: string }; Body: { kid?: unknown; public_key_pem?: unknown } | undefined }>(
    '/clients/:clientId/signing-keys',
    async (request, reply) => {
      const client = state.clients.get(request.params.clientId);
      if (!client) return reply.code(404).send({ error: 'unknown client' });
      const { kid, public_key_pem: pem } = request.body ?? {};
      if (typeof kid !== 'string' || !kid || !isSigningKey(pem))
        return bad(reply, 'kid and an EC P-521 public_key_pem are required');
      client.signingKeys.set(kid, pem);
      return reply.code(201).send(clientView(client));
    },
  );

  app.post<{ Body: { url?: unknown; client_id?: unknown } | undefined }>(
    '/webhooks',
    async (request, reply) => {
      const { url, client_id: clientId } = request.body ?? {};
      if (!isHttpUrl(url) || typeof clientId !== 'string' || !state.clients.has(clientId))
        return bad(reply, 'url (http or https) and the client_id of a registered client are required');
      const endpoint = webhooks.addEndpoint(url, clientId);
      return reply.code(201).send(endpoint);
    },
  );
  app.get('/webhooks', async () => ({ endpoints: webhooks.endpoints, deliveries: webhooks.deliveries }));

  faultRoutes(app, '/faults', faults);

  app.get<{ Querystring: { payment_id?: string } }>('/ledger', async (request) => ({
    payments: state.ledger(request.query.payment_id),
  }));

  /** Moves the emulator's clock: whatever fell due (execution, settlement, expiry, refunds) happens now. */
  app.post<{ Body: { ms?: unknown } | undefined }>('/clock/advance', async (request, reply) => {
    const ms = request.body?.ms;
    if (!Number.isInteger(ms) || (ms as number) < 0) return bad(reply, 'ms must be a non-negative integer');
    const ran = clock.advance(ms as number);
    return { now: clock.now().toISOString(), ran };
  });

  /**
   * Forces a payment's next step without the pages or the clock: `authorized` (choosing the
   * first bank its filter allows if none was chosen), `executed`, `settled`, or `failed` with a
   * reason. Only moves the status table allows.
   */
  app.post<{ Params: { id: string }; Body: { to?: unknown; failure_reason?: unknown } | undefined }>(
    '/payments/:id/transition',
    async (request, reply) => {
      const payment = state.payments.get(request.params.id);
      if (!payment) return reply.code(404).send({ error: 'unknown payment' });
      const { to, failure_reason: reason } = request.body ?? {};
      try {
        if (to === 'authorized') {
          if (payment.status === 'authorization_required') {
            const bank = banksFor(payment.currency, payment.paymentMethod.provider_selection.filter)[0];
            if (!bank) return reply.code(409).send({ error: 'no emulated bank matches this payment' });
            lifecycle.providerSelected(payment, bank.id);
          }
          delete payment.consentToken;
          lifecycle.authorize(payment);
        } else if (to === 'executed') lifecycle.execute(payment);
        else if (to === 'settled') lifecycle.settle(payment);
        else if (to === 'failed') {
          if (!failureReasons.includes(reason as PaymentFailureReason))
            return bad(reply, `failure_reason must be one of ${failureReasons.join(', ')}`);
          lifecycle.fail(payment, reason as PaymentFailureReason);
        } else return bad(reply, 'to must be one of authorized, executed, settled, failed');
      } catch (err) {
        return reply.code(409).send({ error: (err as Error).message });
      }
      return { payment_id: payment.id, status: payment.status };
    },
  );
}
