import type { RoutedConnector, Scope, StoreReader } from '@payin/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AdyenConnector } from './adyen/index.js';
import {
  type ConnectorAccountSource,
  createConnectorRegistry,
  type OpenedConnectorAccount,
} from './registry.js';
import { SandboxConnector } from './sandbox/index.js';

const PUBLIC_URL = 'http://localhost:4000';
const testScope = { merchantId: 'mer_1', livemode: false };
const liveScope = { merchantId: 'mer_1', livemode: true };

const adyenAccount = (
  id: string,
  scope: Scope,
  more: Partial<OpenedConnectorAccount> = {},
): OpenedConnectorAccount => ({
  id,
  ...scope,
  connector: 'adyen',
  paymentMethodTypes: ['card'],
  settings: { merchant_account: 'PayinECOM', endpoint: 'http://127.0.0.1:9/v71' },
  credentials: { api_key: `key_${id}`, hmac_key: '00' },
  ...more,
});

/** Accounts in memory, counting the reads. */
function memorySource(accounts: OpenedConnectorAccount[]) {
  const calls = { ofScope: [] as { scope: Scope; reader: unknown }[], byId: [] as string[] };
  const source: ConnectorAccountSource = {
    async ofScope(scope, reader) {
      calls.ofScope.push({ scope, reader });
      return accounts.filter((a) => a.merchantId === scope.merchantId && a.livemode === scope.livemode);
    },
    async byId(id) {
      calls.byId.push(id);
      return accounts.find((a) => a.id === id);
    },
  };
  return { source, calls, accounts };
}

