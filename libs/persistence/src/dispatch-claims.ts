import { newId } from './ids.js';
import { evolve, foldEvents, type CallEvent, type CallState } from '#domain';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from './database.js';
import { DatabaseUnavailableError } from './errors.js';
import { readEventsById, readStreamsEvents } from './event-log.js';
import type { EventMetadata, EventStore, StoredEvent } from './event-store.js';
import { toStoredEvent } from './event-store.js';
import { toDomainEvent } from './upcast-row.js';
import { LEASES_TABLE, dbNowPlusIso } from './cluster.repository.js';
import { query } from './sql.js';

export interface ClaimOptions {
  now: Date;
  // At most this many calls (what this instance may start: free dial slots, rate tokens).
  limit: number;
  // Several instances: at most this many calls `dispatching` across all of them (DISPATCH_CONCURRENCY).
  clusterConcurrency?: number;
  // Several instances: each started call is leased to this owner until then, in the same transaction.
  // PostgreSQL only (a cluster): the lease runs `ms` from the database's clock.
  lease?: { owner: string; ms: number };
  metadata: EventMetadata;
  /** The decision for one due call (pure: the caller passes its clock reading and random draw). */
  decide(state: CallState, dueAt: string): readonly CallEvent[];
}

export interface ClaimedCall {
  state: CallState;
  events: StoredEvent[];
}

export interface ClaimResult {
  calls: ClaimedCall[];
  // The cluster-wide concurrency left no room: nothing could be claimed however many were due.
  capped: boolean;
}

/**
 * Claims due calls in batches: one write transaction selects up to `limit` due pending calls
 * (PostgreSQL: `FOR UPDATE SKIP LOCKED`, so instances take disjoint batches and never wait on each
 * other's rows), decides each (CallDispatchStarted, or CallMissed past its deadline) and appends
 * the decisions (EventStore.transact: each in its own savepoint), then publishes them after the
 * commit. One round of the claim lock per batch instead of one contested append per call.
 */
export class DispatchClaims {
  constructor(
    private readonly db: Database,
    private readonly store: EventStore,
  ) {}

  async claim(options: ClaimOptions): Promise<ClaimResult> {
    // Each call's event ids, chosen here: if the database goes away around the COMMIT, the reply
    // is lost but the claim may have committed, and these ids find out which calls it started.
    const attempts = new Map<string, { eventIds: string[]; next: CallState }>();
    try {
      return await this.claimOnce(options, attempts);
    } catch (error) {
      if (!(error instanceof DatabaseUnavailableError) || attempts.size === 0) throw error;
      return { calls: await this.committed(attempts), capped: false };
    }
  }

  /**
   * The claim's reply was lost: waits for the database (backing off, up to about a minute), then
   * returns the calls whose CallDispatchStarted did commit, so they are dialled instead of aging
   * into "outcome unknown" without ever being dialled. Calls it did not commit stay pending.
   */
  private async committed(attempts: Map<string, { eventIds: string[]; next: CallState }>): Promise<ClaimedCall[]> {
    const ids = [...attempts.values()].flatMap((a) => a.eventIds);
    for (let delay = 200, waited = 0; ; waited += delay, delay = Math.min(delay * 2, 5000)) {
      try {
        const rows = await this.db.read((m) => readEventsById(m, ids));
        const byCall = new Map<string, StoredEvent[]>();
        for (const row of rows) byCall.set(row.streamId, [...(byCall.get(row.streamId) ?? []), toStoredEvent(row)]);
        return [...byCall].map(([id, events]) => ({ state: (attempts.get(id) as { next: CallState }).next, events }));
      } catch (error) {
        if (!(error instanceof DatabaseUnavailableError) || waited > 60_000) throw error;
        await sleep(delay);
      }
    }
  }

  private async claimOnce(options: ClaimOptions, attempts: Map<string, { eventIds: string[]; next: CallState }>): Promise<ClaimResult> {
    const { value, outcomes } = await this.store.transact(async (tx) => {
      const m = tx.manager;
      await this.db.dialect.lockClaims(m);
      let limit = options.limit;
      if (options.clusterConcurrency !== undefined) {
        const [row] = await query<{ n: string | number }>(m, `SELECT COUNT(*) AS n FROM call_views WHERE status = 'dispatching'`);
        limit = Math.min(limit, options.clusterConcurrency - Number(row.n));
      }
      if (limit <= 0) return { capped: true, states: [] };
      const due = await query<{ id: string; dueAt: string }>(
        m,
        `SELECT id, due_at AS "dueAt" FROM call_views WHERE status = 'pending' AND due_at <= :now ORDER BY due_at, id LIMIT :limit${this.db.dialect.skipLocked}`,
        { now: options.now.toISOString(), limit },
      );
      const streams = await readStreamsEvents(
        m,
        due.map((d) => d.id),
      );
      const states: CallState[] = [];
      for (const { id, dueAt } of due) {
        const history = (streams.get(id) ?? []).map(toStoredEvent);
        const state = foldEvents(id, history.map(toDomainEvent));
        const events = options.decide(state, dueAt);
        if (events.length === 0) continue;
        const next = events.reduce(evolve, state);
        const metadata = { causationId: history.at(-1)?.eventId, ...options.metadata };
        // In its own savepoint: a call changed meanwhile (an operator) fails alone, not the batch.
        const eventIds = events.map(() => newId());
        attempts.set(id, { eventIds, next });
        const appended = await tx.append({
          streamId: id,
          expectedVersion: state.version,
          events,
          options: { metadata, state: next, eventIds, eventIdsAreNew: true },
        });
        states.push(appended.ok ? next : state);
      }
      const leased = states.filter((s) => s.status === 'dispatching').map((s) => s.id);
      if (options.lease && leased.length > 0) {
        // The claimer owns the attempt: if it dies, its lease runs out and another instance resolves it.
        await query(
          m,
          `INSERT INTO ${LEASES_TABLE} (call_id, owner, expires_at) SELECT id, :owner, ${dbNowPlusIso(':leaseMs')} FROM call_views WHERE id IN (:...ids)
           ON CONFLICT (call_id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at`,
          { owner: options.lease.owner, leaseMs: options.lease.ms, ids: leased },
        );
      }
      return { capped: false, states };
    });
    const calls: ClaimedCall[] = [];
    outcomes.forEach((outcome, i) => {
      if (outcome.ok) calls.push({ state: value.states[i], events: outcome.events });
    });
    return { calls, capped: value.capped };
  }
}
