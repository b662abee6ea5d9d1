import type { AuditLog } from '../audit/log.js';
import type { VaultDb } from '../db/connect.js';
import { rewrapDataKeys } from './data-keys.js';
import type { LocalKeyFileProvider } from './local-key-file.js';

/**
 * KEK rotation (PCI DSS 3.7.4) with the vault serving: a new KEK becomes active in the key file,
 * every data key is re-wrapped under it, and the KEKs nothing is wrapped with any more are
 * removed. Card data is never decrypted or rewritten; running vault processes keep their
 * unwrapped data keys and pick up the new KEK when they next create a data key.
 */
export async function rotateKek(
  db: VaultDb,
  keys: LocalKeyFileProvider,
  audit: AuditLog,
): Promise<{ kek: string; rewrapped: number; retired: string[] }> {
  const before = keys.keyIds();
  const kek = await keys.addKey();
  const { rewrapped } = await rewrapDataKeys(db, keys);
  const stillUsed = new Set(
    (await db.selectFrom('dataKeys').select('kekId').distinct().execute()).map((r) => r.kekId),
  );
  const retired = before.filter((id) => !stillUsed.has(id));
  await keys.retire(retired);
  await audit.record(db, {
    actor: 'operator',
    action: 'key.rotated',
    outcome: 'ok',
    detail: { kek, rewrapped, retired },
  });
  return { kek, rewrapped, retired };
}
