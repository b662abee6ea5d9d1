/**
 * `npm run bench`: how many card payments per second the payin api confirms, against a bare baseline.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench
 *
 * Each server (the api, then bench/bare-server.ts) gets a fresh database on that PostgreSQL server, runs
 * as a child process alone on the machine, and takes the same closed-loop load from autocannon:
 * POST /v1/payments creating and confirming a payment in one call. Then a table of payments/s, latency,
 * errors and peak memory, the api/bare ratio, and PASS/FAIL against the api's targets (report.ts).
 *
 * Env overrides for quick runs: BENCH_DURATION (s, default 20), BENCH_CONNECTIONS (default 64),
 * BENCH_IDEMPOTENCY=1 (a fresh Idempotency-Key on every request; the bare server ignores it),
 * BENCH_WARMUP (s, default 3; load before measuring, so both servers are measured with a warm JIT and
 * full connection pools), BENCH_ONLY=api|bare (run one server), BENCH_API_ENTRY (the api's entry
 * file; a .ts file runs as `node --import tsx <file>`, anything else as `node <file>`).
 *
 * By default both servers run the way production does: built by scripts/build.ts into one file
 * each, under plain node, so the figures include no TypeScript loader.
 *
 * Exits 0 whether targets pass or not (it is a measurement), 1 if something crashed or failed to start,
 * 130 on Ctrl-C. Children are killed and databases dropped on every path.
 */
import { randomBytes } from 'node:crypto';
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
import { type LoadResult, runLoad } from './load.js';
import { printReport, type Runs, type TargetRun } from './report.js';
import { fail, positiveInteger } from './settings.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Generous: the api may migrate its database before listening. */
const STARTUP_TIMEOUT_MS = 60_000;
const PAYMENT_BODY = JSON.stringify({
  amount: 1999,
  currency: 'EUR',
  payment_method: 'pm_card_visa',
  confirm: true,
  reference: 'bench',
});

type TargetName = 'api' | 'bare';

const BARE_BUNDLE = 'bench/dist/bare-server.mjs';

interface Config {
  serverUrl: string;
  durationSeconds: number;
  connections: number;
  warmupSeconds: number;
  only: TargetName | null;
  /** The api's entry point, relative to the repository root; null: build it and run the bundle. */
  apiEntry: string | null;
  /** A fresh Idempotency-Key on every request (BENCH_IDEMPOTENCY=1). */
  idempotencyKeys: boolean;
}

/** What a started server gives the load: where it listens and the credential its payments need. */
interface Started {
  child: NodeChild;
  baseUrl: string;
  authorization: string;
}

function readConfig(): Config {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    fail(
      'npm run bench needs DATABASE_URL=postgres://… (a PostgreSQL server the bench may create and drop ' +
        'databases on); on this machine: DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench',
    );
  }
  const only = process.env.BENCH_ONLY || null;
  if (only !== null && only !== 'api' && only !== 'bare') fail(`BENCH_ONLY must be api or bare, not ${only}`);
  return {
    serverUrl,
    durationSeconds: positiveInteger('BENCH_DURATION', 20),
    connections: positiveInteger('BENCH_CONNECTIONS', 64),
    warmupSeconds: positiveInteger('BENCH_WARMUP', 3, true),
    only,
    apiEntry: process.env.BENCH_API_ENTRY || null,
    idempotencyKeys: process.env.BENCH_IDEMPOTENCY === '1',
  };
}

const config = readConfig();
const databases = new BenchDatabases(config.serverUrl);
const lifecycle = benchLifecycle({
  release: () => databases.dropAll(),
  leftBehind: 'bench databases',
});
const interrupted = lifecycle.interrupted;

