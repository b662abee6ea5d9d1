import { describe, expect, it } from 'vitest';
import { alternativeMethods, catalogues } from '../src/i18n/catalogues.js';
import { locales, negotiateLocale } from '../src/i18n/locales.js';
import { type MethodMessages, methodCatalogues, methodFailureMessage } from '../src/i18n/methods.js';
import { declineMessage, methodName, t } from '../src/i18n/translate.js';

describe('locale negotiation', () => {
  it.each([
    [['fr-FR'], 'fr-FR'],
    [['fr-CA', 'en-US'], 'fr-FR'],
    [['es-MX'], 'es-ES'],
    [['ja'], 'ja-JP'],
    [['en-GB'], 'en-US'],
    [['de-DE', 'es'], 'es-ES'],
    [['de-DE'], 'en-US'],
    [[undefined, '', 'not a tag!', 'ja-jp'], 'ja-JP'],
    [[], 'en-US'],
  ] as const)('%j → %s', (wanted, expected) => {
    expect(negotiateLocale(wanted)).toBe(expected);
  });
});

describe('catalogues', () => {
  it('has every message in every locale, none empty, the same placeholders', () => {
    const reference = catalogues['en-US'];
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const locale of locales) {
      const messages = catalogues[locale];
      expect(Object.keys(messages).sort()).toEqual(Object.keys(reference).sort());
      expect(Object.keys(messages.declines).sort()).toEqual(Object.keys(reference.declines).sort());
      expect(Object.keys(messages.methodNames).sort()).toEqual([...alternativeMethods].sort());
      for (const name of Object.values(messages.methodNames)) expect(name.trim().length).toBeGreaterThan(0);
      for (const [key, value] of Object.entries(messages)) {
        if (typeof value !== 'string') continue;
        expect(value.trim().length, `${locale}.${key}`).toBeGreaterThan(0);
        expect(placeholders(value), `${locale}.${key}`).toEqual(
          placeholders(reference[key as 'pay'] as string),
        );
      }
      if (locale !== 'en-US') expect(messages.pay).not.toBe(reference.pay);
    }
  });

  it("has every method message in every locale: each method's intro, button and status line", () => {
    const reference = methodCatalogues['en-US'];
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const flat = (messages: MethodMessages) =>
      Object.entries(messages).flatMap(([key, value]) =>
        typeof value === 'string'
          ? [[key, value] as const]
          : Object.entries(value as Record<string, string>).map(([k, v]) => [`${key}.${k}`, v] as const),
      );
    const expected = new Map(flat(reference));
    for (const group of ['intro', 'continue', 'leaving'] as const) {
      expect(Object.keys(reference[group]).sort()).toEqual([...alternativeMethods].sort());
    }
    for (const locale of locales) {
      const entries = flat(methodCatalogues[locale]);
      expect(entries.map(([key]) => key).sort()).toEqual([...expected.keys()].sort());
      for (const [key, value] of entries) {
        expect(value.trim().length, `${locale}.${key}`).toBeGreaterThan(0);
        expect(placeholders(value), `${locale}.${key}`).toEqual(placeholders(expected.get(key) ?? ''));
        if (locale !== 'en-US' && !/^(continue|leaving)\./.test(key) && key !== 'intro.paypal')
          expect(value, `${locale}.${key}`).not.toBe(expected.get(key));
      }
    }
  });

  it("words a method's failure without blame, naming the method, and nothing for other codes", () => {
    expect(methodFailureMessage('en-US', 'canceled_by_shopper', 'PayPal')).toBe(
      'The payment with PayPal was canceled. Nothing was charged: try again or choose another method.',
    );
    expect(methodFailureMessage('ja-JP', 'payment_expired', 'コンビニ払い')).toContain('コンビニ払い');
    expect(methodFailureMessage('es-ES', 'payment_declined', 'Bizum')).toMatch(/^Bizum no ha podido/);
    expect(methodFailureMessage('fr-FR', 'card_declined', 'PayPal')).toBeUndefined();
    expect(methodName('fr-FR', 'open_banking')).toBe('Virement instantané');
    expect(methodName('ja-JP', 'konbini')).toBe('コンビニ払い');
    expect(methodName('en-US', 'card')).toBe('Card');
  });

  it('fills placeholders, and leaves unknown ones visible rather than empty', () => {
    expect(t('fr-FR', 'pay', { amount: '49,90 €' })).toBe('Payer 49,90 €');
    expect(t('ja-JP', 'pay', { amount: '￥12,800' })).toBe('￥12,800を支払う');
    expect(t('en-US', 'pay')).toBe('Pay {amount}');
  });

  it('tells the shopper what to do for each decline, never the raw code', () => {
    expect(declineMessage('en-US', 'insufficient_funds')).toMatch(/insufficient funds/);
    expect(declineMessage('fr-FR', 'incorrect_cvc')).toMatch(/cryptogramme/);
    expect(declineMessage('es-ES', 'expired_card')).toMatch(/caducado/);
    expect(declineMessage('en-US', 'issuer_not_available')).toBe(
      catalogues['en-US'].declines.try_again_later,
    );
    expect(declineMessage('en-US', 'some_new_code')).toBe(catalogues['en-US'].declines.generic_decline);
    expect(declineMessage('en-US', undefined, 'processing_error')).toBe(
      catalogues['en-US'].declines.processing_error,
    );
  });
});
