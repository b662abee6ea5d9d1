import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scratchDatabase } from '@payin/db';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './harness.js';

/**
 * kill -9 of the api in the middle of payments, then a restart: nothing acknowledged is lost,
 * and every request cut off is retried with its Idempotency-Key to exactly one payment.
 */
const root = join(import.meta.dirname, '..', '..', '..');
const adminToken = 'padm_crash_test_token_0123456789';
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

function startApi(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/main.ts'], {
    cwd: root,
    env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  cleanups.push(() => {
    child.kill('SIGKILL');
  });
  return child;
}

async function waitHealthy(url: string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('api did not start');
}

async function post(url: string, path: string, key: string, body: unknown, idem?: string) {
  const res = await fetch(url + path, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      ...(idem ? { 'idempotency-key': idem } : {}),
    },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as any,
    replayed: res.headers.get('idempotent-replayed') === 'true',
  };
}

describe('crash recovery', () => {
  it('loses nothing acknowledged and finishes every cut-off request exactly once', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const dataDir = mkdtempSync(join(tmpdir(), 'payin-crash-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const pgDb = process.env.DATABASE_URL ? await scratchDatabase(process.env.DATABASE_URL) : undefined;
    if (pgDb) cleanups.push(() => pgDb.drop());
    const env = {
      PORT: String(port),
      HOST: '127.0.0.1',
      PAYIN_DATA_DIR: dataDir,
      PAYIN_ADMIN_TOKEN: adminToken,
      PAYIN_SERVICE_SECRET: 'crash-test-service-secret-0123456789abcdef',
      PAYIN_SANDBOX_LATENCY_MS: '300',
      PAYIN_IDEMPOTENCY_LEASE_MS: '1500',
      PAYIN_INQUIRY_BASE_MS: '200',
      ...(pgDb ? { DATABASE_URL: pgDb.url, PAYIN_EMBEDDED_WORKER: 'true' } : {}),
    };

    let api = startApi(env);
    await waitHealthy(url);
    const merchant = await post(url, '/admin/v1/merchants', adminToken, { name: 'Crash', country: 'FR' });
    const key = merchant.body.secret_key as string;

    const requests = Array.from({ length: 30 }, (_, i) => ({
      idem: `crash-${i}`,
      body: {
        amount: 1000 + i,
        currency: 'EUR',
        payment_method: 'pm_card_visa',
        confirm: true,
        reference: `crash-${i}`,
      },
    }));
    const acknowledged = new Map<string, unknown>();
    // Staggered sends, so that at the kill some requests are answered, some wait on the
    // provider, some are just arriving.
    const inFlight: Promise<unknown>[] = [];
    for (const r of requests) {
      inFlight.push(
        post(url, '/v1/payments', key, r.body, r.idem)
          .then((res) => acknowledged.set(r.idem, res.body))
          .catch(() => undefined),
      );
      await new Promise((resolve) => setTimeout(resolve, 25));
      if (acknowledged.size >= 8) break;
    }
    api.kill('SIGKILL');
    await Promise.all(inFlight);
    console.log(`sent ${inFlight.length}, acknowledged ${acknowledged.size} before the kill`);
    expect(acknowledged.size).toBeGreaterThan(0);
    expect(acknowledged.size).toBeLessThan(inFlight.length);

    api = startApi(env);
    await waitHealthy(url);

    for (const r of requests) {
      let res = await post(url, '/v1/payments', key, r.body, r.idem);
      const deadline = Date.now() + 20_000;
      // 409 while the dead request's lease runs out; then the retry takes the key over.
      while (res.status === 409 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        res = await post(url, '/v1/payments', key, r.body, r.idem);
      }
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.status).toBe('succeeded');
      const before = acknowledged.get(r.idem);
      if (before) {
        expect(res.replayed).toBe(true);
        expect(res.body).toEqual(before);
      }
    }

    for (const r of requests) {
      const list = await fetch(`${url}/v1/payments?reference=${r.body.reference}`, {
        headers: { authorization: `Bearer ${key}` },
      }).then((res) => res.json() as Promise<any>);
      // Answered before the kill or not, each key made exactly one payment, and it was charged.
      expect(list.data.length, r.idem).toBe(1);
      expect(list.data[0].amount_received).toBe(r.body.amount);
    }
    api.kill('SIGTERM');
  }, 120_000);
});
