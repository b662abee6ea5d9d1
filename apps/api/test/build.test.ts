import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildEntry } from '../../../scripts/build.js';
import { freePort } from './harness.js';

/**
 * `npm start` runs the api as one bundle under plain node: it must find its migrations and
 * third-party packages from there, and serve payments.
 */
const root = join(import.meta.dirname, '..', '..', '..');
// Inside the repository, so that the bundle's bare imports resolve from its node_modules.
const outDir = join(root, 'apps', 'api', 'dist', `test-${process.pid}`);
const dataDir = mkdtempSync(join(tmpdir(), 'payin-build-'));
let child: ChildProcess | undefined;
afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(outDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the built api', () => {
  it('starts under plain node on embedded PGlite and confirms a payment', async () => {
    const outfile = join(outDir, 'main.mjs');
    await buildEntry('apps/api/src/main.ts', outfile);
    // Workspace code is inside the bundle; third-party packages are not.
    const bundle = readFileSync(outfile, 'utf8');
    expect(bundle).toContain('function createPayment(');
    expect(bundle).not.toContain('class SelectQueryBuilderImpl');

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const adminToken = 'padm_build_test_token_0123456789';
    // Embedded mode whatever the suite runs against: the bundle must carry PGlite's path too.
    const { DATABASE_URL: _, ...env } = process.env;
    child = spawn(process.execPath, ['--enable-source-maps', outfile], {
      cwd: root,
      env: {
        ...env,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        PAYIN_DATA_DIR: dataDir,
        PAYIN_ADMIN_TOKEN: adminToken,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Kept to explain a failure: the api's own log lines.
    const output: string[] = [];
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    await waitReady(url);

    const merchant = await post(url, '/admin/v1/merchants', adminToken, { name: 'Built', country: 'FR' });
    expect(merchant.status, output.join('').slice(-4000)).toBe(201);
    const payment = await post(url, '/v1/payments', merchant.body.secret_key, {
      amount: 1999,
      currency: 'EUR',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    expect(payment.status, `${JSON.stringify(payment.body)}\n${output.join('').slice(-4000)}`).toBe(200);
    expect(payment.body.status).toBe('succeeded');
  }, 60_000);
});

async function waitReady(url: string): Promise<void> {
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    if (child?.exitCode !== null) throw new Error(`the built api exited with ${child?.exitCode}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the built api did not become ready');
}

async function post(url: string, path: string, key: string, body: unknown) {
  const res = await fetch(url + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}
