import { createHash } from 'node:crypto';
import {
  type CardTokens,
  type Connector,
  type ConnectorRegistry,
  isAlternativeMethod,
  isCardToken,
  methodTypeOf,
  type ProviderFact,
  type Scope,
  type StoreReader,
} from '@payin/core';
import { adyenModule } from './adyen/module.js';
import { klarnaModule } from './klarna/module.js';
import { paypalModule } from './paypal/module.js';
import type { OpenedConnectorAccount, ProviderModule } from './provider.js';
import { SandboxConnector } from './sandbox/index.js';
import { truelayerModule } from './truelayer/module.js';

export type { OpenedConnectorAccount } from './provider.js';

/** Where the registry reads connector accounts (the api's database, credentials opened). */
export interface ConnectorAccountSource {
  /** `reader`: the caller's transaction, read through instead of the pool when given. */
  ofScope(scope: Scope, reader?: Pick<StoreReader, 'connectorAccountsOf'>): Promise<OpenedConnectorAccount[]>;
  byId(id: string): Promise<OpenedConnectorAccount | undefined>;
}

/** Every provider payin connects to, by connector name. */
export const providerModules: ReadonlyMap<string, ProviderModule> = new Map(
  [adyenModule, paypalModule, klarnaModule, truelayerModule].map((m) => [m.name, m]),
);

/** How long a scope's accounts are remembered; a change made through this process applies at once. */
const SCOPE_TTL_MS = 30_000;

export interface Registry extends ConnectorRegistry {
  /** Forgets what is remembered of a scope's accounts, and of one account (added, changed or removed). */
  invalidate(scope: Scope, accountId?: string): void;
}

/**
 * Which connector takes a payment. A method type goes to the merchant's newest connector
 * account of its mode that takes it (a vault token is a card); without one, test mode keeps
 * the sandbox for cards, and live mode has no connector. The contract's test methods
 * (pm_card_…) are the sandbox's, in test mode only.
 */
export function createConnectorRegistry(opts: {
  publicUrl: string;
  sandboxLatencyMs?: number;
  accounts?: ConnectorAccountSource;
  cards?: CardTokens;
  /** How long to wait for a provider before the outcome is unknown. */
  providerTimeoutMs?: number;
  /** Replaces the providers (tests). */
  modules?: ReadonlyMap<string, ProviderModule>;
  fetch?: typeof fetch;
}): Registry {
  const modules = opts.modules ?? providerModules;
  const sandbox = new SandboxConnector(opts.publicUrl, opts.sandboxLatencyMs);
  /** Connectors by account and version: an account whose settings or credentials change gets a new one. */
  const built = new Map<string, { version: string; connector: Connector }>();
  const scopes = new Map<string, { at: number; accounts: OpenedConnectorAccount[] }>();
  const accountsById = new Map<string, { at: number; account: OpenedConnectorAccount | undefined }>();
  const scopeKey = (s: Scope) => `${s.merchantId}:${s.livemode}`;

  /**
   * An account's version, hashed once per account as read (a scope's accounts are read again
   * every 30 s at most), not on every payment that routes through it.
   */
  const versions = new WeakMap<OpenedConnectorAccount, string>();
  const versionOf = (account: OpenedConnectorAccount): string => {
    let version = versions.get(account);
    if (version === undefined) {
      version = createHash('sha256')
        .update(JSON.stringify([account.connector, account.settings, account.credentials]))
        .digest('base64url');
      versions.set(account, version);
    }
    return version;
  };

  function connectorFor(account: OpenedConnectorAccount): Connector | undefined {
    const version = versionOf(account);
    const known = built.get(account.id);
    if (known?.version === version) return known.connector;
    const connector = modules.get(account.connector)?.build(account, {
      cards: opts.cards,
      timeoutMs: opts.providerTimeoutMs,
      fetch: opts.fetch,
      webhookUrl: `${opts.publicUrl}/webhooks/${account.connector}/${account.id}`,
    });
    if (connector) built.set(account.id, { version, connector });
    return connector;
  }

  /** An account by id (an attempt's), remembered as long as a scope's accounts are. */
  async function accountById(id: string): Promise<OpenedConnectorAccount | undefined> {
    const cached = accountsById.get(id);
    if (cached && Date.now() - cached.at < SCOPE_TTL_MS) return cached.account;
    const account = await opts.accounts?.byId(id);
    accountsById.set(id, { at: Date.now(), account });
    return account;
  }

  async function accountsOf(
    scope: Scope,
    reader?: Pick<StoreReader, 'connectorAccountsOf'>,
  ): Promise<OpenedConnectorAccount[]> {
    if (!opts.accounts) return [];
    const key = scopeKey(scope);
    const cached = scopes.get(key);
    if (cached && Date.now() - cached.at < SCOPE_TTL_MS) return cached.accounts;
    const accounts = await opts.accounts.ofScope(scope, reader);
    scopes.set(key, { at: Date.now(), accounts });
    return accounts;
  }

  return {
    async forPayment({ merchantId, livemode, paymentMethod }, reader) {
      // The contract's test methods (pm_card_…) are always the sandbox's.
      if (isCardToken(paymentMethod) || isAlternativeMethod(paymentMethod)) {
        const type = methodTypeOf(paymentMethod);
        const account = (await accountsOf({ merchantId, livemode }, reader)).find((a) =>
          a.paymentMethodTypes.includes(type),
        );
        const connector = account && connectorFor(account);
        if (account && connector) return { connector, account: account.id };
      }
      if (!livemode && SandboxConnector.accepts(paymentMethod)) return { connector: sandbox, account: null };
      return undefined;
    },
    async takes(scope, type) {
      if ((await accountsOf(scope)).some((a) => a.paymentMethodTypes.includes(type) && connectorFor(a))) {
        return true;
      }
      return !scope.livemode && SandboxConnector.takes(type);
    },
    async forAttempt({ connector, connectorAccount }) {
      if (connector === sandbox.name) return sandbox;
      if (!connectorAccount || !opts.accounts) return undefined;
      const account = await accountById(connectorAccount);
      return account && connectorFor(account);
    },
    factOf(connector: string, payload: unknown): ProviderFact | undefined {
      return modules.get(connector)?.factOf(payload);
    },
    invalidate(scope, accountId) {
      scopes.delete(scopeKey(scope));
      if (accountId) accountsById.delete(accountId);
    },
  };
}
