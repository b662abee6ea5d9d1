import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scratchDatabase } from '@payin/db';
import { createLogger } from '@payin/telemetry';
import { loadConfig } from '../src/config.js';
import { type RunningApi, startApi } from '../src/server.js';

/**
 * Starts the real api on a free port against a real database: embedded PGlite in a temporary
 * directory, or — when DATABASE_URL is set — a fresh PostgreSQL database made for this file.
 */
export interface TestApi {
  api: RunningApi;
  url: string;
  adminToken: string;
  request(method: string, path: string, opts?: RequestOptions): Promise<TestResponse>;
  merchant(name?: string): Promise<TestMerchant>;
  close(): Promise<void>;
}

export interface RequestOptions {
  key?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

export interface TestMerchant {
  id: string;
  secretKey: string;
  publishableKey: string;
  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<TestResponse>;
  get(path: string): Promise<TestResponse>;
  del(path: string): Promise<TestResponse>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export async function startTestApi(
  env: Record<string, string> = {},
  opts: { logDestination?: { write(line: string): void } } = {},
): Promise<TestApi> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'payin-test-'));
  const pgDb = process.env.DATABASE_URL ? await scratchDatabase(process.env.DATABASE_URL) : undefined;
  const adminToken = 'padm_test_admin_token_0123456789';
  const config = loadConfig({
    PORT: String(port),
    HOST: '127.0.0.1',
    PAYIN_DATA_DIR: dataDir,
    PAYIN_SERVICE_SECRET: 'test-service-secret-0123456789abcdefghij',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...(pgDb ? { DATABASE_URL: pgDb.url, PAYIN_EMBEDDED_WORKER: 'true' } : {}),
    // Each test api counts in its own Redis namespace: suites run in parallel.
    ...(process.env.REDIS_URL
      ? { REDIS_URL: process.env.REDIS_URL, PAYIN_REDIS_PREFIX: `payin-test-${process.pid}-${port}` }
      : {}),
    ...env,
  });
  const api = await startApi(
    { ...config, adminToken },
    {
      logger: createLogger(opts.logDestination ? 'debug' : config.logLevel, 'payin-api', opts.logDestination),
    },
  );
  const url = `http://127.0.0.1:${config.port}`;

  async function request(method: string, path: string, opts: RequestOptions = {}): Promise<TestResponse> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.key) headers.authorization = `Bearer ${opts.key}`;
    let body: string | undefined;
    if (opts.rawBody !== undefined) body = opts.rawBody;
    else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(url + path, { method, headers, body, redirect: 'manual' });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {}
    return { status: res.status, headers: res.headers, body: parsed, text };
  }

  async function merchant(name = 'Test Shop'): Promise<TestMerchant> {
    const res = await request('POST', '/admin/v1/merchants', {
      key: adminToken,
      body: { name, country: 'FR' },
    });
    if (res.status !== 201) throw new Error(`merchant creation failed: ${res.status} ${res.text}`);
    const key = res.body.secret_key as string;
    return {
      id: res.body.id,
      secretKey: key,
      publishableKey: res.body.publishable_key,
      post: (path, body = {}, headers = {}) => request('POST', path, { key, body, headers }),
      get: (path) => request('GET', path, { key }),
      del: (path) => request('DELETE', path, { key }),
    };
  }

  return {
    api,
    url,
    adminToken,
    request,
    merchant,
    async close() {
      await api.close();
      await pgDb?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns something truthy (webhooks and inquiries come on their own time). */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  what: string,
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
