import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Database } from '../database.js';
import { normaliseRawRow, RAW_EVENT_SELECT, type RawEventRow } from './raw-event.js';
import { query } from './sql.js';

export interface PageOptions {
  after?: number;
  pageSize?: number;
  // Inside the API: give the event loop a turn between pages (better-sqlite3 blocks while it reads).
  yieldBetweenPages?: boolean;
  // Inside the API: run each page's read through this (a shared rotation of long reads, see
  // LongReadGate), instead of reading on demand.
  turn?: <T>(read: () => Promise<T>) => Promise<T>;
}

/**
 * The raw log in position order, one page at a time (keyset on position, so memory stays flat and
 * each page is an index range scan). Each page is one Database.read: it takes turns with writers.
 */
export async function* rawEventPages(db: Database, options: PageOptions = {}): AsyncGenerator<RawEventRow[]> {
  const pageSize = options.pageSize ?? 5000;
  const turn = options.turn ?? ((read) => read());
  let after = options.after ?? 0;
  for (;;) {
    const page = await turn(() =>
      db.read((m) =>
        query<RawEventRow>(m, `SELECT ${RAW_EVENT_SELECT} FROM events WHERE position > :after ORDER BY position LIMIT :limit`, {
          after,
          limit: pageSize,
        }),
      ),
    );
    for (const row of page) normaliseRawRow(row);
    if (page.length > 0) yield page;
    if (page.length < pageSize) return;
    after = page[page.length - 1].position;
    if (options.yieldBetweenPages) await nextTurn();
  }
}

/** The highest position in the log (0 when empty). */
export async function lastPosition(db: Database): Promise<number> {
  const [row] = await db.read((m) => query<{ last: number | string | null }>(m, 'SELECT MAX(position) AS "last" FROM events'));
  return Number(row?.last ?? 0);
}
