import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MIN_SECRET_LENGTH } from './signature.js';

/**
 * The secret payin's processes sign their calls to each other with: `PAYIN_SERVICE_SECRET`, or,
 * on the embedded platform (`embedded`: no database server configured), a random one kept in the
 * data directory (readable by its owner only) that the api and the vault both find there. Outside
 * it the secret must be configured: processes on separate hosts would each make up their own.
 */
export function serviceSecret(env: NodeJS.ProcessEnv, dataDir: string, embedded: boolean): string {
  const configured = env.PAYIN_SERVICE_SECRET;
  if (configured) {
    if (configured.length < MIN_SECRET_LENGTH) {
      throw new Error(`PAYIN_SERVICE_SECRET must be at least ${MIN_SECRET_LENGTH} characters`);
    }
    return configured;
  }
  if (!embedded) {
    throw new Error(
      'PAYIN_SERVICE_SECRET must be set when a database server is configured (shared by the api and the vault).',
    );
  }
  const file = join(dataDir, 'service-secret');
  mkdirSync(dataDir, { recursive: true });
  try {
    // Exclusive create: when two processes start together, one writes and both read its secret.
    writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as { code?: string }).code !== 'EEXIST') throw error;
  }
  // The other process may be between creating the file and writing it.
  for (let attempt = 0; attempt < 100; attempt++) {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length >= MIN_SECRET_LENGTH) return secret;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
  }
  throw new Error(`${file} holds no usable service secret`);
}
