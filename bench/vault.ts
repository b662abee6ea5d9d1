/**
 * `npm run bench:vault`: how many cards per second the vault tokenizes, and what its detokenizing proxy
 * adds to a provider call.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench:vault   # vault on PostgreSQL
 *   npm run bench:vault                                                         # on embedded PGlite
 *
 * The vault is built by scripts/build.ts and runs as a child under plain node, as in production, with a
 * fresh database (created on the DATABASE_URL server and dropped at the end, or PGlite in a temp
 * directory) and a fresh KEK file. This process plays its neighbours: the api's publishable-key lookup
 * (vault-stand-ins.ts, checking the vault's signature) and a provider, an echo host on the proxy's
 * allowlist. Then, with autocannon:
 *
 * 1. POST /v1/tokens with a card, a publishable key and a registered Origin; a token is a 201.
 * 2. The echo host loaded directly with the body the vault would send it, then POST /v1/proxy with the
 *    same provider request in placeholders (`{{tok_….number}}`), each request freshly signed as the api
 *    signs it (the vault refuses a replayed nonce). The difference of their latencies is what the proxy
 *    adds; latencies here are each answer's own timing, finer than autocannon's whole milliseconds.
 *
 * Env: BENCH_DURATION (s, default 20), BENCH_CONNECTIONS (default 64), BENCH_PROXY_CONNECTIONS (default
 * BENCH_CONNECTIONS), BENCH_WARMUP (s, default 3), BENCH_ONLY=tokens|proxy, BENCH_VAULT_NODE_ARGS (flags
 * for the vault's node, e.g. `--cpu-prof --cpu-prof-dir=/tmp/vault-prof` to profile it under load).
 *
 * Exits 0 whether targets pass or not, 1 if the vault crashed or failed to start, 130 on Ctrl-C. The
 * child is killed, the database dropped and the temp directory removed on every path.
 */

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { APPS, buildEntry } from '../scripts/build.js';
import {
  freePort,
  lastOutput,
  type NodeChild,
  peakRssMb,
  startNodeChild,
  stopOnFailure,
  waitForHealthy,
} from './children.js';
import { BenchDatabases, checkServer } from './databases.js';
import { errorMessage } from './errors.js';
import { benchLifecycle } from './lifecycle.js';
import { type LoadOptions, type LoadResult, runLoad } from './load.js';
import { fail, positiveInteger } from './settings.js';
import { printVaultReport, type VaultRun } from './vault-report.js';
import {
  CARD_DIGITS,
  isProviderAnswer,
  MERCHANT,
  PROVIDER_HEADERS,
  PROVIDER_PATH,
  proxyBody,
  SHOP_ORIGIN,
  signProxyRequest,
  tokenIdOf,
  tokenRequest,
} from './vault-requests.js';
import { type StandIn, startEchoHost, startKeyDirectory } from './vault-stand-ins.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The vault migrates its database before listening. */
const STARTUP_TIMEOUT_MS = 60_000;

type Phase = 'tokens' | 'proxy';

interface Config {
  /** PostgreSQL server to create the vault's database on; null: embedded PGlite. */
  serverUrl: string | null;
  durationSeconds: number;
  connections: number;
  proxyConnections: number;
  warmupSeconds: number;
  only: Phase | null;
  /** Flags for the vault's node, e.g. `--cpu-prof --cpu-prof-dir=/tmp/vault-prof` to profile it. */
  nodeArgs: string[];
}

function readConfig(): Config {
  const only = process.env.BENCH_ONLY || null;
  if (only !== null && only !== 'tokens' && only !== 'proxy') {
    fail(`BENCH_ONLY must be tokens or proxy, not ${only}`);
  }
  const connections = positiveInteger('BENCH_CONNECTIONS', 64);
  return {
    serverUrl: process.env.DATABASE_URL || null,
    durationSeconds: positiveInteger('BENCH_DURATION', 20),
    connections,
    proxyConnections: positiveInteger('BENCH_PROXY_CONNECTIONS', connections),
    warmupSeconds: positiveInteger('BENCH_WARMUP', 3, true),
    only,
    nodeArgs: (process.env.BENCH_VAULT_NODE_ARGS ?? '').split(' ').filter(Boolean),
  };
}

