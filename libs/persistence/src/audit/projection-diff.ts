import type { EntityManager } from 'typeorm';
import { LIVE_TABLE, type ProjectionColumns } from '../call-view-rows.js';
import { REPLAY_TABLE } from './replay-table.js';
import { query } from '../sql.js';

/** One call whose live row is not what the log says it should be. */
export interface RowDifference {
  id: string;
  // missing: the log has the call, call_views does not; extra: the other way round.
  kind: 'different' | 'missing' | 'extra';
  columns?: { column: string; live: unknown; replayed: unknown }[];
}

export interface ProjectionDiff {
  replayedRows: number;
  liveRows: number;
  count: number;
  first: RowDifference[];
}

type Row = Record<string, unknown>;

/**
 * Compares the replayed table with call_views row by row, inside the database: a join on the
 * primary key with a null-safe inequality per column, so only differing rows come back.
 * Counts every difference and returns the first `keep` of each kind, in id order.
 */
export async function compareProjections(manager: EntityManager, cols: ProjectionColumns, keep: number): Promise<ProjectionDiff> {
  const k = cols.key;
  // Null-safe inequality in portable SQL (IS DISTINCT FROM is not in SQLite): values differ, or
  // exactly one side is NULL. (a <> b is NULL when either is; the second test catches that case.)
  const differs = cols.columns.map((c) => `(l.${c} <> r.${c} OR (l.${c} IS NULL) <> (r.${c} IS NULL))`).join(' OR ');
  const changedRows = `FROM ${REPLAY_TABLE} r LEFT JOIN ${LIVE_TABLE} l ON l.${k} = r.${k} WHERE l.${k} IS NULL OR ${differs}`;
  const orphanRows = `FROM ${LIVE_TABLE} l WHERE NOT EXISTS (SELECT 1 FROM ${REPLAY_TABLE} r WHERE r.${k} = l.${k})`;

  // One pass over the join counts everything; orphans are the live rows no replayed row matched.
  const [counts] = await query<Record<string, number | string | null>>(
    manager,
    `SELECT COUNT(*) AS "replayed", COUNT(l.${k}) AS "matched", SUM(CASE WHEN l.${k} IS NULL OR ${differs} THEN 1 ELSE 0 END) AS "changed" ` +
      `FROM ${REPLAY_TABLE} r LEFT JOIN ${LIVE_TABLE} l ON l.${k} = r.${k}`,
  );
  const [{ live }] = await query<{ live: number | string }>(manager, `SELECT COUNT(*) AS "live" FROM ${LIVE_TABLE}`);
  const changed = Number(counts.changed ?? 0);
  const orphans = Number(live) - Number(counts.matched);
  const first: RowDifference[] = [];
  if (changed > 0) {
    const select = cols.columns.flatMap((c) => [`r.${c} AS "r_${c}"`, `l.${c} AS "l_${c}"`]).join(', ');
    const rows = await query<Row>(manager, `SELECT ${select}, l.${k} AS "l__key" ${changedRows} ORDER BY r.${k} LIMIT :keep`, { keep });
    for (const row of rows) first.push(describe(row, cols));
  }
  if (orphans > 0) {
    const rows = await query<{ id: string }>(manager, `SELECT l.${k} AS "id" ${orphanRows} ORDER BY l.${k} LIMIT :keep`, { keep });
    for (const row of rows.slice(0, Math.max(0, keep - first.length))) first.push({ id: row.id, kind: 'extra' });
  }
  return {
    replayedRows: Number(counts.replayed),
    liveRows: Number(live),
    count: changed + orphans,
    first,
  };
}

function describe(row: Row, cols: ProjectionColumns): RowDifference {
  const id = row[`r_${cols.key}`] as string;
  if (row.l__key === null || row.l__key === undefined) return { id, kind: 'missing' };
  const columns = cols.columns
    .filter((c) => !sameValue(row[`l_${c}`], row[`r_${c}`]))
    .map((c) => ({ column: c, live: row[`l_${c}`] ?? null, replayed: row[`r_${c}`] ?? null }));
  return { id, kind: 'different', columns };
}

// Engines hand back numbers as number or text (PostgreSQL bigint); null and undefined are alike.
function sameValue(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined) return b === null || b === undefined;
  if (b === null || b === undefined) return false;
  return a === b || (isScalar(a) && isScalar(b) && String(a) === String(b));
}

// Every projection column is text or an integer: the only values an engine hands back for them.
function isScalar(value: unknown): value is string | number | bigint | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean';
}
