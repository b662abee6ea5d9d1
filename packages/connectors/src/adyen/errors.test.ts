import { describe, expect, it } from 'vitest';
import { declineFor, refusalReasons } from './errors.js';

describe('Adyen refusal reasons', () => {
  it('map the reasons shoppers meet most to the decline codes of the API contract', () => {
    expect(declineFor('2').declineCode).toBe('generic_decline');
    expect(declineFor('12').declineCode).toBe('insufficient_funds');
    expect(declineFor('6').declineCode).toBe('expired_card');
    expect(declineFor('24').declineCode).toBe('incorrect_cvc');
    expect(declineFor('20').declineCode).toBe('fraudulent');
  });

  it('treat failed or missing 3-D Secure as an authentication failure, not a plain decline', () => {
    expect(declineFor('11')).toMatchObject({
      code: 'authentication_failed',
      declineCode: 'authentication_required',
    });
    expect(declineFor('38').code).toBe('authentication_failed');
  });

  it('decline generically for a code not in the table, or none', () => {
    expect(declineFor('999')).toEqual({
      declineCode: 'generic_decline',
      code: 'card_declined',
      retry: false,
    });
    expect(declineFor(undefined).declineCode).toBe('generic_decline');
  });

  it('use only lower-case snake_case decline codes', () => {
    for (const decline of Object.values(refusalReasons))
      expect(decline.declineCode).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });
});
