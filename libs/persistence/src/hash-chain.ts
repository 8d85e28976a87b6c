import { createHash } from 'node:crypto';

/** The previous hash of the very first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an event row that its hash covers. `data`/`metadata` are the stored JSON text. */
export interface HashedFields {
  position: number;
  streamId: string;
  version: number;
  type: string;
  schemaVersion: number;
  data: string;
  metadata: string;
  occurredAt: string;
}

/** Canonical serialisation: a JSON array in a fixed field order, so no key-order ambiguity. */
export function canonicalRow(row: HashedFields): string {
  return JSON.stringify([row.position, row.streamId, row.version, row.type, row.schemaVersion, row.data, row.metadata, row.occurredAt]);
}

/** hash = SHA-256(prevHash ‖ "\n" ‖ canonical row), hex. */
export function chainHash(prevHash: string, row: HashedFields): string {
  return hashCanonical(prevHash, canonicalRow(row));
}

/** The chain hash of an already serialised row (the verifier tries one row at many positions). */
export function hashCanonical(prevHash: string, canonical: string): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}
