import { describe, expect, it } from 'vitest';
import { catalogues } from '../src/i18n/catalogues.js';
import { locales, negotiateLocale } from '../src/i18n/locales.js';
import { declineMessage, t } from '../src/i18n/translate.js';

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
