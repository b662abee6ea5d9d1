export * from './brands.js';
export * from './digits.js';
export * from './expiry.js';
export * from './luhn.js';