async function startApi(databaseUrl: string): Promise<Started> {
  const port = await freePort();
  const adminToken = randomBytes(24).toString('hex');
  let entry = config.apiEntry;
  if (entry === null) {
    await buildEntry(APPS.api.entry, APPS.api.outfile);
    entry = APPS.api.outfile;
  }
  const child = startNodeChild('api', entry, {
    cwd: ROOT,
    env: {
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      PAYIN_ADMIN_TOKEN: adminToken,
      PAYIN_SERVICE_SECRET: randomBytes(32).toString('base64url'),
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
    },
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  return stopOnFailure(child, async () => {
    await waitForHealthy(`${baseUrl}/healthz`, child, STARTUP_TIMEOUT_MS, interrupted);
    const secretKey = await createMerchant(baseUrl, adminToken);
    return { child, baseUrl, authorization: `Bearer ${secretKey}` };
  });
}

/** The contract of the admin API: 201 with the new merchant's keys. */
async function createMerchant(baseUrl: string, adminToken: string): Promise<string> {
  const response = await fetch(`${baseUrl}/admin/v1/merchants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Bench', country: 'FR' }),
    signal: interrupted,
  });
  const text = await response.text();
  const merchant = parseJson(text) as { secret_key?: unknown } | null;
  if (response.status !== 201 || typeof merchant?.secret_key !== 'string') {
    throw new Error(`POST /admin/v1/merchants answered ${response.status} ${text.slice(0, 300)}`);
  }
  return merchant.secret_key;
}

async function startBare(databaseUrl: string): Promise<Started> {
  const port = await freePort();
  await buildEntry('bench/bare-server.ts', BARE_BUNDLE);
  const child = startNodeChild('bare', BARE_BUNDLE, {
    cwd: ROOT,
    env: { DATABASE_URL: databaseUrl, PORT: String(port), LOG_LEVEL: 'warn', NODE_ENV: 'production' },
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  return stopOnFailure(child, async () => {
    await waitForHealthy(`${baseUrl}/healthz`, child, STARTUP_TIMEOUT_MS, interrupted);
    // The bare server does no auth; it still gets the header so both receive the same request.
    return { child, baseUrl, authorization: 'Bearer sk_bench_bare' };
  });
}

/** Starts one server on a database of its own, loads it, measures it, and stops it again. */
async function benchTarget(name: TargetName): Promise<TargetRun> {
  const databaseName = `payin_bench_${name}_${process.pid}`;
  try {
    const databaseUrl = await databases.create(databaseName);
    console.error(`${name}: starting (database ${databaseName})`);
    const started = await (name === 'api' ? startApi(databaseUrl) : startBare(databaseUrl));
    const { child } = started;

    // If the server dies under load, stop loading a dead port and report the crash.
    const loadStop = new AbortController();
    const onInterrupt = (): void => loadStop.abort();
    interrupted.addEventListener('abort', onInterrupt, { once: true });
    void child.exited.then(() => loadStop.abort());

    try {
      if (config.warmupSeconds > 0) {
        console.error(`${name}: warming up for ${config.warmupSeconds} s`);
        await load(started, config.warmupSeconds, loadStop.signal);
      }
      console.error(
        `${name}: measuring for ${config.durationSeconds} s at ${config.connections} connections`,
      );
      const result = await load(started, config.durationSeconds, loadStop.signal);
      interrupted.throwIfAborted();
      if (child.hasExited()) {
        throw new Error(`${name} ${await child.exited} under load${lastOutput(child)}`);
      }
      // Read while the process is alive: the high-water mark vanishes with it.
      return { ok: true, load: result, peakRssMb: peakRssMb(child.pid) };
    } finally {
      interrupted.removeEventListener('abort', onInterrupt);
      await child.stop();
      console.error(`${name}: stopped (full output in ${child.logPath})`);
    }
  } catch (error) {
    if (interrupted.aborted) throw error;
    console.error(`${name}: FAILED: ${errorMessage(error)}`);
    return { ok: false, error: errorMessage(error) };
  } finally {
    // Stop the other server's run from sharing the PostgreSQL server with this one's leftovers.
    if (!interrupted.aborted) await databases.drop(databaseName).catch(() => {});
  }
}

function load(started: Started, durationSeconds: number, signal: AbortSignal): Promise<LoadResult> {
  return runLoad(
    {
      url: started.baseUrl,
      path: '/v1/payments',
      headers: { 'content-type': 'application/json', authorization: started.authorization },
      body: PAYMENT_BODY,
      connections: config.connections,
      durationSeconds,
      isExpected: (body) => (parseJson(body) as { status?: unknown } | null)?.status === 'succeeded',
      idempotencyKeys: config.idempotencyKeys,
    },
    signal,
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

async function main(): Promise<number> {
  try {
    const version = await checkServer(config.serverUrl);
    console.error(`PostgreSQL ${version} at ${new URL(config.serverUrl).host}`);
  } catch (error) {
    console.error(`cannot reach PostgreSQL at DATABASE_URL: ${errorMessage(error)}`);
    return 1;
  }

  const runs: Runs = {};
  // One server at a time, so neither competes with the other for CPU or database.
  for (const name of ['api', 'bare'] as const) {
    if (config.only === null || config.only === name) runs[name] = await benchTarget(name);
  }
  printReport(runs, { connections: config.connections, durationSeconds: config.durationSeconds });
  return Object.values(runs).some((run) => !run.ok) ? 1 : 0;
}

await lifecycle.run(main);
