import type { EntityManager } from 'typeorm';
import type { Database } from '../database.js';
import type { FoldRow } from './projection-folder.js';
import { query } from './sql.js';

const FOLD_SELECT =
  'position, stream_id AS "streamId", version, type, schema_version AS "schemaVersion", data, occurred_at AS "occurredAt"';

/** The events in (after, upTo], oldest first, at most `limit`: only the columns the projection needs. */
export async function readEvents(m: EntityManager, after: number, upTo: number, limit: number): Promise<FoldRow[]> {
  const rows = await query<FoldRow>(m, `SELECT ${FOLD_SELECT} FROM events WHERE position > :after AND position <= :upTo ORDER BY position LIMIT :limit`, {
    after,
    upTo,
    limit,
  });
  return normalise(rows);
}

/** One stream's events before `before`, oldest first. */
export async function readStream(m: EntityManager, streamId: string, before: number): Promise<FoldRow[]> {
  const rows = await query<FoldRow>(m, `SELECT ${FOLD_SELECT} FROM events WHERE stream_id = :streamId AND position < :before ORDER BY position`, {
    streamId,
    before,
  });
  return normalise(rows);
}

// PostgreSQL returns bigint as text.
function normalise(rows: FoldRow[]): FoldRow[] {
  for (const row of rows) {
    row.position = Number(row.position);
    row.version = Number(row.version);
    row.schemaVersion = Number(row.schemaVersion);
  }
  return rows;
}

/** Pages of the log in (after, upTo], read on this thread. */
export async function* pagesInThread(db: Database, after: number, upTo: number, pageSize: number): AsyncGenerator<FoldRow[]> {
  for (;;) {
    const page = await db.read((m) => readEvents(m, after, upTo, pageSize));
    if (page.length > 0) yield page;
    if (page.length < pageSize) return;
    after = page[page.length - 1].position;
  }
}
