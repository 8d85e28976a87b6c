import { Table, type DataSource, type EntityManager } from 'typeorm';
import type { CallState } from '#domain';
import { LIVE_TABLE, viewValues, type ProjectionColumns } from '../call-view-rows.js';
import { insertRows, query } from '../sql.js';

export const REPLAY_TABLE = 'call_views_replay';

/**
 * (Re)creates the replay table with call_views' columns. It starts without a key or index, so the
 * bulk load appends instead of inserting at random places in a B-tree; indexReplayTable adds the
 * unique key afterwards (building an index from sorted keys is far cheaper).
 */
export async function createReplayTable(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  try {
    const live = await runner.getTable(LIVE_TABLE);
    if (!live) throw new Error(`table ${LIVE_TABLE} does not exist: run the migrations first`);
    await runner.dropTable(REPLAY_TABLE, true);
    const columns = live.columns.map((c) => {
      const column = c.clone();
      column.isPrimary = false;
      column.isUnique = false;
      return column;
    });
    await runner.createTable(new Table({ name: REPLAY_TABLE, columns }));
  } finally {
    await runner.release();
  }
}

/** The unique key on id, once the bulk load is done (fails loudly if a call was written twice). */
export async function indexReplayTable(manager: EntityManager, cols: ProjectionColumns): Promise<void> {
  await manager.query(`CREATE UNIQUE INDEX ${REPLAY_TABLE}_key ON ${REPLAY_TABLE} (${cols.key})`);
}

export async function dropReplayTable(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.dropTable(REPLAY_TABLE, true);
  } finally {
    await runner.release();
  }
}

/**
 * Writes replayed rows. `replace` deletes earlier rows of the same calls first (a call written
 * again, or any write once the table is keyed); otherwise the rows are appended.
 */
export async function writeReplayRows(manager: EntityManager, cols: ProjectionColumns, states: CallState[], replace: boolean): Promise<void> {
  if (states.length === 0) return;
  if (replace) {
    for (let i = 0; i < states.length; i += 500) {
      const ids = states.slice(i, i + 500).map((s) => s.id);
      await query(manager, `DELETE FROM ${REPLAY_TABLE} WHERE ${cols.key} IN (:...ids)`, { ids });
    }
  }
  await insertRows(manager, REPLAY_TABLE, cols.columns, viewValues(cols, states));
}

/** Replaces the live projection with the replayed one and drops the replay table (inside the caller's transaction). */
export async function swapIntoLive(manager: EntityManager, cols: ProjectionColumns): Promise<void> {
  const list = cols.columns.join(', ');
  // A copy rather than a rename keeps call_views' own indexes and constraints, as the migrations made them.
  await manager.query(`DELETE FROM ${LIVE_TABLE}`);
  await manager.query(`INSERT INTO ${LIVE_TABLE} (${list}) SELECT ${list} FROM ${REPLAY_TABLE}`);
  await manager.query(`DROP TABLE ${REPLAY_TABLE}`);
}
