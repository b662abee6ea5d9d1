// The amount as a shopper reads it, for a merchant's own pages (the api formats the checkout's).
export { formatAmount } from '@payin/core/money';
export * from './client.js';
export * from './i18n/catalogues.js';
export * from './i18n/locales.js';
export * from './i18n/translate.js';
export * from './state.js';
