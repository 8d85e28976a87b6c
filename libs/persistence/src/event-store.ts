import { newId } from './ids.js';
import { Subject, type Observable } from 'rxjs';
import type { EntityManager } from 'typeorm';
import { ConcurrencyError, SCHEMA_VERSIONS, toCallView, type CallState, type CallView, type LogEvent, type StoredEventView } from '#domain';
import { LIVE_TABLE, projectionColumns, upsertViewRows, type ProjectionColumns } from './call-view-rows.js';
import { IdempotencyKeyEntity } from './entities/idempotency-key.entity.js';
import { inSavepoint, type Database } from './database.js';
import type { SealLag } from './dialect.js';
import { IdempotencyKeyTakenError } from './errors.js';
import {
  appendEventRows,
  eventPages,
  insertUnsealedRows,
  readEventsAfter,
  readEventsById,
  readHead,
  readLastOfStream,
  readStreamEvents,
  type EventDraft,
} from './event-log.js';
import type { EventRow } from './event-row.js';
import { LogSealer } from './log-sealer.js';
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
  // The ids above are a first try's, chosen by the caller so that a lost reply can be looked up
  // afterwards (see DispatchClaims): nothing can be stored under them yet, so no look-up.
  eventIdsAreNew?: boolean;
}

/** One append: what `append` takes, as one value (for callers that batch appends in a transaction). */
export interface AppendRequest {
  streamId: string;
  expectedVersion: number;
  events: readonly LogEvent[];
  options: AppendOptions;
}

/**
 * What an append wrote in its transaction: rows already placed in the log (SQLite), or rows the
 * sealer places after the commit (PostgreSQL). `EventStore.settle` turns either into placed rows.
 */
export type WrittenRows = { placed: EventRow[] } | { unsealed: EventDraft[] };

/** One append of a batch: its stored events, or why it was refused (ConcurrencyError, IdempotencyKeyTakenError…). */
export type AppendOutcome = { ok: true; events: StoredEvent[] } | { ok: false; error: unknown };

/** The write transaction `EventStore.transact` hands its caller. */
export interface AppendTransaction {
  /** The transaction's manager, for the caller's own statements (e.g. SELECT … FOR UPDATE SKIP LOCKED). */
  readonly manager: EntityManager;
  /**
   * One append in its own savepoint: if it is refused (a stale version, a taken idempotency key)
   * only it is undone, the transaction goes on, and the refusal comes back as `{ ok: false }`.
   */
  append(request: AppendRequest): Promise<{ ok: true } | { ok: false; error: unknown }>;
}

export class EventStore {
  readonly changes$ = new Subject<CallChange>();

  private columns: ProjectionColumns | undefined;
  private readonly sealer: LogSealer;
  private readonly headAdvanced = new Subject<number>();

  constructor(private readonly db: Database) {
    this.sealer = new LogSealer(db);
    this.sealer.sealed$.subscribe(this.headAdvanced);
  }

  /**
   * "The log now reaches position N", for appends made by this process (after each commit on
   * SQLite, after each sealing pass of this process on PostgreSQL; other instances' appends come
   * through LogAdvances). Wakes the live feed.
   */
  get logAdvanced$(): Observable<number> {
    return this.headAdvanced.asObservable();
  }

  /**
   * Appends events to a stream if it is still at `expectedVersion`, updates the call projection
   * and chains each row's hash, all in one transaction. Throws ConcurrencyError if another
   * writer got there first. Resolves once the events are committed and have their positions.
   */
  async append(streamId: string, expectedVersion: number, events: readonly LogEvent[], options: AppendOptions): Promise<StoredEvent[]> {
    if (events.length === 0) return [];
    const request: AppendRequest = { streamId, expectedVersion, events, options };
    const written = await this.db.write((manager) => this.appendInTransaction(manager, request));
    const [stored] = await this.settle([written]);
    return this.published(request, stored);
  }

  /**
   * Several appends in ONE transaction, each in its own savepoint: one refused append fails only
   * itself. Each outcome in request order; the stored ones are published after the commit.
   */
  async appendAll(requests: readonly AppendRequest[]): Promise<AppendOutcome[]> {
    const { outcomes } = await this.transact(async (tx) => {
      for (const request of requests) await tx.append(request);
    });
    return outcomes;
  }

