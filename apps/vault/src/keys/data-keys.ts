import { randomBytes } from 'node:crypto';
import { randomToken } from '@payin/core';
import type { VaultDb } from '../db/connect.js';
import { KEY_BYTES, open, seal } from './envelope.js';
import type { KeyProvider } from './key-provider.js';

/** A data key encrypts for a day, then a fresh one takes over (a short cryptoperiod, PCI DSS 3.6.4). */
const DATA_KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** What a data key is bound to when the KEK wraps it: the wrapped blob cannot be swapped between rows. */
const wrapContext = (dataKeyId: string) => `data_key:${dataKeyId}`;

/**
 * Envelope encryption: card data is sealed with a data key (AES-256-GCM); data keys are stored
 * only wrapped by a KEK from the key provider, and kept unwrapped in this process's memory
 * only. Rotating the KEK re-wraps data keys without touching card data (rotateKek).
 */
export class DataKeyRing {
  private readonly unwrapped = new Map<string, Buffer>();
  private active: { id: string; until: number } | null = null;
  private creating: Promise<string> | null = null;

  constructor(
    private readonly db: VaultDb,
    private readonly keys: KeyProvider,
  ) {}

  /** Seals `plaintext` under the active data key; returns the key's id and the sealed text. */
  async seal(plaintext: Buffer, aad: string): Promise<{ dataKeyId: string; sealed: string }> {
    const dataKeyId = await this.activeDataKey();
    return { dataKeyId, sealed: seal(await this.key(dataKeyId), plaintext, aad) };
  }

  async open(dataKeyId: string, sealed: string, aad: string): Promise<Buffer> {
    return open(await this.key(dataKeyId), sealed, aad);
  }

  private async activeDataKey(): Promise<string> {
    if (this.active && this.active.until > Date.now()) return this.active.id;
    const current = await this.db
      .selectFrom('dataKeys')
      .select(['id', 'createdAt'])
      .where('retiredAt', 'is', null)
      .orderBy('createdAt', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (current && current.createdAt.getTime() + DATA_KEY_LIFETIME_MS > Date.now()) {
      this.active = {
        id: current.id,
        until: Math.min(current.createdAt.getTime() + DATA_KEY_LIFETIME_MS, Date.now() + 60_000),
      };
      return current.id;
    }
    // One creation at a time in this process; two processes may each create one, which is harmless.
    this.creating ??= this.createDataKey().finally(() => {
      this.creating = null;
    });
    return this.creating;
  }

  private async createDataKey(): Promise<string> {
    // Another process may have rotated the KEK since we last looked.
    await this.keys.refresh();
    const id = `dk_${randomToken(20)}`;
    const key = randomBytes(KEY_BYTES);
    const kekId = await this.keys.activeKeyId();
    const wrappedKey = await this.keys.wrap(kekId, key, wrapContext(id));
    await this.db.transaction().execute(async (tx) => {
      await tx
        .updateTable('dataKeys')
        .set({ retiredAt: new Date() })
        .where('retiredAt', 'is', null)
        .execute();
      await tx.insertInto('dataKeys').values({ id, kekId, wrappedKey, retiredAt: null }).execute();
    });
    this.unwrapped.set(id, key);
    this.active = { id, until: Date.now() + 60_000 };
    return id;
  }

  private async key(dataKeyId: string): Promise<Buffer> {
    const cached = this.unwrapped.get(dataKeyId);
    if (cached) return cached;
    const row = await this.db
      .selectFrom('dataKeys')
      .select(['kekId', 'wrappedKey'])
      .where('id', '=', dataKeyId)
      .executeTakeFirst();
    if (!row) throw new Error(`data key ${dataKeyId} not found`);
    const key = await this.keys.unwrap(row.kekId, row.wrappedKey, wrapContext(dataKeyId));
    this.unwrapped.set(dataKeyId, key);
    return key;
  }
}

/**
 * Re-wraps every data key under the KEK now active in the provider, in small transactions, until
 * none is left under another KEK (a process that created a data key meanwhile with the old KEK
 * is caught by the next pass). Card data is not touched and the vault keeps serving: processes
 * hold their data keys unwrapped, and unwrap under whichever KEK a row names.
 */
export async function rewrapDataKeys(
  db: VaultDb,
  keys: KeyProvider,
): Promise<{ rewrapped: number; from: string[] }> {
  await keys.refresh();
  const target = await keys.activeKeyId();
  let rewrapped = 0;
  const from = new Set<string>();
  for (;;) {
    const batch = await db.transaction().execute(async (tx) => {
      const rows = await tx
        .selectFrom('dataKeys')
        .select(['id', 'kekId', 'wrappedKey'])
        .where('kekId', '!=', target)
        .limit(100)
        // NO KEY UPDATE, not UPDATE: a tokenization inserting a row that references the data key
        // holds KEY SHARE on it, which FOR UPDATE conflicts with (PostgreSQL), so the busy key
        // was skipped and the pass ended as if none were left.
        .forNoKeyUpdate()
        .skipLocked()
        .execute();
      for (const row of rows) {
        const key = await keys.unwrap(row.kekId, row.wrappedKey, wrapContext(row.id));
        const wrappedKey = await keys.wrap(target, key, wrapContext(row.id));
        await tx
          .updateTable('dataKeys')
          .set({ kekId: target, wrappedKey })
          .where('id', '=', row.id)
          .execute();
        from.add(row.kekId);
      }
      return rows.length;
    });
    rewrapped += batch;
    if (batch > 0) continue;
    // None could be taken: done, unless some are held by another re-wrap or a new data key's
    // creation just then; those are waited for.
    const left = await db
      .selectFrom('dataKeys')
      .select('id')
      .where('kekId', '!=', target)
      .limit(1)
      .executeTakeFirst();
    if (!left) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { rewrapped, from: [...from] };
}