const config = readConfig();
const databases = config.serverUrl ? new BenchDatabases(config.serverUrl) : null;
const workDir = mkdtempSync(join(tmpdir(), 'payin-bench-vault-'));
const standIns: StandIn[] = [];
const lifecycle = benchLifecycle({
  release: async () => {
    await Promise.all(standIns.map((standIn) => standIn.close()));
    rmSync(workDir, { recursive: true, force: true });
    await databases?.dropAll();
  },
  leftBehind: `the bench database and ${workDir}`,
});
const interrupted = lifecycle.interrupted;

/** Shared by the vault and the api it thinks it talks to. */
const serviceSecret = randomBytes(32).toString('base64url');
const publishableKey = `pk_test_${randomBytes(12).toString('hex')}`;

interface Vault {
  child: NodeChild;
  baseUrl: string;
}

async function startVault(
  databaseUrl: string | null,
  neighbours: { apiUrl: string; providerUrl: string },
): Promise<Vault> {
  const port = await freePort();
  const app = APPS.vault;
  await buildEntry(app.entry, app.outfile, app.migrations);
  const child = startNodeChild('vault', app.outfile, {
    cwd: ROOT,
    nodeArgs: config.nodeArgs,
    env: {
      VAULT_PORT: String(port),
      VAULT_HOST: '127.0.0.1',
      VAULT_PUBLIC_URL: `http://127.0.0.1:${port}`,
      // Empty means PGlite, whatever this shell exports.
      VAULT_DATABASE_URL: databaseUrl ?? '',
      VAULT_DATA_DIR: join(workDir, 'data'),
      // Apart from the data, as in production.
      VAULT_KEK_FILE: join(workDir, 'keys', 'kek.json'),
      PAYIN_DATA_DIR: workDir,
      VAULT_API_URL: neighbours.apiUrl,
      PAYIN_SERVICE_SECRET: serviceSecret,
      VAULT_PROXY_ALLOWLIST: neighbours.providerUrl,
      // The load comes from one address: the card-testing limit would measure itself.
      VAULT_TOKENIZATIONS_PER_MINUTE: '0',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
    },
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  return stopOnFailure(child, async () => {
    // readyz, not healthz: it also says the database answers.
    await waitForHealthy(`${baseUrl}/readyz`, child, STARTUP_TIMEOUT_MS, interrupted);
    return { child, baseUrl };
  });
}

/** One load of the run, stopped early if the vault dies or on Ctrl-C; warm-up first when asked. */
async function measure(
  vault: Vault,
  name: string,
  options: Omit<LoadOptions, 'durationSeconds'>,
): Promise<LoadResult> {
  const loadStop = new AbortController();
  const onStop = (): void => loadStop.abort();
  interrupted.addEventListener('abort', onStop, { once: true });
  void vault.child.exited.then(onStop);
  try {
    if (config.warmupSeconds > 0) {
      console.error(`${name}: warming up for ${config.warmupSeconds} s`);
      await runLoad({ ...options, durationSeconds: config.warmupSeconds }, loadStop.signal);
    }
    console.error(`${name}: measuring for ${config.durationSeconds} s at ${options.connections} connections`);
    const result = await runLoad({ ...options, durationSeconds: config.durationSeconds }, loadStop.signal);
    interrupted.throwIfAborted();
    if (vault.child.hasExited()) {
      throw new Error(`vault ${await vault.child.exited} under load${lastOutput(vault.child)}`);
    }
    return result;
  } finally {
    interrupted.removeEventListener('abort', onStop);
  }
}

function benchTokens(vault: Vault): Promise<LoadResult> {
  return measure(vault, 'tokenize', {
    ...tokenRequest(vault.baseUrl, publishableKey),
    connections: config.connections,
    isExpected: (body, status) => status === 201 && tokenIdOf(body) !== null,
  });
}

/** A token for the proxy's placeholders, made once before its load. */
async function makeToken(vault: Vault): Promise<string> {
  const { url, path, headers, body } = tokenRequest(vault.baseUrl, publishableKey);
  const response = await fetch(url + path, { method: 'POST', headers, body, signal: interrupted });
  const text = await response.text();
  const id = tokenIdOf(text);
  if (response.status !== 201 || id === null) {
    throw new Error(`POST /v1/tokens answered ${response.status} ${text.slice(0, 300)}`);
  }
  return id;
}

/**
 * The echo host direct, then through the vault. The direct load sends exactly what the echo host
 * received through the proxy (the card filled in), so both differ only by the vault's hop.
 */
async function benchProxy(
  vault: Vault,
  echo: Awaited<ReturnType<typeof startEchoHost>>,
): Promise<Pick<VaultRun, 'direct' | 'proxied' | 'unloaded'>> {
  const token = await makeToken(vault);
  const body = proxyBody(token, echo.url);
  const sign = () => signProxyRequest(serviceSecret, body);

  // One request first: it checks the route works and gives the direct load its body.
  const first = await fetch(`${vault.baseUrl}/v1/proxy`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...sign() },
    body,
    signal: interrupted,
  });
  const firstText = await first.text();
  const sent = echo.lastBody();
  if (!isProviderAnswer(firstText, first.status) || sent === null || !sent.includes(CARD_DIGITS)) {
    throw new Error(`POST /v1/proxy answered ${first.status} ${firstText.slice(0, 300)}`);
  }

  const pair = async (connections: number, suffix: string) => ({
    direct: await measure(vault, `echo host direct${suffix}`, {
      url: echo.url,
      path: PROVIDER_PATH,
      headers: PROVIDER_HEADERS,
      body: sent,
      connections,
      isExpected: (_body, status) => status === 200,
      exactLatency: true,
    }),
    proxied: await measure(vault, `through the vault${suffix}`, {
      url: vault.baseUrl,
      path: '/v1/proxy',
      headers: { 'content-type': 'application/json' },
      body,
      freshHeaders: sign,
      connections,
      isExpected: (body, status) => isProviderAnswer(body, status),
      exactLatency: true,
    }),
  });
  const loaded = await pair(config.proxyConnections, '');
  // The hop's own cost, without 64 requests queueing for two cores: one request at a time.
  const unloaded = config.proxyConnections === 1 ? undefined : await pair(1, ', one at a time');
  return { ...loaded, ...(unloaded ? { unloaded } : {}) };
}

