import type { Database } from './database.js';
import { query } from './sql.js';

export const LEASES_TABLE = 'call_leases';

// Leases and heartbeats are timed by the database's clock (PostgreSQL's clock_timestamp()), the one
// clock every instance shares: an instance whose own clock is off can neither keep a lease alive
// too long nor take one over too early. Stored as ISO-8601 text (varchar(32)), as the columns are.
const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
/** The database's "now", as stored ISO text. */
export const DB_NOW_ISO = `to_char(clock_timestamp() AT TIME ZONE 'UTC', ${ISO})`;
/** The database's "now" plus the named parameter's milliseconds, as stored ISO text. */
export const dbNowPlusIso = (param: string) => `to_char((clock_timestamp() + CAST(${param} AS bigint) * interval '1 millisecond') AT TIME ZONE 'UTC', ${ISO})`;

/** One instance of the service as the registry knows it. */
export interface InstanceRecord {
  id: string;
  host: string;
  pid: number;
  version: string;
  startedAt: string;
  heartbeatAt: string;
  inFlight: number;
  following: number;
}

/** An instance as the registry lists it: with how long ago its last heartbeat was, by the database's clock. */
export interface ListedInstance extends InstanceRecord {
  heartbeatAgeMs: number;
}

/**
 * The cluster's operational state on PostgreSQL (the instance registry, follow leases and the
 * shared dial window). Single statements outside the append lock: none of this is in the log.
 * SQLite has one instance and does not use it.
 */
export class ClusterRepository {
  constructor(private readonly db: Database) {}

  /** Registers or refreshes this instance (its heartbeat time is the database's); drops instances gone for `forgetAfterMs`. */
  async heartbeat(me: Omit<InstanceRecord, 'heartbeatAt'>, forgetAfterMs: number): Promise<void> {
    await this.db.read(async (m) => {
      await query(
        m,
        `INSERT INTO scheduler_instances (id, host, pid, version, started_at, heartbeat_at, in_flight, following)
         VALUES (:id, :host, :pid, :version, :startedAt, ${DB_NOW_ISO}, :inFlight, :following)
         ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at, in_flight = excluded.in_flight, following = excluded.following`,
        { id: me.id, host: me.host, pid: me.pid, version: me.version, startedAt: me.startedAt, inFlight: me.inFlight, following: me.following },
      );
      await query(m, `DELETE FROM scheduler_instances WHERE heartbeat_at < ${dbNowPlusIso(':offsetMs')}`, { offsetMs: -forgetAfterMs });
    });
  }

  instances(): Promise<ListedInstance[]> {
    return this.db.read(async (m) => {
      // Counts come back as text from some drivers: numbers made explicit.
      type Row = Omit<ListedInstance, 'pid' | 'inFlight' | 'following' | 'heartbeatAgeMs'> &
        Record<'pid' | 'inFlight' | 'following' | 'heartbeatAgeMs', number | string>;
      const rows = await query<Row>(
        m,
        `SELECT id, host, pid, version, started_at AS "startedAt", heartbeat_at AS "heartbeatAt", in_flight AS "inFlight", following,
                (extract(epoch FROM clock_timestamp() - heartbeat_at::timestamptz) * 1000)::bigint AS "heartbeatAgeMs"
         FROM scheduler_instances ORDER BY started_at`,
      );
      return rows.map((r) => ({
        ...r,
        pid: Number(r.pid),
        inFlight: Number(r.inFlight),
        following: Number(r.following),
        heartbeatAgeMs: Number(r.heartbeatAgeMs),
      }));
    });
  }

  /** Extends every lease `owner` holds by `leaseMs`; returns the calls it still holds (a lease taken over is not among them). */
  renewLeases(owner: string, leaseMs: number): Promise<string[]> {
    return this.callIds(`UPDATE ${LEASES_TABLE} SET expires_at = ${dbNowPlusIso(':leaseMs')} WHERE owner = :owner RETURNING call_id AS "callId"`, {
      owner,
      leaseMs,
    });
  }

