import { CALL_EVENT_TYPES, evolve, initialState, isTerminal, type CallEvent, type CallState, type CallStatus } from '../../../domain/src/index.js';
import { upcastRow } from '../upcast-row.js';

/** The columns of an event that the projection needs. */
export interface FoldRow {
  position: number;
  streamId: string;
  version: number;
  type: string;
  schemaVersion: number;
  data: string;
  occurredAt: string;
}

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
    for (const row of rows) {
      let state = this.open.get(row.streamId);
      if (state === undefined) state = row.version === 1 ? initialState(row.streamId) : await this.refold(row, history);
      this.events += 1;
      this.place(this.step(state, row, true));
    }
  }

  /** Moves every open call into `dirty` (end of the fold) and from now on marks every touched call dirty (catch-up). */
  flushOpen(): void {
    for (const [id, state] of this.open) this.dirty.set(id, state);
    this.markAllDirty = true;
  }

  /** Hands over the rows to write and forgets them. */
  takeDirty(): CallState[] {
    const states = [...this.dirty.values()];
    this.dirty.clear();
    return states;
  }

  private place(state: CallState): void {
    if (state.status !== 'new' && isTerminal(state.status as CallStatus)) {
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
      return evolve(state, { type: row.type, data, occurredAt: row.occurredAt } as unknown as CallEvent);
    } catch (error) {
      if (report) this.anomaly(row, `cannot read the event: ${(error as Error).message}`);
      return { ...state, version: state.version + 1 };
    }
  }

  // The stream's state was flushed as terminal (or its start is missing): fold its earlier events again.
  private async refold(row: FoldRow, history: StreamHistory): Promise<CallState> {
    let state = initialState(row.streamId);
    for (const earlier of await history(row.streamId, row.position)) state = this.step(state, earlier, false);
    return state;
  }

  private anomaly(row: FoldRow, message: string): void {
    this.anomalies += 1;
    if (this.firstAnomalies.length < MAX_ANOMALIES_KEPT) this.firstAnomalies.push({ position: row.position, streamId: row.streamId, message });
  }
}