async function main(): Promise<number> {
  let database = `embedded PGlite (${join(workDir, 'data')})`;
  let databaseUrl: string | null = null;
  if (databases && config.serverUrl) {
    const name = `payin_bench_vault_${process.pid}`;
    try {
      const version = await checkServer(config.serverUrl);
      databaseUrl = await databases.create(name);
      database = `PostgreSQL ${version} (database ${name})`;
    } catch (error) {
      console.error(`cannot use PostgreSQL at DATABASE_URL: ${errorMessage(error)}`);
      return 1;
    }
  }

  const directory = await startKeyDirectory(serviceSecret, {
    publishableKey,
    merchant: MERCHANT,
    allowedOrigin: SHOP_ORIGIN,
  });
  standIns.push(directory);
  const echo = await startEchoHost();
  standIns.push(echo);

  const run: VaultRun = {
    database,
    cores: availableParallelism(),
    connections: config.connections,
    proxyConnections: config.proxyConnections,
    durationSeconds: config.durationSeconds,
    tokensPeakRssMb: null,
    peakRssMb: null,
  };
  let vault: Vault | null = null;
  try {
    console.error(`vault: starting on ${database}`);
    vault = await startVault(databaseUrl, { apiUrl: directory.url, providerUrl: echo.url });
    if (config.only !== 'proxy') {
      run.tokens = await benchTokens(vault);
      run.tokensPeakRssMb = peakRssMb(vault.child.pid);
    }
    if (config.only !== 'tokens') Object.assign(run, await benchProxy(vault, echo));
  } catch (error) {
    if (interrupted.aborted) throw error;
    run.error = errorMessage(error);
  } finally {
    if (vault) {
      // Read while the process is alive: the high-water mark vanishes with it.
      run.peakRssMb = peakRssMb(vault.child.pid);
      await vault.child.stop();
      console.error(`vault: stopped (full output in ${vault.child.logPath})`);
    }
  }
  if (directory.refusedSignatures() > 0) {
    run.error ??= `the api stand-in refused ${directory.refusedSignatures()} signatures of the vault`;
  }
  printVaultReport(run);
  return run.error ? 1 : 0;
}

await lifecycle.run(main);
