import type { Messages } from './index.js';

export const enUS: Messages = {
  label: {
    number: 'Card number',
    expiry: 'Expiration date',
    cvc: 'Security code',
    holder_name: 'Name on card',
  },
  placeholder: { number: '1234 1234 1234 1234', expiry: 'MM / YY', cvc: 'CVC', holder_name: '' },
  cardTitle: 'Card details',
  brandChoice: 'Card network',
  errors: {
    incomplete_number: 'Your card number is incomplete.',
    invalid_number: 'Your card number is invalid.',
    incomplete_expiry: "Your card's expiration date is incomplete.",
    invalid_expiry_month: "Your card's expiration month is invalid.",
    invalid_expiry_year: "Your card's expiration year is invalid.",
    expired_card: 'Your card has expired.',
    incomplete_cvc: "Your card's security code is incomplete.",
    invalid_cvc: "Your card's security code is invalid.",
    incomplete_holder_name: 'Enter the name on your card.',
    processing_error: 'Your card could not be saved. Try again.',
  },
};
