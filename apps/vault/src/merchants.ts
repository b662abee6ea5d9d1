import type { ServiceClient } from '@payin/service-auth';

export interface MerchantAccess {
  merchantId: string;
  livemode: boolean;
  /** Origins (scheme://host[:port]) whose pages may host the card fields. */
  allowedOrigins: string[];
}

/** Who a publishable key belongs to, and where its pages may be. */
export interface MerchantResolver {
  resolve(publishableKey: string): Promise<MerchantAccess | null>;
}

interface Cached {
  value: MerchantAccess | null;
  until: number;
}

/**
 * The vault knows merchants only through the api, which owns them: a publishable key is
 * resolved by a signed call (`GET /internal/v1/publishable_keys/{key}`) and remembered briefly,
 * so a registered origin takes effect within half a minute and the api is not asked per keystroke.
 */
export class MerchantDirectory implements MerchantResolver {
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly api: ServiceClient,
    private readonly ttlMs = 30_000,
  ) {}

  async resolve(publishableKey: string): Promise<MerchantAccess | null> {
    if (!/^pk_(test|live)_[A-Za-z0-9]{8,64}$/.test(publishableKey)) return null;
    const hit = this.cache.get(publishableKey);
    if (hit && hit.until > Date.now()) return hit.value;
    const answer = await this.api.request<{ merchant: string; livemode: boolean; allowed_origins: string[] }>(
      'GET',
      `/internal/v1/publishable_keys/${encodeURIComponent(publishableKey)}`,
    );
    let value: MerchantAccess | null = null;
    if (answer.status === 200) {
      value = {
        merchantId: answer.body.merchant,
        livemode: answer.body.livemode,
        allowedOrigins: answer.body.allowed_origins,
      };
    } else if (answer.status !== 404) {
      throw new Error(`the api answered ${answer.status} resolving a publishable key`);
    }
    if (this.cache.size > 10_000) this.cache.clear();
    // Unknown keys are remembered for less time: a merchant just created should work at once.
    this.cache.set(publishableKey, { value, until: Date.now() + (value ? this.ttlMs : 2_000) });
    return value;
  }
}
