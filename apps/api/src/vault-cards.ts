import {
  type CardTokens,
  errors,
  type ForwardOutcome,
  type ProviderAnswer,
  type ProviderRequest,
  type Scope,
  type TokenCard,
} from '@payin/core';
import type { ServiceClient } from '@payin/service-auth';

interface VaultToken {
  card: TokenCard & { bin: string; available_brands: string[]; cvc_available: boolean };
}

interface VaultError {
  error?: { code?: string };
}

/**
 * The vault as core's CardTokens: a signed `GET /v1/tokens/{id}` that answers the masked card.
 * The BIN the vault also answers is dropped here: the api keeps brand, last four, expiry,
 * country, funding and fingerprint, nothing more.
 */
export class VaultCards implements CardTokens {
  constructor(private readonly vault: ServiceClient) {}

  async describe(scope: Scope, tokenId: string): Promise<TokenCard> {
    if (!/^tok_[A-Za-z0-9]{1,64}$/.test(tokenId))
      throw errors.tokenMissing(tokenId.slice(0, 70), 'payment_method');
    let answer: { status: number; body: VaultToken & VaultError };
    try {
      answer = await this.vault.request<VaultToken & VaultError>(
        'GET',
        `/v1/tokens/${tokenId}?merchant=${encodeURIComponent(scope.merchantId)}&livemode=${scope.livemode}`,
      );
    } catch {
      throw errors.unavailable(
        'The card vault did not answer. Retry the request with the same Idempotency-Key.',
      );
    }
    if (answer.status === 404) throw errors.tokenMissing(tokenId, 'payment_method');
    if (answer.status === 400 && answer.body.error?.code === 'token_expired') {
      throw errors.tokenExpired(tokenId, 'payment_method');
    }
    if (answer.status !== 200) {
      throw errors.unavailable(
        `The card vault answered ${answer.status}. Retry the request with the same Idempotency-Key.`,
      );
    }
    const { card } = answer.body;
    return {
      brand: card.brand,
      last4: card.last4,
      exp_month: card.exp_month,
      exp_year: card.exp_year,
      country: card.country,
      funding: card.funding,
      fingerprint: card.fingerprint,
    };
  }

  async forward(scope: Scope, request: ProviderRequest): Promise<ForwardOutcome> {
    let answer: { status: number; body: ProviderAnswer & VaultError & { error?: { message?: string } } };
    try {
      answer = await this.vault.request('POST', '/v1/proxy', {
        merchant: scope.merchantId,
        livemode: scope.livemode,
        request,
      });
    } catch (error) {
      // The vault may have forwarded before the connection failed: nobody can say.
      return { kind: 'unknown', message: `the card vault did not answer: ${(error as Error).message}` };
    }
    const { status, body } = answer;
    if (status === 200)
      return { kind: 'answered', answer: { status: body.status, headers: body.headers, body: body.body } };
    const message = body?.error?.message ?? `the card vault answered ${status}`;
    if (status === 502 && body?.error?.code === 'upstream_unreachable') return { kind: 'not_sent', message };
    if (status >= 400 && status < 500)
      return { kind: 'refused', code: body?.error?.code ?? 'refused', message };
    return { kind: 'unknown', message };
  }
}
