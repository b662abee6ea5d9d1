import { cpSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

/**
 * Builds each app into one ESM file that plain `node` runs: our workspace packages are bundled
 * in, third-party packages stay imports resolved from node_modules. In production this is what
 * runs: no TypeScript loader in the process (on the api, ~40 MB less memory than under tsx,
 * whose module hooks keep a second JavaScript heap alive).
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

interface AppBuild {
  entry: string;
  outfile: string;
  /**
   * The migrations the app runs at start, when not the platform's (`packages/db/migrations`);
   * `null` for an app without a database.
   */
  migrations?: string | null;
}

/** Entry points of the apps, and where their bundle goes. */
export const APPS = {
  api: { entry: 'apps/api/src/main.ts', outfile: 'apps/api/dist/main.mjs' },
  worker: { entry: 'apps/worker/src/main.ts', outfile: 'apps/worker/dist/main.mjs' },
  // The vault keeps its own database, with its own schema.
  vault: {
    entry: 'apps/vault/src/main.ts',
    outfile: 'apps/vault/dist/main.mjs',
    migrations: 'apps/vault/migrations',
  },
  // Provider emulators keep their state in memory: no database, no migrations.
  emulators: {
    entry: 'apps/emulators/src/main.ts',
    outfile: 'apps/emulators/dist/main.mjs',
    migrations: null,
  },
  // The demo shop keeps its carts in signed cookies: no database.
  shop: { entry: 'apps/shop/src/main.ts', outfile: 'apps/shop/dist/main.mjs', migrations: null },
} as const satisfies Record<string, AppBuild>;

/** Bare imports of anything but `@payin/*` are left to Node's resolution at run time. */
const thirdPartyExternal: Plugin = {
  name: 'third-party-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@payin/') ? undefined : { path: args.path, external: true },
    );
  },
};

/**
 * Bundles `entry` into `outfile` (paths relative to the repository), with a source map so that
 * stack traces name the TypeScript lines. Files the code reads at run time travel with it: the
 * database migrations (`migrations`, a directory of the repository) land in `migrations/` beside
 * the bundle; `null` builds an app without a database, with no migrations beside it.
 */
export async function buildEntry(
  entry: string,
  outfile: string,
  migrations: string | null = 'packages/db/migrations',
): Promise<void> {
  const out = resolve(ROOT, outfile);
  await build({
    entryPoints: [resolve(ROOT, entry)],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
    plugins: [thirdPartyExternal],
  });
  const bundled = join(dirname(out), 'migrations');
  rmSync(bundled, { recursive: true, force: true });
  if (migrations !== null) cpSync(resolve(ROOT, migrations), bundled, { recursive: true });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const names = process.argv.slice(2);
  const chosen = names.length > 0 ? names : Object.keys(APPS);
  for (const name of chosen) {
    const app: AppBuild | undefined = APPS[name as keyof typeof APPS];
    if (!app) {
      console.error(`unknown app "${name}"; apps: ${Object.keys(APPS).join(', ')}`);
      process.exit(2);
    }
    await buildEntry(app.entry, app.outfile, app.migrations);
  }
}
