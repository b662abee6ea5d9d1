import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMethodRules } from './parse-method-rules.js';
import { offeredMethods, paymentMethodRules } from './payment-methods.js';

describe('parseMethodRules', () => {
  it('reads the built-in table written as JSON back to the same rules', () => {
    const parsed = parseMethodRules(JSON.parse(JSON.stringify(paymentMethodRules)));
    expect(parsed).toEqual(paymentMethodRules);
    const payment = { country: 'FR', currency: 'EUR', amount: 5_000 };
    expect(offeredMethods(payment, () => true, parsed)).toEqual(offeredMethods(payment, () => true));
  });

  it("reads docs/market-rules.example.json, the starting point of an operator's file, as the built-in table", () => {
    const example = new URL('../../../../docs/market-rules.example.json', import.meta.url);
    expect(parseMethodRules(JSON.parse(readFileSync(example, 'utf8')))).toEqual(paymentMethodRules);
  });

  it('names every mistake with its rule and field', () => {
    const attempt = () =>
      parseMethodRules([
        { type: 'cheque', countries: '*', currencies: '*' },
        { type: 'klarna', countries: ['FR'], currencies: ['eur'], limits: { EUR: { min: 10.5, max: 5 } } },
        { type: 'paypal', countries: [], currencies: '*', brands: ['visa'], note: 'x' },
        { type: 'konbini', countries: ['JP'], currencies: ['JPY'], limits: { JPY: { min: 500, max: 100 } } },
      ]);
    expect(attempt).toThrow(/rule 0: type must be one of card, paypal/);
    expect(attempt).toThrow(
      /rule 1: currencies must be "\*" or a non-empty array of upper-case ISO 4217 codes/,
    );
    expect(attempt).toThrow(/rule 1: limits\.EUR\.min must be a non-negative integer amount in minor units/);
    expect(attempt).toThrow(/rule 2: unknown field "note"/);
    expect(attempt).toThrow(/rule 2: countries must be/);
    expect(attempt).toThrow(/rule 2: brands are for card rules only/);
    expect(attempt).toThrow(/rule 3: limits\.JPY: min is above max/);
  });

  it('refuses what is not a list of rules', () => {
    expect(() => parseMethodRules({ type: 'card' })).toThrow(/expected an array of rules/);
    expect(() => parseMethodRules([null])).toThrow(/rule 0: expected an object/);
    expect(() => parseMethodRules([{ type: 'card', countries: '*', currencies: '*', limits: [] }])).toThrow(
      /limits must be an object/,
    );
  });
});
