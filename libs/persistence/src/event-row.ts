import { EntitySchema, type EntitySchemaColumnOptions } from 'typeorm';
import type { HashedFields } from './hash-chain.js';
import { integerColumn as integer } from './integer-column.js';

/**
 * One row of the `events` table exactly as stored: `data` and `metadata` are the JSON text the hash
 * covers (never re-serialised), so a row can be verified as it is read, exported or imported.
 * This file is the only declaration of the row: the column list, the select list, the insert
 * values, the NDJSON field order and the TypeORM entity all derive from EVENT_ROW below.
 */
export interface EventRow extends HashedFields {
  eventId: string;
  prevHash: string;
  hash: string;
}

/** Column of each field, in the order of an exported NDJSON line (the export format: keep it). */
const EVENT_ROW = {
  position: { name: 'position', type: 'bigint', primary: true, transformer: integer },
  eventId: { name: 'event_id', type: 'varchar', length: 36, unique: true },
  streamId: { name: 'stream_id', type: 'varchar', length: 64 },
  version: { name: 'version', type: 'integer', transformer: integer },
  type: { name: 'type', type: 'varchar', length: 64 },
  schemaVersion: { name: 'schema_version', type: 'integer', transformer: integer },
  data: { name: 'data', type: 'text' },
  metadata: { name: 'metadata', type: 'text' },
  occurredAt: { name: 'occurred_at', type: 'varchar', length: 32 },
  prevHash: { name: 'prev_hash', type: 'varchar', length: 64 },
  hash: { name: 'hash', type: 'varchar', length: 64 },
} as const satisfies Record<keyof EventRow, EntitySchemaColumnOptions & { name: string }>;

export type EventField = keyof EventRow;

/** Every field, in NDJSON order. */
export const EVENT_FIELDS = Object.keys(EVENT_ROW) as EventField[];

/** The table's column names, in the same order (INSERT column list). */
export const EVENT_COLUMNS: readonly string[] = EVENT_FIELDS.map((field) => EVENT_ROW[field].name);

/** What the sealer gives a row (PostgreSQL): its place in the log and the chain. */
export const SEAL_FIELDS: readonly EventField[] = ['position', 'prevHash', 'hash'];

/** Every field an append writes itself, before the row is sealed (in EVENT_FIELDS order). */
export const DRAFT_FIELDS: readonly Exclude<EventField, 'position' | 'prevHash' | 'hash'>[] = EVENT_FIELDS.filter(
  (field): field is Exclude<EventField, 'position' | 'prevHash' | 'hash'> => !SEAL_FIELDS.includes(field),
);

/** The column names of these fields. */
export function eventColumns(fields: readonly EventField[]): string[] {
  return fields.map((field) => EVENT_ROW[field].name);
}

const INTEGER_FIELDS: ReadonlySet<EventField> = new Set(EVENT_FIELDS.filter((field) => 'transformer' in EVENT_ROW[field]));

/** `position, event_id AS "eventId", …` for these fields: quoted aliases keep their case on both engines. */
export function eventSelect(fields: readonly EventField[] = EVENT_FIELDS): string {
  return fields.map((field) => (EVENT_ROW[field].name === field ? field : `${EVENT_ROW[field].name} AS "${field}"`)).join(', ');
}

/** A row read with eventSelect's aliases → its typed fields (engine text integers → numbers), in place. */
export function decodeEventRow<T extends Partial<EventRow>>(row: T): T {
  const fields = row as Record<string, string | number | null>;
  for (const field of INTEGER_FIELDS) if (field in fields) fields[field] = integer.from(fields[field]);
  return row;
}

/** The row's values in EVENT_COLUMNS order (INSERT parameters). */
export function eventRowValues(row: EventRow): unknown[] {
  return EVENT_FIELDS.map((field) => row[field]);
}

/** The row's fields in NDJSON order (JSON.stringify keeps insertion order). */
export function orderedEventRow(row: EventRow): EventRow {
  const ordered = {} as Record<EventField, unknown>;
  for (const field of EVENT_FIELDS) ordered[field] = row[field];
  return ordered as unknown as EventRow;
}

/** Which fields are numbers (the rest are strings): what an imported NDJSON line must hold. */
export function isIntegerField(field: EventField): boolean {
  return INTEGER_FIELDS.has(field);
}

/**
 * The TypeORM mapping of the same columns (entity metadata, typed finds in tests). The table
 * itself is made by the migrations; `uq_events_stream_version` refuses a second writer of a version.
 */
export const EventEntity = new EntitySchema<EventRow>({
  name: 'EventEntity',
  tableName: 'events',
  columns: EVENT_ROW,
  indices: [{ name: 'uq_events_stream_version', columns: ['streamId', 'version'], unique: true }],
});
