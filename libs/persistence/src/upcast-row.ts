import { upcast, type Upcast } from '#domain';

/**
 * Lifts a stored payload to the schema version the code reads today, through the registry of
 * pure upcasters in libs/domain. Every read path (toStoredEvent, replay) goes through here.
 */
export function upcastRow(type: string, schemaVersion: number, data: Record<string, unknown>): Upcast {
  return upcast(type, schemaVersion, data);
}
