import { CURRENT_SCHEMA_VERSION } from '../../domain/src/index.js';

/**
 * Lifts a stored payload to the current schema version. The audit work replaces this with the
 * registry of pure upcasters in libs/domain; every read path goes through here.
 */
export function upcastRow(_type: string, schemaVersion: number, data: Record<string, unknown>) {
  return { schemaVersion: Math.max(schemaVersion, CURRENT_SCHEMA_VERSION), data };
}