/** The Adyen connector a payment was routed to. */
function adyenOf(routed: RoutedConnector | undefined): AdyenConnector {
  if (!(routed?.connector instanceof AdyenConnector)) throw new Error('not routed to Adyen');
  return routed.connector;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('connector registry routing', () => {
  it("sends a card token to the scope's Adyen account for cards", async () => {
    const { source } = memorySource([adyenAccount('ca_test', testScope), adyenAccount('ca_live', liveScope)]);
    const registry = createConnectorRegistry({ publicUrl: PUBLIC_URL, accounts: source });

    const test = await registry.forPayment({ ...testScope, paymentMethod: 'tok_abc' });
    expect(test?.account).toBe('ca_test');
    expect(test?.connector).toBeInstanceOf(AdyenConnector);
    expect(adyenOf(test).account).toEqual({
      id: 'ca_test',
      merchantAccount: 'PayinECOM',
      endpoint: 'http://127.0.0.1:9/v71',
      apiKey: 'key_ca_test',
      hmacKey: '00',
      multiplePartialCaptures: false,
    });

    const live = await registry.forPayment({ ...liveScope, paymentMethod: 'tok_abc' });
    expect(live?.account).toBe('ca_live');
    expect(adyenOf(live).account.apiKey).toBe('key_ca_live');
  });

  it('says which method types a scope takes: its accounts, and the sandbox in test mode only', async () => {
    const { source } = memorySource([adyenAccount('ca_test', testScope)]);
    const registry = createConnectorRegistry({ publicUrl: PUBLIC_URL, accounts: source });
    await expect(registry.takes(testScope, 'card')).resolves.toBe(true);
    await expect(registry.takes(testScope, 'paypal')).resolves.toBe(false);
    // Live mode without an account for cards: nothing, the sandbox is for test mode.
    await expect(registry.takes(liveScope, 'card')).resolves.toBe(false);
    const bare = createConnectorRegistry({ publicUrl: PUBLIC_URL });
    await expect(bare.takes(testScope, 'card')).resolves.toBe(true);
    await expect(bare.takes(liveScope, 'card')).resolves.toBe(false);
  });

  it('builds one connector per account', async () => {
    const { source } = memorySource([adyenAccount('ca_test', testScope)]);
    const registry = createConnectorRegistry({ publicUrl: PUBLIC_URL, accounts: source });
    const first = await registry.forPayment({ ...testScope, paymentMethod: 'tok_a' });
    const second = await registry.forPayment({ ...testScope, paymentMethod: 'tok_b' });
    expect(second?.connector).toBe(first?.connector);
    expect(await registry.forAttempt({ connector: 'adyen', connectorAccount: 'ca_test' })).toBe(
      first?.connector,
    );
  });

  it('builds a new connector once its account changed, and keeps it while the account is read again unchanged', async () => {
    const { source, accounts } = memorySource([adyenAccount('ca_test', testScope)]);
    const registry = createConnectorRegistry({ publicUrl: PUBLIC_URL, accounts: source });
    const first = adyenOf(await registry.forPayment({ ...testScope, paymentMethod: 'tok_a' }));
    // Read again (another object, the same settings and credentials): the same connector.
    accounts[0] = { ...(accounts[0] as OpenedConnectorAccount) };
    registry.invalidate(testScope, 'ca_test');
    expect(adyenOf(await registry.forPayment({ ...testScope, paymentMethod: 'tok_b' }))).toBe(first);
    // Its API key rotated: a connector with the new one, for payments and for the attempt's operations.
    accounts[0] = adyenAccount('ca_test', testScope, { credentials: { api_key: 'rotated', hmac_key: '00' } });
    registry.invalidate(testScope, 'ca_test');
    const rotated = adyenOf(await registry.forPayment({ ...testScope, paymentMethod: 'tok_c' }));
    expect(rotated).not.toBe(first);
    expect(rotated.account.apiKey).toBe('rotated');
    expect(await registry.forAttempt({ connector: 'adyen', connectorAccount: 'ca_test' })).toBe(rotated);
  });

  it('keeps card tokens on the sandbox in test mode when no account takes cards', async () => {
    const { source } = memorySource([adyenAccount('ca_ideal', testScope, { paymentMethodTypes: ['ideal'] })]);
    const registry = createConnectorRegistry({ publicUrl: PUBLIC_URL, accounts: source });
    const routed = await registry.forPayment({ ...testScope, paymentMethod: 'tok_abc' });
    expect(routed?.account).toBeNull();
    expect(routed?.connector).toBeInstanceOf(SandboxConnector);
    expect(routed?.connector.name).toBe('sandbox');

    const withoutSource = createConnectorRegistry({ publicUrl: PUBLIC_URL });
    expect((await withoutSource.forPayment({ ...testScope, paymentMethod: 'tok_abc' }))?.connector.name).toBe(
      'sandbox',
    );
  });

  it('has no connector in live mode without an account for cards', async () => {
    const { source } = memorySource([
      adyenAccount('ca_test', testScope),
      adyenAccount('ca_ideal', liveScope, { paymentMethodTypes: ['ideal'] }),
    ]);
    const registry = createConnectorRegistry({ publicUrl: PUBLIC_URL, accounts: source });
    expect(await registry.forPayment({ ...liveScope, paymentMethod: 'tok_abc' })).toBeUndefined();
    expect(
      await registry.forPayment({ merchantId: 'mer_2', livemode: true, paymentMethod: 'tok_abc' }),
    ).toBeUndefined();
    const withoutSource = createConnectorRegistry({ publicUrl: PUBLIC_URL });
    expect(await withoutSource.forPayment({ ...liveScope, paymentMethod: 'tok_abc' })).toBeUndefined();
  });

  it('has no connector in live mode for an account whose live endpoint is not known', async () => {
    const noEndpoint = adyenAccount('ca_live', liveScope, { settings: { merchant_account: 'PayinECOM' } });
    const { source } = memorySource([noEndpoint]);
    const registry = createConnectorRegistry({ publicUrl: PUBLIC_URL, accounts: source });
    expect(await registry.forPayment({ ...liveScope, paymentMethod: 'tok_abc' })).toBeUndefined();

    const prefixed = adyenAccount('ca_live2', liveScope, {
      settings: { merchant_account: 'PayinECOM', live_url_prefix: '1797a841fbb37ca7-AdyenDemo' },
    });
    const other = createConnectorRegistry({
      publicUrl: PUBLIC_URL,
      accounts: memorySource([prefixed]).source,
    });
    const routed = await other.forPayment({ ...liveScope, paymentMethod: 'tok_abc' });
    expect(adyenOf(routed).account.endpoint).toBe(
      'https://1797a841fbb37ca7-AdyenDemo-checkout-live.adyenpayments.com/checkout/v71',
    );
  });

  it("sends the contract's test methods to the sandbox in test mode only, without reading accounts", async () => {
    const { source, calls } = memorySource([
      adyenAccount('ca_test', testScope),
      adyenAccount('ca_live', liveScope),
    ]);
    const registry = createConnectorRegistry({ publicUrl: PUBLIC_URL, accounts: source });
    const routed = await registry.forPayment({ ...testScope, paymentMethod: 'pm_card_visa' });
    expect(routed).toMatchObject({ account: null, connector: { name: 'sandbox' } });
    expect(
      (await registry.forPayment({ ...testScope, paymentMethod: 'pm_card_chargeDeclined' }))?.connector.name,
    ).toBe('sandbox');
    expect(await registry.forPayment({ ...liveScope, paymentMethod: 'pm_card_visa' })).toBeUndefined();
    expect(calls.ofScope).toHaveLength(0);
  });

  it('has no connector for a method nobody takes', async () => {
    const { source } = memorySource([adyenAccount('ca_test', testScope)]);
    const registry = createConnectorRegistry({ publicUrl: PUBLIC_URL, accounts: source });
    for (const paymentMethod of ['pm_card_nope', 'card_123', '', 'toString', 'TOK_abc'])
      expect(await registry.forPayment({ ...testScope, paymentMethod })).toBeUndefined();
  });

  it("finds an attempt's connector by its account, or the sandbox", async () => {
    const { source, calls } = memorySource([adyenAccount('ca_test', testScope)]);
    const registry = createConnectorRegistry({ publicUrl: PUBLIC_URL, accounts: source });
    const sandbox = await registry.forAttempt({ connector: 'sandbox', connectorAccount: null });
    expect(sandbox?.name).toBe('sandbox');
    expect((await registry.forPayment({ ...testScope, paymentMethod: 'pm_card_visa' }))?.connector).toBe(
      sandbox,
    );

    const adyen = await registry.forAttempt({ connector: 'adyen', connectorAccount: 'ca_test' });
    expect(adyen).toBeInstanceOf(AdyenConnector);
    expect(calls.byId).toEqual(['ca_test']);
    // Built once: asked again, no read.
    expect(await registry.forAttempt({ connector: 'adyen', connectorAccount: 'ca_test' })).toBe(adyen);
    expect(calls.byId).toEqual(['ca_test']);

    expect(await registry.forAttempt({ connector: 'adyen', connectorAccount: 'ca_gone' })).toBeUndefined();
    expect(await registry.forAttempt({ connector: 'adyen', connectorAccount: null })).toBeUndefined();
    const withoutSource = createConnectorRegistry({ publicUrl: PUBLIC_URL });
    expect(
      await withoutSource.forAttempt({ connector: 'adyen', connectorAccount: 'ca_test' }),
    ).toBeUndefined();
  });

  it("reads Adyen's notifications as facts, and no other connector's", () => {
    const registry = createConnectorRegistry({ publicUrl: PUBLIC_URL });
    const item = {
      eventCode: 'CAPTURE',
      merchantReference: 'cap_1',
      pspReference: 'MODPSP',
      success: 'true',
      amount: { value: 1, currency: 'EUR' },
    };
    expect(registry.factOf('adyen', item)).toMatchObject({
      kind: 'capture',
      captureId: 'cap_1',
      succeeded: true,
    });
    expect(registry.factOf('adyen', {})).toBeUndefined();
    expect(registry.factOf('sandbox', item)).toBeUndefined();
  });
});

describe('connector registry cache', () => {
  it("remembers a scope's accounts until invalidated", async () => {
    const { source, calls, accounts } = memorySource([]);
    const registry = createConnectorRegistry({ publicUrl: PUBLIC_URL, accounts: source });

    expect((await registry.forPayment({ ...testScope, paymentMethod: 'tok_a' }))?.connector.name).toBe(
      'sandbox',
    );
    accounts.push(adyenAccount('ca_new', testScope));
    // Still the remembered (empty) list.
    expect((await registry.forPayment({ ...testScope, paymentMethod: 'tok_b' }))?.connector.name).toBe(
      'sandbox',
    );
    expect(calls.ofScope).toHaveLength(1);

    // Another scope is read on its own.
    await registry.forPayment({ ...liveScope, paymentMethod: 'tok_a' });
    expect(calls.ofScope).toHaveLength(2);

    registry.invalidate(testScope);
    const routed = await registry.forPayment({ ...testScope, paymentMethod: 'tok_c' });
    expect(routed?.account).toBe('ca_new');
    expect(calls.ofScope).toHaveLength(3);
    await registry.forPayment({ ...testScope, paymentMethod: 'tok_d' });
    await registry.forPayment({ ...liveScope, paymentMethod: 'tok_d' });
    expect(calls.ofScope).toHaveLength(3);
  });

  it('reads a scope again after 30 seconds', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-25T12:00:00Z'));
    const { source, calls } = memorySource([adyenAccount('ca_test', testScope)]);
    const registry = createConnectorRegistry({ publicUrl: PUBLIC_URL, accounts: source });
    await registry.forPayment({ ...testScope, paymentMethod: 'tok_a' });
    vi.setSystemTime(new Date('2026-11-25T12:00:29Z'));
    await registry.forPayment({ ...testScope, paymentMethod: 'tok_a' });
    expect(calls.ofScope).toHaveLength(1);
    vi.setSystemTime(new Date('2026-11-25T12:00:31Z'));
    await registry.forPayment({ ...testScope, paymentMethod: 'tok_a' });
    expect(calls.ofScope).toHaveLength(2);
  });

  it("reads through the caller's reader when one is given", async () => {
    const { source, calls } = memorySource([adyenAccount('ca_test', testScope)]);
    const registry = createConnectorRegistry({ publicUrl: PUBLIC_URL, accounts: source });
    const reader: Pick<StoreReader, 'connectorAccountsOf'> = { connectorAccountsOf: async () => [] };
    await registry.forPayment({ ...testScope, paymentMethod: 'tok_a' }, reader);
    expect(calls.ofScope).toEqual([{ scope: testScope, reader }]);
  });

  it("uses the reader instead of the source's own store", async () => {
    // A source over a store, as storeAccountSource is: the reader, when given, is what is read.
    const pool = { connectorAccountsOf: vi.fn(async () => [] as never[]) };
    const source: ConnectorAccountSource = {
      ofScope: async (scope, reader = pool) =>
        (await reader.connectorAccountsOf(scope)).map(() => adyenAccount('ca_tx', testScope)),
      byId: async () => undefined,
    };
    const tx = { connectorAccountsOf: vi.fn(async () => [{}] as never[]) };
    const registry = createConnectorRegistry({ publicUrl: PUBLIC_URL, accounts: source });
    const routed = await registry.forPayment({ ...testScope, paymentMethod: 'tok_a' }, tx);
    expect(routed?.account).toBe('ca_tx');
    expect(tx.connectorAccountsOf).toHaveBeenCalledWith(testScope);
    expect(pool.connectorAccountsOf).not.toHaveBeenCalled();
  });
});
