export * from './amount.js';
export * from './currencies.js';
