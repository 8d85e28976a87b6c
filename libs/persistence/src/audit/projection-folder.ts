import { CALL_API_STREAM, CALL_EVENT_TYPES, evolve, initialState, isSeriesStream, isTerminal, type CallState } from '#domain';
import type { EventField, EventRow } from '../event-row.js';
import { toDomainEvent, upcastRow } from '../upcast-row.js';

/** The columns of an event that the projection needs (replay reads only these). */
export const FOLD_FIELDS = ['position', 'streamId', 'version', 'type', 'schemaVersion', 'data', 'occurredAt'] as const satisfies readonly EventField[];

export type FoldRow = Pick<EventRow, (typeof FOLD_FIELDS)[number]>;

export type StreamHistory = (streamId: string, beforePosition: number) => Promise<FoldRow[]>;

/** Something in the log the fold could not take as it stands (it still goes on). */
export interface Anomaly {
  position: number;
  streamId: string;
  message: string;
}

const KNOWN_TYPES: ReadonlySet<string> = new Set(CALL_EVENT_TYPES);
const MAX_ANOMALIES_KEPT = 20;

/**
 * Folds the log, in position order, into call states. Memory holds only calls that are not yet
 * terminal; a finished call's state moves to `dirty` until the caller writes its row. If a finished
 * call turns up again (a log this code did not write), its stream is re-read and folded afresh.
 */
export class ProjectionFolder {
  /** Rows to write: calls that finished, or (while catching up) every call touched. */
  readonly dirty = new Map<string, CallState>();
  /** Calls in `dirty` whose row may already have been written (their stream was folded again). */
  readonly rewritten = new Set<string>();
  readonly firstAnomalies: Anomaly[] = [];
  anomalies = 0;
  events = 0;
  private readonly open = new Map<string, CallState>();
  private markAllDirty = false;

  /** Number of calls held in memory (not terminal yet). */
  get openCalls(): number {
    return this.open.size;
  }

  /** Folds rows in position order; `history` reads a stream's events before a position (rarely needed). */
  async applyPage(rows: readonly FoldRow[], history: StreamHistory): Promise<void> {
    let next = this.applyKnown(rows, 0);
    while (next < rows.length) {
      // A stream seen before whose state is not in memory: fold its earlier events, then go on.
      const row = rows[next];
      this.open.set(row.streamId, await this.refold(row, history));
      next = this.applyKnown(rows, next);
    }
  }

  // The synchronous fast path: folds from `from` until a row needs its stream's history; returns its index.
  private applyKnown(rows: readonly FoldRow[], from: number): number {
    for (let i = from; i < rows.length; i++) {
      const row = rows[i];
      // The Call API's availability has no projection row (it is read from its stream); series
      // have their own projection (series-replay.ts).
      if (row.streamId === CALL_API_STREAM || isSeriesStream(row.streamId)) continue;
      let state = this.open.get(row.streamId);
      if (state === undefined) {
        if (row.version !== 1) return i;
        state = initialState(row.streamId);
      }
      this.events += 1;
      // Fold into the call's one state object: the copy evolve makes dies young instead of every
      // version of every open call being promoted to the old generation (peak RSS stays low).
      this.place(Object.assign(state, this.step(state, row, true)));
    }
    return rows.length;
  }

  /** End of the fold: every open call's row is due too (none was written yet). */
  flushOpen(): void {
    for (const [id, state] of this.open) this.dirty.set(id, state);
  }

  /** Every row is written now: from here on a touched call is dirty and replaces its row. */
  startCatchUp(): void {
    this.markAllDirty = true;
  }

  /** Hands over the rows to write and forgets them: `append` never written before, `replace` perhaps. */
  takeDirty(): { append: CallState[]; replace: CallState[] } {
    const append: CallState[] = [];
    const replace: CallState[] = [];
    for (const [id, state] of this.dirty) (this.markAllDirty || this.rewritten.has(id) ? replace : append).push(state);
    this.dirty.clear();
    this.rewritten.clear();
    return { append, replace };
  }

  private place(state: CallState): void {
    if (state.status !== 'new' && isTerminal(state.status)) {
      this.open.delete(state.id);
      this.dirty.set(state.id, state);
      return;
    }
    this.open.set(state.id, state);
    if (this.markAllDirty) this.dirty.set(state.id, state);
  }

  private step(state: CallState, row: FoldRow, report: boolean): CallState {
    if (report && row.version !== state.version + 1) {
      this.anomaly(row, `version ${row.version} follows version ${state.version}`);
    }
    if (!KNOWN_TYPES.has(row.type)) {
      if (report) this.anomaly(row, `unknown event type ${row.type}`);
      return { ...state, version: state.version + 1 };
    }
    try {
      const { data } = upcastRow(row.type, row.schemaVersion, JSON.parse(row.data) as Record<string, unknown>);
      return evolve(state, toDomainEvent({ type: row.type, data, occurredAt: row.occurredAt }));
    } catch (error) {
      if (report) this.anomaly(row, `cannot read the event: ${(error as Error).message}`);
      return { ...state, version: state.version + 1 };
    }
  }

  // The stream's state was flushed as terminal (or its start is missing): fold its earlier events again.
  private async refold(row: FoldRow, history: StreamHistory): Promise<CallState> {
    this.rewritten.add(row.streamId);
    let state = initialState(row.streamId);
    for (const earlier of await history(row.streamId, row.position)) state = this.step(state, earlier, false);
    return state;
  }

  private anomaly(row: FoldRow, message: string): void {
    this.anomalies += 1;
    if (this.firstAnomalies.length < MAX_ANOMALIES_KEPT) this.firstAnomalies.push({ position: row.position, streamId: row.streamId, message });
  }
}
