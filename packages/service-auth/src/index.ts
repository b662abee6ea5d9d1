export * from './client.js';
export * from './secret.js';
export * from './signature.js';
