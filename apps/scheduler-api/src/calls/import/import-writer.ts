import { Injectable } from '@nestjs/common';
import { evolve, initialState, type CallEvent, type ImportError, type ImportPreviewRow } from '#domain';
import { CallViewRepository, EventStore, IdempotencyKeyTakenError, type AppendRequest, type EventMetadata } from '#persistence';

// Appends per write transaction: large enough that commits stop dominating, small enough that the
// dispatcher's own appends never wait long for the append lock.
const BATCH_SIZE = 500;
// References looked up per query (well under every engine's bound-parameter limit).
const LOOKUP_SIZE = 500;

/** A row that passed every check: its decided CallScheduled, waiting to be written. */
export interface Accepted {
  row: number;
  reference: string;
  requestHash: string;
  callId: string;
  event: CallEvent;
  preview?: ImportPreviewRow;
}

export interface ReadResult {
  rows: number;
  accepted: Accepted[];
  existing: number;
  errors: ImportError[];
  preview: ImportPreviewRow[];
}

/** The database side of an import: which references are recorded already, and the batched writes. */
@Injectable()
export class ImportWriter {
  constructor(
    private readonly views: CallViewRepository,
    private readonly store: EventStore,
  ) {}

  /**
   * Takes out of `candidates` (and `read.accepted`) the rows whose reference is already recorded:
   * the same values are a repeat (existing), other values an error on the reference.
   */
  async dropRecorded(read: ReadResult, candidates: readonly Accepted[]): Promise<Set<Accepted>> {
    const recorded = new Set<Accepted>();
    for (let i = 0; i < candidates.length; i += LOOKUP_SIZE) {
      const chunk = candidates.slice(i, i + LOOKUP_SIZE);
      const keys = await this.views.findIdempotencyKeys(chunk.map((a) => a.reference));
      for (const accepted of chunk) {
        const key = keys.get(accepted.reference);
        if (!key) continue;
        recorded.add(accepted);
        if (key.requestHash === accepted.requestHash) {
          read.existing += 1;
          if (accepted.preview) accepted.preview.outcome = 'existing';
        } else {
          const message = `reference ${accepted.reference} was imported or scheduled before with other values (call ${key.callId})`;
          read.errors.push({ row: accepted.row, field: 'reference', message });
          if (accepted.preview) Object.assign(accepted.preview, { outcome: 'error', error: message });
        }
      }
    }
    if (recorded.size > 0) read.accepted = read.accepted.filter((a) => !recorded.has(a));
    return recorded;
  }

  /**
   * Writes the accepted rows, BATCH_SIZE appends per transaction (EventStore.appendAll: each in
   * its own savepoint); answers how many calls were created.
   */
  async write(read: ReadResult, metadata: EventMetadata): Promise<number> {
    const rows = read.accepted;
    let created = 0;
    for (let i = 0; i < rows.length; i += BATCH_SIZE) {
      const batch = rows.slice(i, i + BATCH_SIZE);
      const outcomes = await this.store.appendAll(batch.map((a) => appendRequest(a, metadata)));
      const taken: Accepted[] = [];
      outcomes.forEach((outcome, k) => {
        if (outcome.ok) created += 1;
        // A POST with this reference committed since the look-up: the row is now a repeat (or a clash).
        else if (outcome.error instanceof IdempotencyKeyTakenError) taken.push(batch[k]);
        else throw outcome.error;
      });
      if (taken.length > 0) await this.dropRecorded(read, taken);
    }
    return created;
  }
}

function appendRequest(accepted: Accepted, metadata: EventMetadata): AppendRequest {
  const state = evolve(initialState(accepted.callId), accepted.event);
  return {
    streamId: accepted.callId,
    expectedVersion: 0,
    events: [accepted.event],
    options: { metadata, state, idempotency: { key: accepted.reference, requestHash: accepted.requestHash } },
  };
}
