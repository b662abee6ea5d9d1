import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * The card vault as its own process, as `npm start` runs it, from its sources: its own PGlite
 * and key file under `dir`, asking the api on `apiPort` about publishable keys, its proxy
 * allowed to reach `allowlist`.
 */
export interface VaultProcess {
  url: string;
  child: ChildProcess;
  /** Resolves once the vault answers /readyz; throws if it exits first. */
  ready(): Promise<void>;
  kill(): void;
}

const root = join(import.meta.dirname, '..', '..', '..');

export function spawnVault(opts: {
  port: number;
  apiPort: number;
  secret: string;
  dir: string;
  allowlist: string;
  proxyTimeoutMs?: number;
}): VaultProcess {
  const url = `http://127.0.0.1:${opts.port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/vault/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      VAULT_PORT: String(opts.port),
      VAULT_HOST: '127.0.0.1',
      VAULT_PUBLIC_URL: url,
      VAULT_API_URL: `http://127.0.0.1:${opts.apiPort}`,
      VAULT_DATA_DIR: join(opts.dir, 'vault'),
      VAULT_KEK_FILE: join(opts.dir, 'keys', 'kek.json'),
      VAULT_DATABASE_URL: '',
      PAYIN_SERVICE_SECRET: opts.secret,
      VAULT_PROXY_ALLOWLIST: opts.allowlist,
      ...(opts.proxyTimeoutMs ? { VAULT_PROXY_TIMEOUT_MS: String(opts.proxyTimeoutMs) } : {}),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return {
    url,
    child,
    async ready() {
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`the vault exited with ${child.exitCode}`);
        try {
          if ((await fetch(`${url}/readyz`)).ok) return;
        } catch {}
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`${url}/readyz did not answer`);
    },
    kill: () => child.kill('SIGKILL'),
  };
}
