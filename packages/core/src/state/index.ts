export * from './attempt-status.js';
export * from './payment-status.js';
export * from './transition.js';
