import type { HashedFields } from '../hash-chain.js';

/** One events row exactly as stored: data and metadata are the JSON text the hash covers. */
export interface RawEventRow extends HashedFields {
  eventId: string;
  prevHash: string;
  hash: string;
}

// Field order of an exported NDJSON line; also the columns every audit read selects.
export const RAW_EVENT_COLUMNS = [
  ['position', 'position'],
  ['eventId', 'event_id'],
  ['streamId', 'stream_id'],
  ['version', 'version'],
  ['type', 'type'],
  ['schemaVersion', 'schema_version'],
  ['data', 'data'],
  ['metadata', 'metadata'],
  ['occurredAt', 'occurred_at'],
  ['prevHash', 'prev_hash'],
  ['hash', 'hash'],
] as const satisfies readonly (readonly [keyof RawEventRow, string])[];

/** `position, event_id AS "eventId", …`: quoted aliases keep their case on both engines. */
export const RAW_EVENT_SELECT = RAW_EVENT_COLUMNS.map(([field, column]) => (field === column ? column : `${column} AS "${field}"`)).join(', ');

/** PostgreSQL returns bigint as text; everything else arrives as stored. */
export function normaliseRawRow(row: RawEventRow): RawEventRow {
  row.position = Number(row.position);
  row.version = Number(row.version);
  row.schemaVersion = Number(row.schemaVersion);
  return row;
}

/** The NDJSON line of a row (field order fixed by RAW_EVENT_COLUMNS), without the newline. */
export function toNdjsonLine(row: RawEventRow): string {
  return JSON.stringify({
    position: row.position,
    eventId: row.eventId,
    streamId: row.streamId,
    version: row.version,
    type: row.type,
    schemaVersion: row.schemaVersion,
    data: row.data,
    metadata: row.metadata,
    occurredAt: row.occurredAt,
    prevHash: row.prevHash,
    hash: row.hash,
  });
}

/** Parses an exported line back into a row; returns the reason instead when the line is not one. */
export function parseNdjsonLine(line: string): RawEventRow | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'not valid JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const v = value as Record<string, unknown>;
  for (const [field] of RAW_EVENT_COLUMNS) {
    const numeric = field === 'position' || field === 'version' || field === 'schemaVersion';
    if (numeric ? !Number.isSafeInteger(v[field]) : typeof v[field] !== 'string') {
      return `field ${field} is missing or not ${numeric ? 'an integer' : 'a string'}`;
    }
  }
  return v as unknown as RawEventRow;
}
