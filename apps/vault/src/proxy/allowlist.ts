import { errors } from '@payin/core';

/**
 * Where the proxy may send card data: exact origins (scheme, host, port), from
 * `VAULT_PROXY_ALLOWLIST`. Nothing else, no wildcard, no redirect followed: a connector that
 * was tricked into another URL gets a refusal, not a card number.
 */
export class ProxyAllowlist {
  private readonly origins: Set<string>;

  constructor(origins: string[]) {
    this.origins = new Set(origins.map((o) => new URL(o).origin));
  }

  check(url: string): URL {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw errors.proxyRefused('invalid_url', 'request[url] is not an absolute URL.');
    }
    if ((parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || parsed.username || parsed.password) {
      throw errors.proxyRefused('invalid_url', 'request[url] must be http(s) without credentials.');
    }
    if (!this.origins.has(parsed.origin)) {
      throw errors.proxyRefused(
        'host_not_allowed',
        `${parsed.origin} is not on the vault's proxy allowlist (VAULT_PROXY_ALLOWLIST).`,
      );
    }
    return parsed;
  }
}
