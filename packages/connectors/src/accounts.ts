import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { ConnectorAccountRecord, StoreReader } from '@payin/core';
import type { ConnectorAccountSource, OpenedConnectorAccount } from './registry.js';

/**
 * Connector credentials at rest: AES-256-GCM under a key derived (HKDF-SHA256) from payin's
 * service secret, with the account id as authenticated data, so a sealed value copied onto
 * another account does not open. Format: `v1.<iv>.<ciphertext>.<tag>`, base64url.
 */
function credentialsKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'payin', 'connector credentials v1', 32));
}

export function sealCredentials(
  secret: string,
  accountId: string,
  credentials: Record<string, string>,
): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', credentialsKey(secret), iv);
  cipher.setAAD(Buffer.from(accountId));
  const sealed = Buffer.concat([cipher.update(JSON.stringify(credentials), 'utf8'), cipher.final()]);
  return ['v1', iv, sealed, cipher.getAuthTag()]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

export function openCredentials(secret: string, accountId: string, sealed: string): Record<string, string> {
  const [version, iv, data, tag] = sealed.split('.');
  if (version !== 'v1' || !iv || !data || !tag)
    throw new Error(`connector account ${accountId}: unreadable credentials`);
  // The full 16-byte tag only: GCM would otherwise accept a shortened one, and a forgery with it.
  const authTag = Buffer.from(tag, 'base64url');
  if (authTag.length !== 16) throw new Error(`connector account ${accountId}: unreadable credentials`);
  const decipher = createDecipheriv('aes-256-gcm', credentialsKey(secret), Buffer.from(iv, 'base64url'), {
    authTagLength: 16,
  });
  decipher.setAAD(Buffer.from(accountId));
  decipher.setAuthTag(authTag);
  const clear = Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]);
  return JSON.parse(clear.toString('utf8')) as Record<string, string>;
}

/** Connector accounts from payin's database, credentials opened with the service secret. */
export function storeAccountSource(
  store: Pick<StoreReader, 'connectorAccountsOf' | 'getConnectorAccount'>,
  secret: string,
): ConnectorAccountSource {
  const open = (a: ConnectorAccountRecord): OpenedConnectorAccount => ({
    id: a.id,
    merchantId: a.merchantId,
    livemode: a.livemode,
    connector: a.connector,
    paymentMethodTypes: a.paymentMethodTypes,
    settings: a.settings,
    credentials: openCredentials(secret, a.id, a.sealedCredentials),
  });
  return {
    ofScope: async (scope, reader = store) => (await reader.connectorAccountsOf(scope)).map(open),
    byId: async (id) => {
      const found = await store.getConnectorAccount(id);
      return found && open(found);
    },
  };
}
