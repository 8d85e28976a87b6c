import { randomUUID } from 'node:crypto';
import { Subject } from 'rxjs';
import type { EntityManager } from 'typeorm';
import {
  ConcurrencyError,
  SCHEMA_VERSIONS,
  toCallView,
  type CallApiEvent,
  type CallEvent,
  type CallState,
  type CallView,
  type StoredEventView,
} from '../../domain/src/index.js';
import { LIVE_TABLE, projectionColumns, upsertViewRows, type ProjectionColumns } from './call-view-rows.js';
import { IdempotencyKeyEntity } from './entities/idempotency-key.entity.js';
import type { Database } from './database.js';
import { IdempotencyKeyTakenError } from './errors.js';
import { appendEventRows, eventPages, readEventsAfter, readEventsById, readHead, readLastOfStream, readStreamEvents } from './event-log.js';
import type { EventRow } from './event-row.js';
import { upcastRow } from './upcast-row.js';

/** Who did it and why: stored with every event for the audit trail. */
export interface EventMetadata {
  // Who did it: the API key's name (or a service component such as the dispatcher).
  actor: string;
  // Whom the actor says they acted for (X-Actor): a note, not an identity.
  onBehalfOf?: string;
  correlationId?: string;
  causationId?: string;
  requestId?: string;
}

export interface StoredEvent extends StoredEventView {
  eventId: string;
  prevHash: string;
  hash: string;
}

/** One projection change, published after its transaction commits (live feed, dispatcher). */
export interface CallChange {
  position: number;
  event: StoredEventView;
  call: CallView;
}

export interface AppendOptions {
  metadata: EventMetadata;
  // The call's state after these events: the projection row is written from it in the same transaction.
  // Absent for streams that are not calls (the Call API's availability), which have no row.
  state?: CallState;
  idempotency?: { key: string; requestHash: string };
  // Pass the ids of a previous try to make a retried append harmless.
  eventIds?: string[];
}

/** One append: what `append` takes, as one value (for callers that batch appends in a transaction). */
export interface AppendRequest {
  streamId: string;
  expectedVersion: number;
  events: readonly (CallEvent | CallApiEvent)[];
  options: AppendOptions;
}

export class EventStore {
  readonly changes$ = new Subject<CallChange>();

  private columns: ProjectionColumns | undefined;

  constructor(private readonly db: Database) {}

  /**
   * Appends events to a stream if it is still at `expectedVersion`, updates the call projection
   * and chains each row's hash, all in one transaction. Throws ConcurrencyError if another
   * writer got there first.
   */
  async append(streamId: string, expectedVersion: number, events: readonly (CallEvent | CallApiEvent)[], options: AppendOptions): Promise<StoredEvent[]> {
    if (events.length === 0) return [];
    const request: AppendRequest = { streamId, expectedVersion, events, options };
    const stored = await this.db.write((manager) => this.appendInTransaction(manager, request));
    return this.published(request, stored);
  }

  /**
   * The part of an append that runs inside a write transaction the caller holds: events, projection
   * row and idempotency key. Callers that batch several appends into one transaction (claims,
   * group commit) call it once per request, then `published` after the commit.
   */
  async appendInTransaction(manager: EntityManager, request: AppendRequest): Promise<EventRow[]> {
    const { streamId, expectedVersion, events, options } = request;
    const eventIds = options.eventIds ?? events.map(() => randomUUID());
    // Only a retry can carry ids that are already stored; fresh ids skip the look-up.
    if (options.eventIds) {
      const retried = await readEventsById(manager, eventIds);
      if (retried.length === events.length) return retried;
    }

    // No version read: UNIQUE(stream_id, version) refuses version expectedVersion+1 if another
    // writer appended since the caller read the stream.
    const metadata = JSON.stringify(options.metadata);
    const drafts = events.map((event, i) => ({
      eventId: eventIds[i],
      streamId,
      version: expectedVersion + i + 1,
      type: event.type,
      schemaVersion: SCHEMA_VERSIONS[event.type],
      data: JSON.stringify(event.data),
      metadata,
      occurredAt: event.occurredAt,
    }));
    let rows: EventRow[];
    try {
      rows = await appendEventRows(manager, drafts);
    } catch (error) {
      if (this.db.dialect.isUniqueViolation(error)) throw new ConcurrencyError(streamId, expectedVersion);
      throw error;
    }
    if (options.state) {
      this.columns ??= projectionColumns(this.db.dataSource);
      await upsertViewRows(manager, LIVE_TABLE, this.columns, [options.state]);
    }
    if (options.idempotency) {
      const { key, requestHash } = options.idempotency;
      try {
        await manager.insert(IdempotencyKeyEntity, { key, callId: streamId, requestHash, createdAt: events[0].occurredAt });
      } catch (error) {
        // A concurrent request with the same key committed first: the caller answers with its call.
        if (this.db.dialect.isUniqueViolation(error)) throw new IdempotencyKeyTakenError(key);
        throw error;
      }
    }
    return rows;
  }

  /** After the commit: the stored events, and each one published as a change (live feed, dispatcher). */
  published(request: AppendRequest, stored: readonly EventRow[]): StoredEvent[] {
    const result = stored.map(toStoredEvent);
    const { state } = request.options;
    if (state) {
      const call = toCallView(state);
      for (const event of result) this.changes$.next({ position: event.position, event: toEventView(event), call });
    }
    return result;
  }

  readStream(streamId: string): Promise<StoredEvent[]> {
    return this.db.read(async (manager) => (await readStreamEvents(manager, streamId)).map(toStoredEvent));
  }

  /** The global log after `afterPosition`, oldest first. */
  readAll(afterPosition: number, limit: number): Promise<StoredEvent[]> {
    return this.db.read(async (manager) => (await readEventsAfter(manager, afterPosition, limit)).map(toStoredEvent));
  }

  /** Every event in position order, fetched in pages so memory stays flat on a long log. */
  async *streamAll(afterPosition = 0, pageSize = 2000): AsyncGenerator<StoredEvent> {
    for await (const page of eventPages(this.db, { after: afterPosition, pageSize })) yield* page.map(toStoredEvent);
  }

  /** The last event of a stream and its version (null for a stream with no events). */
  readLast(streamId: string): Promise<StoredEvent | null> {
    return this.db.read(async (manager) => {
      const row = await readLastOfStream(manager, streamId);
      return row ? toStoredEvent(row) : null;
    });
  }

  lastPosition(): Promise<number> {
    return this.db.read(async (manager) => (await readHead(manager))?.position ?? 0);
  }
}

export function toStoredEvent(row: EventRow): StoredEvent {
  const upcast = upcastRow(row.type, row.schemaVersion, JSON.parse(row.data) as Record<string, unknown>);
  return {
    position: row.position,
    eventId: row.eventId,
    streamId: row.streamId,
    version: row.version,
    type: row.type,
    data: upcast.data,
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    occurredAt: row.occurredAt,
    schemaVersion: upcast.schemaVersion,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

/** The domain event an upcast stored row stands for. */
export function toDomainEvent(event: StoredEventView): CallEvent {
  return { type: event.type, data: event.data, occurredAt: event.occurredAt } as unknown as CallEvent;
}

/** The stored event as the API shows it (live feed, SSE replay): without the chain fields. */
export function toEventView(event: StoredEventView & { eventId?: string; prevHash?: string; hash?: string }): StoredEventView {
  const { eventId: _id, prevHash: _prev, hash: _hash, ...view } = event;
  return view;
}
