// Test fixtures: realistic generated logs for tests, benchmarks and `npm run audit -- generate`.
// Never imported by the service's own modules.
export * from './call-lifecycle.js';
export * from './generate.js';
export * from './min-heap.js';
export * from './seeded-random.js';
