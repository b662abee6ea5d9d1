export * from './client.js';
export * from './i18n/catalogues.js';
export * from './i18n/format.js';
export * from './i18n/locales.js';
export * from './i18n/translate.js';
export * from './state.js';
