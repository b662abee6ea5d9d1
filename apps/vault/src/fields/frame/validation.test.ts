import { describe, expect, it } from 'vitest';
import {
  checkCvc,
  checkExpiry,
  checkHolderName,
  checkNumber,
  errorCodeOf,
  fieldOfParam,
  validateCard,
} from './validation.js';

const now = new Date('2026-11-25T12:00:00Z');

describe('field checks', () => {
  it('calls a number invalid once it reaches a length its network prints, incomplete before', () => {
    expect(checkNumber('4242')).toEqual({
      empty: false,
      complete: false,
      valid: false,
      error: 'incomplete_number',
    });
    expect(checkNumber('4242424242424241')).toMatchObject({
      complete: true,
      valid: false,
      error: 'invalid_number',
    });
    expect(checkNumber('4242424242424242')).toEqual({
      empty: false,
      complete: true,
      valid: true,
      error: null,
    });
    expect(checkNumber('')).toMatchObject({ empty: true, error: 'incomplete_number' });
  });

  it('tells an expired card, a month that does not exist and a far year apart', () => {
    expect(checkExpiry('12 / 3', now)).toMatchObject({ complete: false, error: 'incomplete_expiry' });
    expect(checkExpiry('13 / 30', now)).toMatchObject({ complete: true, error: 'invalid_expiry_month' });
    expect(checkExpiry('10 / 26', now)).toMatchObject({ error: 'expired_card' });
    expect(checkExpiry('12 / 99', now)).toMatchObject({ error: 'invalid_expiry_year' });
    expect(checkExpiry('11 / 26', now)).toMatchObject({ valid: true, error: null });
  });

  it('wants the CVC length of the network the number frame reported', () => {
    expect(checkCvc('123', 'amex')).toMatchObject({ complete: false, error: 'incomplete_cvc' });
    expect(checkCvc('1234', 'amex')).toMatchObject({ valid: true });
    expect(checkCvc('1234', 'visa')).toMatchObject({ valid: false, error: 'invalid_cvc' });
    expect(checkCvc('123', null)).toMatchObject({ valid: true });
  });

  it('wants a holder name that is more than spaces', () => {
    expect(checkHolderName('  ')).toMatchObject({ valid: false, error: 'incomplete_holder_name' });
    expect(checkHolderName('Ada')).toMatchObject({ valid: true });
  });
});

describe('validateCard', () => {
  const all = ['number', 'expiry', 'cvc', 'holder_name'] as const;

  it('builds the card of POST /v1/tokens from the fields', () => {
    const result = validateCard({
      values: {
        number: '4242 4242 4242 4242',
        expiry: '12 / 30',
        cvc: '１２３',
        holder_name: ' Ada Lovelace ',
      },
      fields: all,
      chosenBrand: null,
      now,
    });
    expect(result).toEqual({
      ok: true,
      card: {
        number: '4242424242424242',
        exp_month: 12,
        exp_year: 2030,
        cvc: '123',
        holder_name: 'Ada Lovelace',
      },
    });
  });

  it("sends the cardholder's network for a co-badged card, the first offered when none was picked", () => {
    const values = { number: '4000002500001001', expiry: '12 / 30', cvc: '123' };
    const fields = ['number', 'expiry', 'cvc'] as const;
    const chosen = validateCard({ values, fields, chosenBrand: 'visa', now });
    expect(chosen.ok && chosen.card.brand).toBe('visa');
    const first = validateCard({ values, fields, chosenBrand: null, now });
    expect(first.ok && first.card.brand).toBe('cartes_bancaires');
  });

  it('requires every mounted field and only those', () => {
    const result = validateCard({
      values: { number: '4242424242424242' },
      fields: all,
      chosenBrand: null,
      now,
    });
    expect(result).toEqual({
      ok: false,
      errors: [
        { field: 'expiry', code: 'incomplete_expiry' },
        { field: 'cvc', code: 'incomplete_cvc' },
        { field: 'holder_name', code: 'incomplete_holder_name' },
      ],
    });
    const withoutCvc = validateCard({
      values: { number: '4242424242424242', expiry: '1230' },
      fields: ['number', 'expiry'],
      chosenBrand: null,
      now,
    });
    expect(withoutCvc).toEqual({
      ok: true,
      card: { number: '4242424242424242', exp_month: 12, exp_year: 2030 },
    });
  });
});

describe('server errors in fields', () => {
  it('finds the field a param names', () => {
    expect(fieldOfParam('card[number]')).toBe('number');
    expect(fieldOfParam('card[exp_year]')).toBe('expiry');
    expect(fieldOfParam('card[cvc]')).toBe('cvc');
    expect(fieldOfParam('card[holder_name]')).toBe('holder_name');
    expect(fieldOfParam('parent_origin')).toBeNull();
    expect(fieldOfParam(undefined)).toBeNull();
  });

  it('shows a known code from the catalogue and a missing parameter as incomplete', () => {
    expect(errorCodeOf('cvc', 'invalid_cvc')).toBe('invalid_cvc');
    expect(errorCodeOf('holder_name', 'parameter_missing')).toBe('incomplete_holder_name');
    expect(errorCodeOf('number', 'card_not_supported')).toBeNull();
  });
});
