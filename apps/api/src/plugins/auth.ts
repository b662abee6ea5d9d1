import { timingSafeEqual } from 'node:crypto';
import {
  type ApiKeyKind,
  errors,
  hashApiKey,
  keyKindOf,
  type MerchantRecord,
  type Scope,
  type StoreReader,
} from '@payin/core';
import { bearerOf } from '@payin/http';
import { SERVICE_SIGNATURE_HEADER, verifyServiceRequest } from '@payin/service-auth';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RateLimits } from './rate-limits.js';

/** `service`: a call from another payin process, signed with the service secret (GET only). */
export type AuthKind = 'secret' | 'publishable' | 'admin' | 'service' | 'none';

export interface Authenticated {
  scope: Scope;
  merchant: MerchantRecord;
  keyKind: ApiKeyKind;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Which credential the route takes; every route declares one. */
    auth?: AuthKind;
  }
  interface FastifyRequest {
    auth?: Authenticated;
  }
}

/**
 * Keys are looked up by hash; the answer is cached briefly so a busy merchant does not pay a
 * database round trip per request. Keys are never revoked in place today, so the cache cannot
 * serve a key that stopped being valid.
 */
class KeyCache {
  private readonly entries = new Map<string, { value: Authenticated | null; expires: number }>();
  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}
  get(hash: string): Authenticated | null | undefined {
    const e = this.entries.get(hash);
    if (!e) return undefined;
    if (e.expires < Date.now()) {
      this.entries.delete(hash);
      return undefined;
    }
    return e.value;
  }
  set(hash: string, value: Authenticated | null) {
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(hash, { value, expires: Date.now() + this.ttlMs });
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function registerAuth(
  app: FastifyInstance,
  opts: { store: StoreReader; adminToken: string; serviceSecret: string; rateLimits: RateLimits },
) {
  const cache = new KeyCache(30_000, 50_000);

  async function lookup(key: string): Promise<Authenticated | null> {
    const hash = hashApiKey(key);
    const cached = cache.get(hash);
    if (cached !== undefined) return cached;
    const found = await opts.store.findApiKeyByHash(hash);
    const value: Authenticated | null = found
      ? {
          scope: { merchantId: found.merchantId, livemode: found.livemode },
          merchant: found.merchant,
          keyKind: found.kind,
        }
      : null;
    // Unknown keys are not cached: a flood of random keys must not evict the good ones.
    if (value) cache.set(hash, value);
    return value;
  }

  async function failed(request: FastifyRequest, error: ReturnType<typeof errors.invalidKey>) {
    await opts.rateLimits.authFailure(request.ip);
    return error;
  }

  app.addHook('onRequest', async (request) => {
    const kind = request.routeOptions.config.auth ?? 'none';
    if (kind === 'none') return;
    if (kind === 'service') {
      // Service routes are reads: the signature covers method, path and an empty body.
      const result = verifyServiceRequest(
        opts.serviceSecret,
        request.headers[SERVICE_SIGNATURE_HEADER] as string | undefined,
        { method: request.method, path: request.url, body: '' },
      );
      if (!result.ok || request.method !== 'GET') {
        throw await failed(request, errors.serviceAuthFailed(result.ok ? 'GET only' : result.reason));
      }
      return;
    }
    await opts.rateLimits.checkAuthFailures(request.ip);
    const key = bearerOf(request.headers.authorization);
    if (!key) throw await failed(request, errors.missingKey());

    if (kind === 'admin') {
      if (!sameSecret(key, opts.adminToken)) {
        throw await failed(request, keyKindOf(key) ? errors.wrongKeyKind('admin') : errors.invalidKey());
      }
      return;
    }
    const shape = keyKindOf(key);
    if (!shape) throw await failed(request, errors.invalidKey());
    const auth = await lookup(key);
    if (!auth) throw await failed(request, errors.invalidKey());
    if (auth.keyKind !== kind) throw errors.wrongKeyKind(kind);
    request.auth = auth;
    await opts.rateLimits.merchantRequest(auth.merchant);
  });
}

/** The authenticated merchant scope of a route declared with auth 'secret' or 'publishable'. */
export function scopeOf(request: FastifyRequest): Scope {
  if (!request.auth) throw errors.missingKey();
  return request.auth.scope;
}
