import type { DataSource, EntityManager } from 'typeorm';
import { toCallView, type CallState } from '#domain';
import { CallViewEntity } from './entities/call-view.entity.js';
import { insertRows } from './sql.js';

// The one writer of projection rows: the event store upserts a call's row in its append
// transaction, replay writes the rebuilt table, the test-data generator fills call_views.

export const LIVE_TABLE = 'call_views';

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

export function toCallViewRow(state: CallState): CallViewEntity {
  const { nextAttemptAt, ...view } = toCallView(state);
  return { ...view, dueAt: nextAttemptAt };
}

/** Upserts the projection rows of these calls into `table` (keyed on id). */
export function upsertViewRows(manager: EntityManager, table: string, cols: ProjectionColumns, states: Iterable<CallState>): Promise<void> {
  return insertRows(manager, table, cols.columns, viewValues(cols, states), { key: cols.key, update: cols.columns.filter((c) => c !== cols.key) });
}

/** The rows of these calls as INSERT values in `cols` order. */
export function viewValues(cols: ProjectionColumns, states: Iterable<CallState>): unknown[][] {
  const rows: unknown[][] = [];
  for (const state of states) {
    const row = toCallViewRow(state) as unknown as Record<string, unknown>;
    rows.push(cols.properties.map((p) => row[p] ?? null));
  }
  return rows;
}
