import { PayinError } from '@payin/core';
import { ServiceClient } from '@payin/service-auth';
import { describe, expect, it } from 'vitest';
import { VaultCards } from '../src/vault-cards.js';
import { freePort } from './harness.js';

describe('VaultCards', () => {
  it('answers 503 (retry with the same key) when the vault cannot be reached', async () => {
    const port = await freePort();
    const cards = new VaultCards(new ServiceClient(`http://127.0.0.1:${port}`, 's'.repeat(40), 'api', 2_000));
    const error = await cards
      .describe({ merchantId: 'mer_x', livemode: false }, 'tok_abc')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PayinError);
    expect((error as PayinError).status).toBe(503);
    expect((error as PayinError).body.message).toContain('Idempotency-Key');
  });

  it('refuses a malformed token id without asking the vault', async () => {
    const cards = new VaultCards(new ServiceClient('http://127.0.0.1:1', 's'.repeat(40), 'api'));
    const error = (await cards
      .describe({ merchantId: 'mer_x', livemode: false }, 'tok_../../x')
      .catch((e) => e)) as PayinError;
    expect(error.status).toBe(400);
    expect(error.body).toMatchObject({ code: 'resource_missing', param: 'payment_method' });
  });
});
