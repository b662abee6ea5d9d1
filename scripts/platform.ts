import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm start`: the platform on one machine, each app in its own process as in production (the
 * api with its embedded worker, the vault on its own origin and database, the provider emulators,
 * the demo shop). Built bundles run
 * under plain node; the first app to exit stops the others, and Ctrl-C stops them all.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const apps = [
  { name: 'api', bundle: 'apps/api/dist/main.mjs', source: 'apps/api/src/main.ts' },
  { name: 'vault', bundle: 'apps/vault/dist/main.mjs', source: 'apps/vault/src/main.ts' },
  { name: 'emulators', bundle: 'apps/emulators/dist/main.mjs', source: 'apps/emulators/src/main.ts' },
  { name: 'shop', bundle: 'apps/shop/dist/main.mjs', source: 'apps/shop/src/main.ts' },
];
/**
 * PAYIN_PLATFORM_SOURCES=1 runs each app from its TypeScript sources under tsx instead of its
 * bundle: the browser tests and the budgets start the platform this way, with no build step.
 */
const fromSources = process.env.PAYIN_PLATFORM_SOURCES === '1';

const children = new Map<string, ChildProcess>();
let stopping = false;

function stopAll(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const child of children.values()) child.kill('SIGTERM');
  const force = setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL');
  }, 10_000);
  force.unref();
  process.exitCode = code;
}

for (const app of apps) {
  const bundle = resolve(ROOT, app.bundle);
  if (!fromSources && !existsSync(bundle)) {
    console.error(`${app.bundle} is missing: run npm run build first (npm start does it).`);
    process.exit(1);
  }
  const args = fromSources
    ? ['--import', 'tsx', resolve(ROOT, app.source)]
    : ['--enable-source-maps', bundle];
  const child = spawn(process.execPath, args, {
    cwd: process.cwd(),
    stdio: 'inherit',
  });
  children.set(app.name, child);
  child.on('exit', (code, signal) => {
    children.delete(app.name);
    if (!stopping) {
      console.error(`payin ${app.name} exited (${signal ?? `code ${code}`}); stopping the platform.`);
      stopAll(code || 1);
    }
    if (children.size === 0) process.exit();
  });
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stopAll(0));
