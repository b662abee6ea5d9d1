export * from './registry.js';
export * from './sandbox/index.js';
