export * from './chain-verifier.js';
export * from './export.js';
export * from './generate.js';
export * from './log-reader.js';
export * from './raw-event.js';
export * from './replay.js';
export * from './verify.js';
