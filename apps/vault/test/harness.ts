import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scratchDatabase } from '@payin/db';
import { ServiceClient } from '@payin/service-auth';
import { createLogger } from '@payin/telemetry';
import { loadVaultConfig, type VaultConfig } from '../src/config.js';
import type { MerchantAccess } from '../src/merchants.js';
import { type RunningVault, startVault } from '../src/server.js';

export const SERVICE_SECRET = 'test-service-secret-0123456789abcdef';
export const SHOP_ORIGIN = 'https://shop.example';

/**
 * A vault on a random port with its own PGlite directory and key file. Merchants come from a
 * table given by the test, standing in for the api the vault would ask.
 */
export async function startTestVault(
  overrides: Partial<VaultConfig> = {},
  merchants: Record<string, MerchantAccess> = {},
  opts: { logLines?: string[] } = {},
): Promise<
  RunningVault & {
    dir: string;
    config: VaultConfig;
    service: ServiceClient;
    tokenize(card: Record<string, unknown>, key?: string): Promise<{ status: number; body: any }>;
    stop(): Promise<void>;
  }
> {
  const dir = mkdtempSync(join(tmpdir(), 'payin-vault-'));
  // On PostgreSQL when the suite runs against one (CI's second phase), else PGlite.
  const database = process.env.DATABASE_URL
    ? await scratchDatabase(process.env.DATABASE_URL, 'payin_vault_test')
    : undefined;
  const base = loadVaultConfig(
    {
      PAYIN_DATA_DIR: dir,
      VAULT_PROXY_ALLOWLIST: '',
      ...(database ? { VAULT_DATABASE_URL: database.url } : {}),
    },
    SERVICE_SECRET,
  );
  // Suites tokenize many cards from one address: the card-testing limit has its own test.
  const config: VaultConfig = {
    ...base,
    port: 0,
    host: '127.0.0.1',
    tokenizationsPerMinute: 0,
    ...overrides,
  };
  const vault = await startVault(config, {
    logger: opts.logLines
      ? createLogger('debug', 'payin-vault', { write: (line: string) => opts.logLines?.push(line) })
      : createLogger('silent', 'payin-vault'),
    merchants: { resolve: async (key) => merchants[key] ?? null },
  });
  const service = new ServiceClient(vault.url, SERVICE_SECRET, 'api');
  return {
    ...vault,
    dir,
    config,
    service,
    async tokenize(card, key = Object.keys(merchants)[0] ?? 'pk_test_none') {
      const response = await fetch(`${vault.url}/v1/tokens`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', origin: SHOP_ORIGIN },
        body: JSON.stringify({ card }),
      });
      return { status: response.status, body: await response.json() };
    },
    async stop() {
      await vault.close();
      await database?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const merchantA: MerchantAccess = {
  merchantId: 'mer_A',
  livemode: false,
  allowedOrigins: [SHOP_ORIGIN],
};
export const merchantB: MerchantAccess = {
  merchantId: 'mer_B',
  livemode: false,
  allowedOrigins: [SHOP_ORIGIN],
};
export const merchants = { pk_test_merchantAkey: merchantA, pk_test_merchantBkey: merchantB };

export const visa = {
  number: '4242 4242 4242 4242',
  exp_month: 12,
  exp_year: 2034,
  cvc: '123',
  holder_name: 'Ada Lovelace',
};

/** A provider stand-in: records what it received and answers what the test says. */
export async function startEchoHost(
  answer: (request: IncomingMessage, body: string) => { status?: number; body: string; delayMs?: number } = (
    _r,
    body,
  ) => ({
    body,
  }),
): Promise<{
  url: string;
  received: { headers: IncomingMessage['headers']; body: string }[];
  close(): Promise<void>;
}> {
  const received: { headers: IncomingMessage['headers']; body: string }[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (c) => {
      body += c;
    });
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      const out = answer(request, body);
      setTimeout(() => {
        response.writeHead(out.status ?? 200, { 'content-type': 'application/json' });
        response.end(out.body);
      }, out.delayMs ?? 0);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
