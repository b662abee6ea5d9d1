import { createHash } from 'node:crypto';
import { newId, randomToken } from '../ids.js';
import type { ApiKeyKind, ApiKeyRecord, MerchantRecord } from '../records.js';
import type { Store, StoreTx } from '../store.js';
import type { Clock } from './deps.js';

/** Requests per second a merchant may send unless set otherwise: the marketplace's own peak. */
export const DEFAULT_RATE_LIMIT = 10_000;

/**
 * API keys are 32 random base62 characters (~190 bits), so a plain SHA-256 is the right hash:
 * a slow password hash protects guessable secrets, and a key is not guessable. Only the hash
 * is stored; the key is shown once, at creation.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function keyKindOf(key: string): { kind: ApiKeyKind; livemode: boolean } | undefined {
  const m = /^(sk|pk)_(test|live)_[0-9A-Za-z]{16,128}$/.exec(key);
  if (!m) return undefined;
  return { kind: m[1] === 'sk' ? 'secret' : 'publishable', livemode: m[2] === 'live' };
}

export interface IssuedKeys {
  secretKey: string;
  publishableKey: string;
}

export async function issueApiKeys(
  tx: StoreTx,
  merchantId: string,
  livemode: boolean,
  clock: Clock,
): Promise<IssuedKeys> {
  const mode = livemode ? 'live' : 'test';
  const secretKey = `sk_${mode}_${randomToken(32)}`;
  const publishableKey = `pk_${mode}_${randomToken(32)}`;
  for (const [key, kind] of [
    [secretKey, 'secret'],
    [publishableKey, 'publishable'],
  ] as const) {
    const record: ApiKeyRecord = {
      id: newId('apiKey'),
      merchantId,
      kind,
      livemode,
      keyHash: hashApiKey(key),
      keyHint: `${key.slice(0, 12)}…`,
      createdAt: clock.now(),
      revokedAt: null,
    };
    await tx.insertApiKey(record);
  }
  return { secretKey, publishableKey };
}

export async function createMerchant(
  store: Store,
  clock: Clock,
  input: { name: string; country: string; rateLimit?: number },
): Promise<{ merchant: MerchantRecord; keys: IssuedKeys }> {
  return store.transaction(async (tx) => {
    const merchant: MerchantRecord = {
      id: newId('merchant'),
      name: input.name,
      country: input.country,
      rateLimit: input.rateLimit ?? DEFAULT_RATE_LIMIT,
      createdAt: clock.now(),
    };
    await tx.insertMerchant(merchant);
    const keys = await issueApiKeys(tx, merchant.id, false, clock);
    return { merchant, keys };
  });
}
