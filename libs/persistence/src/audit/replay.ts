import type { EntityManager } from 'typeorm';
import type { Database } from '../database.js';
import { eventPages, lastPosition, readEventsAfter, readStreamBefore } from '../event-log.js';
import { sealWithin } from '../log-sealer.js';
import { compareProjections, type RowDifference } from './projection-diff.js';
import { FOLD_FIELDS, ProjectionFolder, type Anomaly, type StreamHistory } from './projection-folder.js';
import { projectionColumns, type ProjectionColumns } from '../call-view-rows.js';
import { replaySeries, type SeriesReplayReport } from './series-replay.js';
import { createReplayTable, indexReplayTable, REPLAY_TABLE, swapIntoLive, writeReplayRows } from './replay-table.js';

export interface ReplayOptions {
  // Replace call_views with the replayed rows (one transaction) when they differ.
  apply?: boolean;
  // How many differences and anomalies to list (all are counted).
  show?: number;
  pageSize?: number;
  batchSize?: number;
  // Leave call_views_replay in place after a dry run, for inspection.
  keepTable?: boolean;

  onProgress?: (progress: ReplayProgress) => void;
}

export interface ReplayProgress {
  phase: 'fold' | 'compare';
  events: number;
  totalEvents: number;
  openCalls: number;
  eventsPerSecond: number;
}

export interface ReplayReport {
  events: number;
  headPosition: number;
  replayedRows: number;
  liveRows: number;
  differences: number;
  firstDifferences: RowDifference[];
  anomalies: number;
  firstAnomalies: Anomaly[];
  applied: boolean;
  // The series projection (series_views), checked and applied in the same transaction.
  series: SeriesReplayReport;
  seconds: number;
  foldSeconds: number;
  eventsPerSecond: number;
}

/**
 * Rebuilds the call projection from the log into a fresh table, compares it with call_views row by
 * row and, with `apply`, swaps it in. Reads the log in pages and keeps only unfinished calls in
 * memory. The comparison (and the swap) run while appends are held back (Dialect.holdAppends), after
 * sealing and catching up with events appended meanwhile, so a running service does not show up as differences.
 */
export async function replayProjection(db: Database, options: ReplayOptions = {}): Promise<ReplayReport> {
  const started = performance.now();
  const show = options.show ?? 20;
  const pageSize = options.pageSize ?? 10_000;
  const batchSize = options.batchSize ?? 5_000;
  const cols = projectionColumns(db.dataSource);
  await createReplayTable(db.dataSource);

  const folder = new ProjectionFolder();
  const headAtStart = await lastPosition(db);
  let replayed = 0;
  const progress = (phase: ReplayProgress['phase']) =>
    options.onProgress?.({
      phase,
      events: folder.events,
      totalEvents: Math.max(headAtStart, replayed),
      openCalls: folder.openCalls,
      eventsPerSecond: Math.round(folder.events / ((performance.now() - started) / 1000)),
    });

  // 1. Fold the log up to the head seen at the start, flushing finished calls in batches.
  for await (const page of eventPages(db, { upTo: headAtStart, pageSize, fields: FOLD_FIELDS })) {
    await folder.applyPage(page, (streamId, before) => db.read((m) => history(m)(streamId, before)));
    replayed = page[page.length - 1].position;
    if (folder.dirty.size >= batchSize) await db.write((m) => writeDirty(m, cols, folder));
    progress('fold');
  }
  folder.flushOpen();
  await db.write(async (m) => {
    await writeDirty(m, cols, folder);
    await indexReplayTable(m, cols);
  });
  folder.startCatchUp();
  const foldSeconds = (performance.now() - started) / 1000;

  // With appends held back and everything committed sealed: fold what was appended since, so
  // replayed and live rows are of one moment.
  const catchUp = async (m: EntityManager) => {
    await db.dialect.holdAppends(m);
    await sealWithin(m, db);
    for (;;) {
      const page = await readEventsAfter(m, replayed, pageSize, { fields: FOLD_FIELDS });
      if (page.length === 0) break;
      await folder.applyPage(page, history(m));
      replayed = page[page.length - 1].position;
    }
    await writeDirty(m, cols, folder);
  };

  // 2. Compare in one statement and, with `apply`, swap in the replayed rows: one transaction.
  const diff = await db.write(async (m) => {
    // Swapping rewrites every call_views row. A batched claim locks its rows (FOR UPDATE) before it
    // appends, the opposite order to this transaction (appends held, then rows): take the claims'
    // lock first, as every claim does, so the two wait for each other instead of deadlocking.
    if (options.apply) await db.dialect.lockClaims(m);
    await catchUp(m);
    progress('compare');
    const result = await compareProjections(m, cols, show);
    if (options.apply && result.count > 0) await swapIntoLive(m, cols);
    return { ...result, series: await replaySeries(m, Boolean(options.apply), show) };
  });
  const applied = Boolean(options.apply) && diff.count > 0;
  if (!applied && !options.keepTable) await db.write((m) => m.query(`DROP TABLE IF EXISTS ${REPLAY_TABLE}`));

  const seconds = (performance.now() - started) / 1000;
  return {
    events: folder.events,
    headPosition: replayed,
    replayedRows: diff.replayedRows,
    liveRows: diff.liveRows,
    differences: diff.count,
    firstDifferences: diff.first,
    anomalies: folder.anomalies,
    firstAnomalies: folder.firstAnomalies,
    applied,
    series: diff.series,
    seconds,
    foldSeconds,
    eventsPerSecond: seconds > 0 ? Math.round(folder.events / seconds) : 0,
  };
}

/** A stream's earlier events, for a fold that meets a stream it already flushed. */
function history(m: EntityManager): StreamHistory {
  return (streamId, before) => readStreamBefore(m, streamId, before, FOLD_FIELDS);
}

async function writeDirty(m: EntityManager, cols: ProjectionColumns, folder: ProjectionFolder): Promise<void> {
  const { append, replace } = folder.takeDirty();
  await writeReplayRows(m, cols, replace, true);
  await writeReplayRows(m, cols, append, false);
}
