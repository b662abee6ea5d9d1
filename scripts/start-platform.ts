import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The whole platform as `npm start` runs it (scripts/platform.ts: api, vault, emulators, demo
 * shop, each its own process), from the sources, on free ports of 127.0.0.1 and in a data
 * directory of its own, for the browser tests and the budgets. Embedded mode only: the
 * services' URLs of the environment are left out, so the demo merchant is created.
 */
export interface RunningPlatform {
  shopUrl: string;
  apiUrl: string;
  vaultUrl: string;
  emulatorsUrl: string;
  dataDir: string;
  /** The demo merchant the api created on its first start. */
  demo: { id: string; secretKey: string; publishableKey: string };
  stop(): Promise<void>;
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? done(address.port) : fail()));
    });
  });
}

async function waitFor(url: string, child: ChildProcess, output: () => string): Promise<void> {
  // Four services compiled from their sources on start: on a busy two-core machine (CI with
  // other suites beside) that has taken past 90 s.
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the platform exited (${child.exitCode}):\n${output()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${url} did not answer in 180 s:\n${output()}`);
}

export async function startPlatform(
  opts: {
    logLevel?: string;
    env?: Record<string, string>;
    /**
     * The host name browsers reach the vault by (it listens on 127.0.0.1 all the same).
     * `localhost` puts it on another site than the shop's 127.0.0.1, as a deployed vault is:
     * Chromium then runs its frames in their own process, off the shop page's main thread.
     */
    vaultHost?: string;
  } = {},
): Promise<RunningPlatform> {
  const [api, vault, emulators, shop] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const host = '127.0.0.1';
  const apiUrl = `http://${host}:${api}`;
  const vaultUrl = `http://${opts.vaultHost ?? host}:${vault}`;
  const emulatorsUrl = `http://${host}:${emulators}`;
  const shopUrl = `http://${host}:${shop}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'payin-platform-'));
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (
      !/^(DATABASE_URL|REDIS_URL|AMQP_URL|VAULT_DATABASE_URL|SHOP_SECRET_KEY|SHOP_PUBLISHABLE_KEY)$/.test(
        name,
      )
    )
      env[name] = value;
  }
  Object.assign(env, {
    PAYIN_PLATFORM_SOURCES: '1',
    PAYIN_DATA_DIR: dataDir,
    LOG_LEVEL: opts.logLevel ?? 'warn',
    PORT: String(api),
    HOST: host,
    PAYIN_PUBLIC_URL: apiUrl,
    VAULT_URL: `http://${host}:${vault}`,
    VAULT_PORT: String(vault),
    VAULT_HOST: host,
    VAULT_PUBLIC_URL: vaultUrl,
    VAULT_API_URL: apiUrl,
    VAULT_PROXY_ALLOWLIST: emulatorsUrl,
    EMULATORS_PORT: String(emulators),
    EMULATORS_HOST: host,
    EMULATORS_PUBLIC_URL: emulatorsUrl,
    PAYIN_EMULATORS_URL: emulatorsUrl,
    SHOP_PORT: String(shop),
    SHOP_HOST: host,
    SHOP_PUBLIC_URL: shopUrl,
    PAYIN_API_URL: apiUrl,
    ...opts.env,
  });
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/platform.ts')], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const force = setTimeout(() => {
        // The group: the platform and the apps it started.
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      }, 10_000);
      await exited;
      clearTimeout(force);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await Promise.all(
      [`${apiUrl}/healthz`, `${vaultUrl}/readyz`, `${emulatorsUrl}/healthz`, `${shopUrl}/healthz`].map(
        (url) => waitFor(url, child, () => output),
      ),
    );
    const demo = JSON.parse(readFileSync(join(dataDir, 'demo-merchant.json'), 'utf8'));
    return { shopUrl, apiUrl, vaultUrl, emulatorsUrl, dataDir, demo, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
