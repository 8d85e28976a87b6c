import type { EntityManager } from 'typeorm';
import { evolveSeries, initialSeriesState, SERIES_EVENT_TYPES, SERIES_STREAM_PREFIX, type SeriesState } from '#domain';
import { SeriesViewEntity } from '../entities/series-view.entity.js';
import { toSeriesRow, upsertSeriesRows } from '../series.repository.js';
import { query } from '../sql.js';
import { toSeriesEvent, upcastRow } from '../upcast-row.js';

/** The series projection against the log: rows rebuilt from the series streams, compared with series_views. */
export interface SeriesReplayReport {
  events: number;
  replayedRows: number;
  liveRows: number;
  differences: number;
  // Ids of the first differing series, with the columns that differ.
  firstDifferences: { id: string; kind: 'different' | 'missing' | 'extra'; columns?: string[] }[];
  applied: boolean;
}

interface SeriesRow {
  streamId: string;
  type: string;
  schemaVersion: number | string;
  data: string;
  occurredAt: string;
}

const KNOWN: ReadonlySet<string> = new Set(SERIES_EVENT_TYPES);

/**
 * Folds every series stream and compares the result with series_views; with `apply`, replaces the
 * rows that differ. Runs inside the caller's transaction (replay's), so the log and the table are
 * of one moment: a series' row is written in the transaction of its events. Folded per stream in
 * version order, so events not yet given a position (PostgreSQL seals them after commit) count too. Series are few (an operator makes them), so all are in memory.
 */
export async function replaySeries(m: EntityManager, apply: boolean, show: number): Promise<SeriesReplayReport> {
  const rows = await query<SeriesRow>(
    m,
    `SELECT stream_id AS "streamId", type, schema_version AS "schemaVersion", data, occurred_at AS "occurredAt" FROM events WHERE stream_id LIKE :prefix ORDER BY stream_id, version`,
    { prefix: `${SERIES_STREAM_PREFIX}%` },
  );
  const states = new Map<string, SeriesState>();
  for (const row of rows) {
    const id = row.streamId.slice(SERIES_STREAM_PREFIX.length);
    const state = states.get(id) ?? initialSeriesState(id);
    if (!KNOWN.has(row.type)) {
      states.set(id, { ...state, version: state.version + 1 });
      continue;
    }
    const { data } = upcastRow(row.type, Number(row.schemaVersion), JSON.parse(row.data) as Record<string, unknown>);
    states.set(id, evolveSeries(state, toSeriesEvent({ type: row.type, data, occurredAt: row.occurredAt })));
  }
  const replayed = [...states.values()].filter((s) => s.status !== 'new');
  const live = new Map((await m.find(SeriesViewEntity)).map((row) => [row.id, row]));
  const liveRows = live.size;
  const differing: SeriesState[] = [];
  const firstDifferences: SeriesReplayReport['firstDifferences'] = [];
  const note = (entry: SeriesReplayReport['firstDifferences'][number]) => firstDifferences.length < show && firstDifferences.push(entry);
  for (const state of replayed) {
    const expected = toSeriesRow(state);
    const actual = live.get(state.id);
    live.delete(state.id);
    if (!actual) {
      differing.push(state);
      note({ id: state.id, kind: 'missing' });
      continue;
    }
    const columns = (Object.keys(expected) as (keyof SeriesViewEntity)[]).filter((k) => (expected[k] ?? null) !== (actual[k] ?? null));
    if (columns.length === 0) continue;
    differing.push(state);
    note({ id: state.id, kind: 'different', columns });
  }
  for (const id of live.keys()) note({ id, kind: 'extra' });
  const differences = differing.length + live.size;
  if (apply && differences > 0) {
    if (live.size > 0) await m.delete(SeriesViewEntity, [...live.keys()]);
    await upsertSeriesRows(m, differing);
  }
  return {
    events: rows.length,
    replayedRows: replayed.length,
    liveRows,
    differences,
    firstDifferences,
    applied: apply && differences > 0,
  };
}
