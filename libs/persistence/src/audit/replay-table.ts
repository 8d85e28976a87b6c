import { Table, type DataSource, type EntityManager } from 'typeorm';
import type { CallState } from '../../../domain/src/index.js';
import { CallViewEntity } from '../entities/call-view.entity.js';
import { toCallViewRow } from '../event-store.js';
import { insertRows } from './sql.js';

export const LIVE_TABLE = 'call_views';
export const REPLAY_TABLE = 'call_views_replay';

/** The projection's columns as the entity maps them: property name ↔ column name. */
export interface ProjectionColumns {
  properties: string[];
  columns: string[];
  key: string;
}

export function projectionColumns(dataSource: DataSource): ProjectionColumns {
  const meta = dataSource.getMetadata(CallViewEntity);
  return {
    properties: meta.columns.map((c) => c.propertyName),
    columns: meta.columns.map((c) => c.databaseName),
    key: meta.primaryColumns[0].databaseName,
  };
}

/** (Re)creates the replay table with call_views' columns and primary key; no secondary indexes, so the bulk load stays fast. */
export async function createReplayTable(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  try {
    const live = await runner.getTable(LIVE_TABLE);
    if (!live) throw new Error(`table ${LIVE_TABLE} does not exist: run the migrations first`);
    await runner.dropTable(REPLAY_TABLE, true);
    await runner.createTable(new Table({ name: REPLAY_TABLE, columns: live.columns.map((c) => c.clone()) }));
  } finally {
    await runner.release();
  }
}

export async function dropReplayTable(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.dropTable(REPLAY_TABLE, true);
  } finally {
    await runner.release();
  }
}

/** Upserts the projection rows of these calls into `table` (a call flushed early may be written again). */
export function upsertViewRows(manager: EntityManager, table: string, cols: ProjectionColumns, states: Iterable<CallState>): Promise<void> {
  const rows: unknown[][] = [];
  for (const state of states) {
    const row = toCallViewRow(state) as unknown as Record<string, unknown>;
    rows.push(cols.properties.map((p) => row[p] ?? null));
  }
  return insertRows(manager, table, cols.columns, rows, { key: cols.key, update: cols.columns.filter((c) => c !== cols.key) });
}

export function writeReplayRows(manager: EntityManager, cols: ProjectionColumns, states: Iterable<CallState>): Promise<void> {
  return upsertViewRows(manager, REPLAY_TABLE, cols, states);
}

/** Replaces the live projection with the replayed one and drops the replay table (inside the caller's transaction). */
export async function swapIntoLive(manager: EntityManager, cols: ProjectionColumns): Promise<void> {
  const list = cols.columns.join(', ');
  // A copy rather than a rename keeps call_views' own indexes and constraints, as the migrations made them.
  await manager.query(`DELETE FROM ${LIVE_TABLE}`);
  await manager.query(`INSERT INTO ${LIVE_TABLE} (${list}) SELECT ${list} FROM ${REPLAY_TABLE}`);
  await manager.query(`DROP TABLE ${REPLAY_TABLE}`);
}
