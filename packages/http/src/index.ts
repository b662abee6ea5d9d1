export * from './credentials.js';
export * from './env.js';
export * from './errors.js';
export * from './server.js';
export * from './storable-text.js';
