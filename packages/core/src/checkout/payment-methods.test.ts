import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type MethodRule,
  type MethodType,
  methodTypes,
  offeredMethods,
  paymentMethodRules,
} from './payment-methods.js';

const all = () => true;
const typesFor = (country: string | null, currency: string, amount: number) =>
  offeredMethods({ country, currency, amount }, all).map((m) => m.type);

describe('market rules', () => {
  it.each([
    ['US', 'USD', 49_900, ['card', 'paypal', 'klarna']],
    ['FR', 'EUR', 42_900, ['card', 'paypal', 'klarna', 'open_banking']],
    ['ES', 'EUR', 42_900, ['card', 'paypal', 'klarna', 'open_banking', 'bizum']],
    ['JP', 'JPY', 64_800, ['card', 'paypal', 'konbini', 'paypay']],
    ['DE', 'EUR', 42_900, ['card']],
    [null, 'EUR', 42_900, ['card']],
  ] as const)('offers in %s (%s %i): %j', (country, currency, amount, expected) => {
    expect(typesFor(country, currency, amount)).toEqual(expected);
  });

  it('keeps each market card brands, Cartes Bancaires first in France and JCB in Japan', () => {
    const brands = (country: string) =>
      offeredMethods({ country, currency: 'EUR', amount: 1_000 }, all).find((m) => m.type === 'card')?.brands;
    expect(brands('FR')).toEqual(['cartes_bancaires', 'visa', 'mastercard', 'amex']);
    expect(brands('JP')).toEqual(['visa', 'mastercard', 'jcb', 'amex']);
    expect(brands('US')).toEqual(['visa', 'mastercard', 'amex']);
    expect(offeredMethods({ country: 'FR', currency: 'EUR', amount: 1_000 }, all)[1]).toEqual({
      type: 'paypal',
    });
  });

  it("names the payer's details a method needs before paying, and none for cards or wallets", () => {
    const jp = offeredMethods({ country: 'JP', currency: 'JPY', amount: 5_000 }, all);
    expect(jp.find((m) => m.type === 'konbini')?.billing_details).toEqual(['name', 'email', 'phone']);
    expect(jp.find((m) => m.type === 'paypal')).toEqual({ type: 'paypal' });
    const fr = offeredMethods({ country: 'FR', currency: 'EUR', amount: 5_000 }, all);
    expect(fr.find((m) => m.type === 'open_banking')?.billing_details).toEqual(['name', 'email']);
    expect(fr.find((m) => m.type === 'card')).not.toHaveProperty('billing_details');
  });

  it('never offers Klarna in Japan, nor a method outside its currency', () => {
    expect(typesFor('JP', 'JPY', 10_000)).not.toContain('klarna');
    expect(typesFor('ES', 'USD', 10_000)).not.toContain('bizum');
    expect(typesFor('FR', 'USD', 10_000)).not.toContain('open_banking');
  });

  it('applies the limits of the first rule of its market, with no fallback to another market', () => {
    // Klarna: 4,000 EUR at most in Spain, 10,000 EUR in France.
    expect(typesFor('ES', 'EUR', 400_000)).toContain('klarna');
    expect(typesFor('ES', 'EUR', 400_001)).not.toContain('klarna');
    expect(typesFor('FR', 'EUR', 400_001)).toContain('klarna');
    expect(typesFor('FR', 'EUR', 99)).not.toContain('klarna');
    // Konbini: 100 to 299,999 JPY; Bizum up to 1,000 EUR.
    expect(typesFor('JP', 'JPY', 299_999)).toContain('konbini');
    expect(typesFor('JP', 'JPY', 300_000)).not.toContain('konbini');
    expect(typesFor('JP', 'JPY', 99)).not.toContain('konbini');
    expect(typesFor('ES', 'EUR', 100_001)).not.toContain('bizum');
    // Cards have no limit.
    expect(typesFor('JP', 'JPY', 50_000_000)).toContain('card');
  });

  it('offers only what the merchant can take', () => {
    const cardsOnly = offeredMethods({ country: 'ES', currency: 'EUR', amount: 5_000 }, (t) => t === 'card');
    expect(cardsOnly.map((m) => m.type)).toEqual(['card']);
  });

  it('for any payment: each method once, in the table order, each within the rule that decides it', () => {
    const countries = fc.constantFrom('US', 'FR', 'ES', 'JP', 'DE', 'GB', null);
    const currencies = fc.constantFrom('USD', 'EUR', 'JPY', 'GBP');
    const takenTypes = fc.subarray([...methodTypes]);
    fc.assert(
      fc.property(
        countries,
        currencies,
        fc.integer({ min: 1, max: 5_000_000 }),
        takenTypes,
        (country, currency, amount, taken) => {
          const offered = offeredMethods({ country, currency, amount }, (t) => taken.includes(t));
          const types = offered.map((m) => m.type);
          expect(new Set(types).size).toBe(types.length);
          const order = (t: MethodType) => paymentMethodRules.findIndex((r) => r.type === t);
          expect([...types].sort((a, b) => order(a) - order(b))).toEqual(types);
          for (const method of offered) {
            expect(taken).toContain(method.type);
            const rule = paymentMethodRules.find(
              (r: MethodRule) =>
                r.type === method.type &&
                (r.countries === '*' || (country !== null && r.countries.includes(country))) &&
                (r.currencies === '*' || r.currencies.includes(currency)),
            );
            const limits = rule?.limits?.[currency];
            expect(rule).toBeDefined();
            expect(amount).toBeGreaterThanOrEqual(limits?.min ?? 0);
            expect(amount).toBeLessThanOrEqual(limits?.max ?? Number.MAX_SAFE_INTEGER);
          }
        },
      ),
    );
  });
});