  /** Takes over up to `limit` leases that ran out (their owner stopped renewing), skipping any another instance is taking. */
  takeExpiredLeases(owner: string, leaseMs: number, limit: number): Promise<string[]> {
    return this.callIds(
      `UPDATE ${LEASES_TABLE} SET owner = :owner, expires_at = ${dbNowPlusIso(':leaseMs')}
       WHERE call_id IN (SELECT call_id FROM ${LEASES_TABLE} WHERE expires_at < ${DB_NOW_ISO} ORDER BY expires_at LIMIT :limit FOR UPDATE SKIP LOCKED)
       RETURNING call_id AS "callId"`,
      { owner, leaseMs, limit },
    );
  }

  /** Gives up leases on calls this owner no longer follows (ended, or back to pending). */
  async releaseLeases(owner: string, callIds: readonly string[]): Promise<void> {
    if (callIds.length === 0) return;
    await this.db.read((m) => query(m, `DELETE FROM ${LEASES_TABLE} WHERE owner = :owner AND call_id IN (:...callIds)`, { owner, callIds }));
  }

  /**
   * A graceful stop: every lease `owner` holds runs out now, so the others take them over at their
   * next beat instead of a lease period later, and the instance leaves the registry.
   */
  async leave(owner: string): Promise<void> {
    await this.db.read(async (m) => {
      await query(m, `UPDATE ${LEASES_TABLE} SET expires_at = :past WHERE owner = :owner`, { owner, past: new Date(0).toISOString() });
      await query(m, 'DELETE FROM scheduler_instances WHERE id = :owner', { owner });
    });
  }

  /** Makes sure the dial window has `rate` slots (instances may start with different rates; each uses its first `rate`). */
  async prepareDialSlots(rate: number): Promise<void> {
    await this.db.read((m) =>
      query(m, 'INSERT INTO dial_slots (slot, taken_at) SELECT g, 0 FROM generate_series(1, :rate) AS g ON CONFLICT (slot) DO NOTHING', { rate }),
    );
  }

  /**
   * Takes a dial slot: at most `rate` dials in any `windowMs` across the cluster (a sliding window:
   * a slot is free again a full window after it was last taken; any free slot will do, so no sort
   * over the ring). Returns 0 when taken, else how
   * long to wait before asking again. The database's clock times it: one clock for every instance.
   */
  takeDialSlot(rate: number, windowMs: number): Promise<number> {
    return this.db.read(async (m) => {
      const taken = returned<{ slot: number }>(
        await query(
          m,
          `WITH clock AS (SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint AS ms),
         free AS (SELECT slot FROM dial_slots WHERE slot <= :rate AND taken_at <= (SELECT ms FROM clock) - :windowMs
                  LIMIT 1 FOR UPDATE SKIP LOCKED)
         UPDATE dial_slots SET taken_at = (SELECT ms FROM clock) WHERE slot IN (SELECT slot FROM free) RETURNING slot`,
          { rate, windowMs },
        ),
      );
      if (taken.length > 0) return 0;
      const [next] = await query<{ wait: string | number | null }>(
        m,
        `SELECT MIN(taken_at) + :windowMs - (extract(epoch FROM clock_timestamp()) * 1000)::bigint AS wait FROM dial_slots WHERE slot <= :rate`,
        { rate, windowMs },
      );
      // A slot that looked free but was being taken by another instance: ask again very soon.
      return Math.max(1, Number(next.wait ?? 1));
    });
  }

  private callIds(sql: string, params: Record<string, unknown>): Promise<string[]> {
    return this.db.read(async (m) => returned<{ callId: string }>(await query(m, sql, params)).map((r) => r.callId));
  }
}

/** The rows of UPDATE … RETURNING: TypeORM's PostgreSQL driver answers [rows, count] for UPDATE and DELETE. */
function returned<T>(result: unknown[]): T[] {
  return (Array.isArray(result[0]) ? result[0] : result) as T[];
}
