export * from './connect.js';
export * from './delivery-log.js';
export * from './jobs-queries.js';
export * from './migrate.js';
export type { Database } from './schema.js';
export * from './scratch-database.js';
export * from './store.js';
