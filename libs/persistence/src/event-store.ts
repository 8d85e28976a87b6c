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
import { CallViewEntity } from './entities/call-view.entity.js';
import { EventEntity } from './entities/event.entity.js';
import { IdempotencyKeyEntity } from './entities/idempotency-key.entity.js';
import type { Database } from './database.js';
import { IdempotencyKeyTakenError } from './errors.js';
import { EventSql } from './event-sql.js';
import { chainHash, GENESIS_HASH } from './hash-chain.js';
import { upcastRow } from './upcast-row.js';

/** Who did it and why: stored with every event for the audit trail. */
export interface EventMetadata {
  actor: string;
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

export class EventStore {
  readonly changes$ = new Subject<CallChange>();

  private readonly sql: EventSql;

  constructor(private readonly db: Database) {
    this.sql = new EventSql(db.dialect.param);
  }

  /**
   * Appends events to a stream if it is still at `expectedVersion`, updates the call projection
   * and chains each row's hash, all in one transaction. Throws ConcurrencyError if another
   * writer got there first.
   */
  async append(streamId: string, expectedVersion: number, events: readonly (CallEvent | CallApiEvent)[], options: AppendOptions): Promise<StoredEvent[]> {
    if (events.length === 0) return [];
    const eventIds = options.eventIds ?? events.map(() => randomUUID());
    const stored = await this.db.write(async (manager) => {
      // Only a retry can carry ids that are already stored; fresh ids skip the look-up.
      if (options.eventIds) {
        const retried = await manager.find(EventEntity, { where: eventIds.map((eventId) => ({ eventId })) });
        if (retried.length === events.length) return retried.sort((a, b) => a.position - b.position);
      }

      // No version read: UNIQUE(stream_id, version) refuses version expectedVersion+1 if another
      // writer appended since the caller read the stream.
      const head = await this.sql.head(manager);
      let position = head?.position ?? 0;
      let prevHash = head?.hash ?? GENESIS_HASH;
      const metadata = JSON.stringify(options.metadata);
      const rows = events.map((event, i) => {
        position += 1;
        const row = {
          position,
          eventId: eventIds[i],
          streamId,
          version: expectedVersion + i + 1,
          type: event.type,
          data: JSON.stringify(event.data),
          metadata,
          occurredAt: event.occurredAt,
          schemaVersion: SCHEMA_VERSIONS[event.type],
          prevHash,
          hash: '',
        };
        row.hash = chainHash(prevHash, row);
        prevHash = row.hash;
        return row;
      });
      try {
        await this.sql.insertEvents(manager, rows);
      } catch (error) {
        if (this.db.dialect.isUniqueViolation(error)) throw new ConcurrencyError(streamId, expectedVersion);
        throw error;
      }
      if (options.state) await this.sql.upsertView(manager, toCallViewRow(options.state));
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
      return rows as EventEntity[];
    });
    const result = stored.map(toStoredEvent);
    if (options.state) {
      const call = toCallView(options.state);
      for (const event of result) this.changes$.next({ position: event.position, event: stripChain(event), call });
    }
    return result;
  }

  readStream(streamId: string): Promise<StoredEvent[]> {
    return this.db.read(async (manager) => (await this.sql.readStream(manager, streamId)).map(toStoredEvent));
  }

  /** The global log after `afterPosition`, oldest first. */
  readAll(afterPosition: number, limit: number): Promise<StoredEvent[]> {
    return this.db.read(async (manager) => (await this.sql.readAll(manager, afterPosition, limit)).map(toStoredEvent));
  }

  /** Every event in position order, fetched in pages so memory stays flat on a long log. */
  async *streamAll(afterPosition = 0, pageSize = 2000): AsyncGenerator<StoredEvent> {
    let after = afterPosition;
    for (;;) {
      const page = await this.readAll(after, pageSize);
      yield* page;
      if (page.length < pageSize) return;
      after = page[page.length - 1].position;
    }
  }

  /** The last event of a stream and its version (null for a stream with no events). */
  readLast(streamId: string): Promise<StoredEvent | null> {
    return this.db.read(async (manager) => {
      const row = await this.sql.readLast(manager, streamId);
      return row ? toStoredEvent(row) : null;
    });
  }

  lastPosition(): Promise<number> {
    return this.db.read(async (manager) => (await this.sql.head(manager))?.position ?? 0);
  }
}

export function toStoredEvent(row: EventEntity): StoredEvent {
  const upcast = upcastRow(row.type, row.schemaVersion, JSON.parse(row.data) as Record<string, unknown>);
  return {
    position: Number(row.position),
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

function stripChain(event: StoredEvent): StoredEventView {
  const { eventId: _id, prevHash: _prev, hash: _hash, ...view } = event;
  return view;
}

export function toCallViewRow(state: CallState): CallViewEntity {
  const { nextAttemptAt, ...view } = toCallView(state);
  return { ...view, dueAt: nextAttemptAt };
}
