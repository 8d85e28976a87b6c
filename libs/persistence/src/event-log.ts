import { setImmediate as nextTurn } from 'node:timers/promises';
import type { EntityManager } from 'typeorm';
import type { Database } from './database.js';
import { dialectFor } from './dialect.js';
import { decodeEventRow, DRAFT_FIELDS, EVENT_COLUMNS, eventColumns, eventRowValues, eventSelect, type EventField, type EventRow } from './event-row.js';
import { chainHash, GENESIS_HASH } from './hash-chain.js';
import { insertRows, query } from './sql.js';

// The one reader and the writers of the events table. Every path that reads the log in order
// (EventStore.readAll/streamAll behind the live feed and /api/events, export, verify, replay)
// pages through readEventsAfter, which sees sealed rows only (`position > after` is never true
// for an unsealed row's NULL). Rows get their position and hash in one place each: appendEventRows
// (SQLite appends, the test-data generator) or the sealer (log-sealer.ts, PostgreSQL appends).

/** The newest row: where the next append chains on. */
export interface LogHead {
  position: number;
  hash: string;
}

/** A row before it is placed in the log: appendEventRows or the sealer gives it a position and chains its hash. */
export type EventDraft = Omit<EventRow, 'position' | 'prevHash' | 'hash'>;

export interface ReadAfterOptions<F extends EventField> {
  // Stop at this position (inclusive): a fold reads up to the head it saw when it started.
  upTo?: number;
  // Only these columns (the projection fold skips the chain and metadata).
  fields?: readonly F[];
}

const ALL_FIELDS = eventSelect();

async function selectEvents<F extends EventField>(
  m: EntityManager,
  tail: string,
  params: Record<string, unknown>,
  fields?: readonly F[],
): Promise<Pick<EventRow, F>[]> {
  const rows = await query<Pick<EventRow, F>>(m, `SELECT ${fields ? eventSelect(fields) : ALL_FIELDS} FROM events ${tail}`, params);
  return rows.map(decodeEventRow);
}

/** The log after `after`, oldest first, at most `limit` rows: keyset on position, an index range scan. */
export function readEventsAfter<F extends EventField = EventField>(
  m: EntityManager,
  after: number,
  limit: number,
  options: ReadAfterOptions<F> = {},
): Promise<Pick<EventRow, F>[]> {
  const range = options.upTo === undefined ? 'position > :after' : 'position > :after AND position <= :upTo';
  return selectEvents(m, `WHERE ${range} ORDER BY position LIMIT :limit`, { after, upTo: options.upTo, limit }, options.fields);
}

/** One stream in version order (how a decider loads it). */
export function readStreamEvents(m: EntityManager, streamId: string): Promise<EventRow[]> {
  return selectEvents(m, 'WHERE stream_id = :streamId ORDER BY version', { streamId });
}

/** One stream's newest row. */
export async function readLastOfStream(m: EntityManager, streamId: string): Promise<EventRow | null> {
  const rows = await selectEvents(m, 'WHERE stream_id = :streamId ORDER BY version DESC LIMIT 1', { streamId });
  return rows.at(0) ?? null;
}

/** One stream's rows before a position, in log order (a fold re-reading a stream it already passed). */
export function readStreamBefore<F extends EventField>(
  m: EntityManager,
  streamId: string,
  before: number,
  fields?: readonly F[],
): Promise<Pick<EventRow, F>[]> {
  return selectEvents(m, 'WHERE stream_id = :streamId AND position < :before ORDER BY position', { streamId, before }, fields);
}

/**
 * Rows by event id (a retried append finding what its first try stored; an append finding where
 * another instance's sealer put its rows). On PostgreSQL a row may still be unsealed: position,
 * prevHash and hash are then null.
 */
export function readEventsById(m: EntityManager, eventIds: readonly string[]): Promise<EventRow[]> {
  return selectEvents(m, 'WHERE event_id IN (:...eventIds) ORDER BY stream_id, version', { eventIds });
}

/** The newest sealed row. */
export async function readHead(m: EntityManager): Promise<LogHead | null> {
  const rows = await selectEvents(m, 'WHERE position IS NOT NULL ORDER BY position DESC LIMIT 1', {}, ['position', 'hash']);
  return rows.at(0) ?? null;
}

/** The highest position in the log (0 when empty). */
export async function lastPosition(db: Database): Promise<number> {
  return (await db.read(readHead))?.position ?? 0;
}

export interface PageOptions<F extends EventField = EventField> extends ReadAfterOptions<F> {
  after?: number;
  pageSize?: number;
  // Inside the API: give the event loop a turn between pages (better-sqlite3 blocks while it reads).
  yieldBetweenPages?: boolean;
  // Inside the API: run each page's read through this (a shared rotation of long reads, see
  // LongReadGate), instead of reading on demand.
  turn?: <T>(read: () => Promise<T>) => Promise<T>;
}

/**
 * The log in position order, one non-empty page at a time, so memory stays flat on a long log.
 * Each page is one Database.read: it takes turns with writers.
 */
export async function* eventPages<F extends EventField = EventField>(db: Database, options: PageOptions<F> = {}): AsyncGenerator<Pick<EventRow, F>[]> {
  const pageSize = options.pageSize ?? 5000;
  const turn = options.turn ?? ((read) => read());
  let after = options.after ?? 0;
  for (;;) {
    const page = await turn(() => db.read((m) => readEventsAfter<F | 'position'>(m, after, pageSize, options)));
    if (page.length > 0) yield page;
    if (page.length < pageSize) return;
    after = page[page.length - 1].position;
    if (options.yieldBetweenPages) await nextTurn();
  }
}

/**
 * Places drafts at the head of the log: consecutive positions, each hash chained to the row before.
 * Runs inside Database.write. SQLite: the write lock keeps the head still. PostgreSQL (the test-data
 * generator only; appends go through insertUnsealedRows): the seal lock does, until commit.
 */
export async function appendEventRows(m: EntityManager, drafts: readonly EventDraft[]): Promise<EventRow[]> {
  await dialectFor(m.dataSource.options.type).lockSealing(m);
  const head = await readHead(m);
  let position = head?.position ?? 0;
  let prevHash = head?.hash ?? GENESIS_HASH;
  const rows = drafts.map((draft): EventRow => {
    position += 1;
    const row = { ...draft, position, prevHash, hash: '' };
    row.hash = chainHash(prevHash, row);
    prevHash = row.hash;
    return row;
  });
  await insertRows(m, 'events', EVENT_COLUMNS, rows.map(eventRowValues));
  return rows;
}

/**
 * PostgreSQL appends: the rows without position or hash; the sealer places them after the commit
 * (log-sealer.ts). UNIQUE(stream_id, version) still refuses a stale writer here, at insert.
 */
export async function insertUnsealedRows(m: EntityManager, drafts: readonly EventDraft[]): Promise<void> {
  await insertRows(
    m,
    'events',
    eventColumns(DRAFT_FIELDS),
    drafts.map((draft) => DRAFT_FIELDS.map((field) => draft[field])),
  );
}
