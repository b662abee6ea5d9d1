export * from './credentials.js';
export * from './errors.js';
export * from './storable-text.js';