  /**
   * Runs `fn` inside one write transaction (for batched dispatch claims: lock rows, then append
   * per claimed call through `tx.append`). Resolves after the commit, once every successful append
   * is placed in the log and published, with `fn`'s value and one outcome per `tx.append` call,
   * in call order. If `fn` throws, nothing of it is stored and `transact` rejects with its error.
   * On SQLite this transaction may be shared with concurrent writes (group commit).
   */
  async transact<T>(fn: (tx: AppendTransaction) => Promise<T>): Promise<{ value: T; outcomes: AppendOutcome[] }> {
    let attempts: { request: AppendRequest; written: WrittenRows | null; error?: unknown }[] = [];
    const value = await this.db.write(async (manager) => {
      attempts = [];
      return fn({
        manager,
        append: async (request) => {
          const outcome = await inSavepoint(manager, (m) => this.appendInTransaction(m, request));
          attempts.push(outcome.ok ? { request, written: outcome.value } : { request, written: null, error: outcome.error });
          return outcome.ok ? { ok: true } : { ok: false, error: outcome.error };
        },
      });
    });
    const settled = await this.settle(attempts.flatMap((a) => (a.written ? [a.written] : [])));
    let next = 0;
    const outcomes = attempts.map((a): AppendOutcome =>
      a.written ? { ok: true, events: this.published(a.request, settled[next++]) } : { ok: false, error: a.error },
    );
    return { value, outcomes };
  }

  /**
   * Rows an append wrote, placed in the log: as they are (SQLite), or once a sealing pass that
   * started after the commit has run (PostgreSQL: one pass for all of them, shared with every
   * other append of this process that committed meanwhile).
   */
  async settle(written: readonly WrittenRows[]): Promise<EventRow[][]> {
    const unsealed = written.flatMap((w) => ('unsealed' in w ? w.unsealed : []));
    const placed = unsealed.length > 0 ? await this.sealer.placed(unsealed) : [];
    let next = 0;
    return written.map((w) => ('placed' in w ? w.placed : placed.slice(next, (next += w.unsealed.length))));
  }

  /** Runs one sealing pass now (PostgreSQL): the app's sweep seals rows whose instance died before sealing them. */
  async seal(): Promise<number> {
    if (this.db.dialect.placesAtInsert) return 0;
    return (await this.sealer.pass()).sealed.size;
  }

  /**
   * The part of an append that runs inside a write transaction the caller holds: events, projection
   * row and idempotency key. Callers that batch several appends into one transaction use
   * `transact` (which calls this in a savepoint per append, then `settle` and `published`).
   */
  async appendInTransaction(manager: EntityManager, request: AppendRequest): Promise<WrittenRows> {
    const { streamId, expectedVersion, events, options } = request;
    const eventIds = options.eventIds ?? events.map(() => newId());
    // Only a retry can carry ids that are already stored; fresh ids skip the look-up.
    if (options.eventIds && !options.eventIdsAreNew) {
      const retried = await readEventsById(manager, eventIds);
      // On PostgreSQL the first try may have committed and died before its rows were sealed.
      if (retried.length === events.length) return retried.every((r) => r.position) ? { placed: retried } : { unsealed: retried };
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
    let written: WrittenRows;
    try {
      written = this.db.dialect.placesAtInsert
        ? { placed: await appendEventRows(manager, drafts) }
        : (await insertUnsealedRows(manager, drafts), { unsealed: drafts });
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
    return written;
  }

  /** After the commit, with positions: the stored events, and each one published as a change (live feed, dispatcher). */
  published(request: AppendRequest, stored: readonly EventRow[]): StoredEvent[] {
    const result = stored.map(toStoredEvent);
    const { state } = request.options;
    if (state) {
      const call = toCallView(state);
      for (const event of result) this.changes$.next({ position: event.position, event: toEventView(event), call });
    }
    // SQLite: this process's commits are the log's only changes (PostgreSQL: the sealer says so).
    if (this.db.dialect.placesAtInsert && result.length > 0) this.headAdvanced.next(result[result.length - 1].position);
    return result;
  }

  /** A stream in version order; on PostgreSQL rows committed but not yet sealed are sealed first, so every event has its position. */
  async readStream(streamId: string): Promise<StoredEvent[]> {
    const read = () => this.db.read((manager) => readStreamEvents(manager, streamId));
    let rows = await read();
    if (rows.some((row) => !row.position)) {
      await this.sealer.pass();
      rows = await read();
    }
    return rows.map(toStoredEvent);
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
  async readLast(streamId: string): Promise<StoredEvent | null> {
    const read = () => this.db.read((manager) => readLastOfStream(manager, streamId));
    let row = await read();
    if (row && !row.position) {
      await this.sealer.pass();
      row = await read();
    }
    return row ? toStoredEvent(row) : null;
  }

  /** Committed events the sealer has not placed yet, and the oldest one's age (PostgreSQL; none on SQLite). */
  sealLag(): Promise<SealLag> {
    return this.db.read((manager) => this.db.dialect.sealLag(manager));
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

/** The stored event as the API shows it (live feed, SSE replay): without the chain fields. */
export function toEventView(event: StoredEventView & { eventId?: string; prevHash?: string; hash?: string }): StoredEventView {
  const { eventId: _id, prevHash: _prev, hash: _hash, ...view } = event;
  return view;
}
