import type { ConnectorAccountRecord, Scope } from '@payin/core';
import { describe, expect, it } from 'vitest';
import { openCredentials, sealCredentials, storeAccountSource } from './accounts.js';

const SECRET = 'service-secret-0123456789abcdef';
const credentials = {
  api_key: 'AQEyhmfxK4LMbhVGw0m/n3Q5qf3VaY9UCJ14XWZE03G3k2pLl2V8kL8sPaRKEMFdWw2+5HzctViMSCJMYAc',
  hmac_key: '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056',
};

/** The sealed value with one byte of one of its parts flipped. */
function flipped(sealed: string, part: number): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[part] ?? '', 'base64url');
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

describe('connector credentials at rest', () => {
  it('open to what was sealed', () => {
    const sealed = sealCredentials(SECRET, 'ca_1', credentials);
    expect(sealed.startsWith('v1.')).toBe(true);
    expect(openCredentials(SECRET, 'ca_1', sealed)).toEqual(credentials);
    expect(openCredentials(SECRET, 'ca_2', sealCredentials(SECRET, 'ca_2', {}))).toEqual({});
  });

  it('seal the same credentials differently each time', () => {
    expect(sealCredentials(SECRET, 'ca_1', credentials)).not.toBe(
      sealCredentials(SECRET, 'ca_1', credentials),
    );
  });

  it('do not open with another secret', () => {
    const sealed = sealCredentials(SECRET, 'ca_1', credentials);
    expect(() => openCredentials(`${SECRET}x`, 'ca_1', sealed)).toThrow();
  });

  it('do not open on another account', () => {
    const sealed = sealCredentials(SECRET, 'ca_1', credentials);
    expect(() => openCredentials(SECRET, 'ca_2', sealed)).toThrow();
  });

  it('do not open once a byte is changed, in the nonce, the ciphertext or the tag', () => {
    const sealed = sealCredentials(SECRET, 'ca_1', credentials);
    for (const part of [1, 2, 3])
      expect(() => openCredentials(SECRET, 'ca_1', flipped(sealed, part))).toThrow();
  });

  it('do not open with a shortened authentication tag', () => {
    const sealed = sealCredentials(SECRET, 'ca_1', credentials);
    const [version, iv, data, tag = ''] = sealed.split('.');
    for (const bytes of [4, 8, 12]) {
      const short = Buffer.from(tag, 'base64url').subarray(0, bytes).toString('base64url');
      expect(() => openCredentials(SECRET, 'ca_1', [version, iv, data, short].join('.'))).toThrow();
    }
  });

  it('do not open when the value is not a sealed one', () => {
    const sealed = sealCredentials(SECRET, 'ca_1', credentials);
    expect(() => openCredentials(SECRET, 'ca_1', '')).toThrow(/ca_1/);
    expect(() => openCredentials(SECRET, 'ca_1', JSON.stringify(credentials))).toThrow();
    expect(() => openCredentials(SECRET, 'ca_1', sealed.replace(/^v1/, 'v2'))).toThrow(/unreadable/);
    expect(() => openCredentials(SECRET, 'ca_1', sealed.split('.').slice(0, 3).join('.'))).toThrow();
  });

  it('show nothing of the keys', () => {
    const sealed = sealCredentials(SECRET, 'ca_1', credentials);
    for (const value of Object.values(credentials)) {
      expect(sealed).not.toContain(value);
      expect(sealed).not.toContain(value.slice(0, 12));
      expect(sealed).not.toContain(Buffer.from(value).toString('base64url').slice(0, 12));
    }
    expect(sealed).not.toContain('api_key');
    expect(sealed).not.toContain(SECRET);
  });
});

describe('storeAccountSource', () => {
  const record = (id: string, scope: Scope): ConnectorAccountRecord => ({
    id,
    ...scope,
    connector: 'adyen',
    paymentMethodTypes: ['card'],
    settings: { merchant_account: 'PayinECOM' },
    sealedCredentials: sealCredentials(SECRET, id, credentials),
    createdAt: new Date(0),
    deletedAt: null,
  });
  const scope = { merchantId: 'mer_1', livemode: false };
  const stored = record('ca_1', scope);

  it('opens the credentials of the accounts of a scope, and of one account by id', async () => {
    const asked: Scope[] = [];
    const source = storeAccountSource(
      {
        connectorAccountsOf: async (s) => {
          asked.push(s);
          return [stored];
        },
        getConnectorAccount: async (id) => (id === 'ca_1' ? stored : undefined),
      },
      SECRET,
    );
    expect(await source.ofScope(scope)).toEqual([
      {
        id: 'ca_1',
        merchantId: 'mer_1',
        livemode: false,
        connector: 'adyen',
        paymentMethodTypes: ['card'],
        settings: { merchant_account: 'PayinECOM' },
        credentials,
      },
    ]);
    expect(asked).toEqual([scope]);
    expect((await source.byId('ca_1'))?.credentials).toEqual(credentials);
    expect(await source.byId('ca_missing')).toBeUndefined();
  });

  it("reads through the caller's reader when one is given", async () => {
    const source = storeAccountSource(
      {
        connectorAccountsOf: async () => {
          throw new Error('read through the pool');
        },
        getConnectorAccount: async () => undefined,
      },
      SECRET,
    );
    const reader = { connectorAccountsOf: async () => [stored] };
    expect((await source.ofScope(scope, reader)).map((a) => a.id)).toEqual(['ca_1']);
  });

  it('does not open credentials sealed with another secret', async () => {
    const source = storeAccountSource(
      { connectorAccountsOf: async () => [stored], getConnectorAccount: async () => stored },
      'another-secret',
    );
    await expect(source.ofScope(scope)).rejects.toThrow();
    await expect(source.byId('ca_1')).rejects.toThrow();
  });
});
