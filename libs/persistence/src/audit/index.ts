export * from './chain-verifier.js';
export * from './export.js';
export * from './ndjson.js';
export * from './replay.js';
export * from './series-replay.js';
export * from './verify.js';
export { lastPosition } from '../event-log.js';
