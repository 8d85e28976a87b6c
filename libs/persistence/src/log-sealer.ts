import { Subject } from 'rxjs';
import type { EntityManager } from 'typeorm';
import type { Database } from './database.js';
import { DatabaseUnavailableError } from './errors.js';
import { decodeEventRow, DRAFT_FIELDS, eventSelect, type EventRow } from './event-row.js';
import { readEventsById, readHead, type EventDraft } from './event-log.js';
import { chainHash, GENESIS_HASH } from './hash-chain.js';
import { query } from './sql.js';

/*
 * The sealer (PostgreSQL): appends commit concurrently with `position`, `prev_hash` and `hash`
 * NULL (no cluster-wide lock while a request's transaction runs); a sealing pass then gives the
 * committed, unsealed rows the next positions and chains their hashes, in `seq` (insertion) order,
 * in one short transaction under the cluster-wide seal lock (one pass at a time in the cluster).
 *
 * Why this is safe:
 * - Gapless, and never a late position: a pass only sees committed rows (READ COMMITTED; each
 *   statement's snapshot is taken after the lock is granted, so it also sees everything the previous
 *   pass sealed). Positions are handed out only to rows that exist for good, so a rolled-back or
 *   still-running append leaves no hole and can never commit "below" a reader that already moved
 *   on: a follower of `position > N` misses nothing. Stores that number at insert from a sequence
 *   must guard readers against numbers that commit out of order: Marten's async daemon waits at
 *   a "high-water mark" below in-flight sequence numbers (and has skipped events when that
 *   detection raced, marten discussion #4953, fixed in 9.16.1); Emmett stores the transaction id
 *   (xid8) and reads only below pg_snapshot_xmin(pg_current_snapshot()); message-db's bigserial
 *   global_position leaves readers to cope. Numbering after commit needs no horizon at all.
 * - Per-stream order: version v+1 of a stream is only ever written after v committed (a writer
 *   reads the stream, sees v, appends v+1; UNIQUE(stream_id, version) refuses anything else; a
 *   multi-event append inserts its versions in order in one transaction). So seq(v) < seq(v+1),
 *   and any snapshot that sees v+1 sees v: v is sealed before, or in the same pass ahead of, v+1.
 * - The chain: each pass reads the head (position, hash) under the lock and extends it; the rows'
 *   stored text is what is hashed, exactly as readers will verify it.
 * - Crashes: a row committed by an instance that died before sealing it is sealed by the next
 *   pass anywhere in the cluster (every append runs one; the app's seal sweep runs one every second).
 * - The only UPDATE the events table accepts is this one, NULL → value, once (the migration's trigger).
 * Cost: the seal lock is held for one batch (read head, read ≤ 1000 rows, one UPDATE, commit): the
 * cluster's ceiling is seal passes, not request transactions, and one pass seals every row
 * committed since the last one.
 */

/** Where the sealer put one row. */
export interface Seal {
  position: number;
  prevHash: string;
  hash: string;
}

/** What one pass sealed (by event id) and the head it left. */
export interface SealPass {
  sealed: Map<string, Seal>;
  head: number;
}

const BATCH = 1000;
// SELECT of the drafts' fields in insertion order.
const UNSEALED = `SELECT ${eventSelect(DRAFT_FIELDS)} FROM events WHERE position IS NULL ORDER BY seq LIMIT :limit`;

/**
 * Seals everything committed so far inside the caller's transaction, which keeps the seal lock to
 * its commit (replay, which holds appends back meanwhile: see Dialect.holdAppends).
 */
export async function sealWithin(m: EntityManager, db: Database): Promise<void> {
  if (db.dialect.placesAtInsert) return;
  const sealed = new Map<string, Seal>();
  while ((await sealBatch(m, db, sealed)).more) sealed.clear();
}

/** One batch: the next positions and hashes for the oldest committed unsealed rows. */
async function sealBatch(m: EntityManager, db: Database, sealed: Map<string, Seal>): Promise<{ head: number; more: boolean }> {
  await db.dialect.lockSealing(m);
  const head = (await readHead(m)) ?? { position: 0, hash: GENESIS_HASH };
  const rows = (await query<EventDraft>(m, UNSEALED, { limit: BATCH })).map(decodeEventRow);
  if (rows.length === 0) return { head: head.position, more: false };
  let { position, hash: prevHash } = head;
  const values: unknown[] = [];
  const tuples: string[] = [];
  for (const row of rows) {
    position += 1;
    const hash = chainHash(prevHash, { ...row, position });
    sealed.set(row.eventId, { position, prevHash, hash });
    const n = values.push(row.eventId, position, prevHash, hash);
    tuples.push(
      `(CAST(${db.dialect.param(n - 3)} AS varchar), CAST(${db.dialect.param(n - 2)} AS bigint), CAST(${db.dialect.param(n - 1)} AS varchar), CAST(${db.dialect.param(n)} AS varchar))`,
    );
    prevHash = hash;
  }
  await m.query(
    `UPDATE events SET position = v.position, prev_hash = v.prev_hash, hash = v.hash FROM (VALUES ${tuples.join(', ')}) AS v(event_id, position, prev_hash, hash) WHERE events.event_id = v.event_id`,
    values,
  );
  await db.dialect.notifyHead(m, position);
  return { head: position, more: rows.length === BATCH };
}

/**
 * Runs sealing passes for this process, coalesced: at most one pass in flight, and everyone who
 * asks while one runs shares the single pass that starts after it (which sees their commits).
 */
export class LogSealer {
  /** The head after each pass of this process that sealed something (the live feed and dispatcher wake on it). */
  readonly sealed$ = new Subject<number>();
  private current: Promise<SealPass> | null = null;
  private next: Promise<SealPass> | null = null;
  // What this process's last two passes sealed.
  private recent: [Map<string, Seal>, Map<string, Seal>] = [new Map<string, Seal>(), new Map<string, Seal>()];

  constructor(private readonly db: Database) {}

  /** A pass that starts after this call: it seals every row committed before it, by anyone. */
  pass(): Promise<SealPass> {
    if (!this.current) {
      this.current = this.run().finally(() => {
        this.current = null;
      });
      return this.current;
    }
    this.next ??= this.current
      .catch(() => undefined)
      .then(() => {
        this.next = null;
        return this.pass();
      });
    return this.next;
  }

  /** These committed drafts with their positions and hashes, once sealed (by this process or another). */
  async placed(drafts: readonly EventDraft[]): Promise<EventRow[]> {
    await this.passThroughOutage();
    // Usually sealed by the pass awaited, or by the one before it (which may have started just after the commit).
    const ours = (id: string) => this.recent[1].get(id) ?? this.recent[0].get(id);
    const missing = drafts.filter((d) => !ours(d.eventId));
    // Sealed by another instance's pass (or by one of ours before those two).
    const found = new Map<string, EventRow>();
    if (missing.length > 0) {
      const ids = missing.map((d) => d.eventId);
      for (const row of await this.db.read((m) => readEventsById(m, ids))) found.set(row.eventId, row);
    }
    return drafts.map((draft) => {
      const seal = ours(draft.eventId) ?? found.get(draft.eventId);
      if (!seal?.position) throw new Error(`event ${draft.eventId} is committed but not sealed after a full sealing pass`);
      return { ...draft, position: seal.position, prevHash: seal.prevHash, hash: seal.hash };
    });
  }

  /**
   * The drafts are committed: the append has happened and its caller must hear so, not an error it
   * would take for a failed write (a dispatcher would think its claim lost). So when the database
   * goes away between the commit and the seal, keep trying (backing off) until it is back.
   */
  private async passThroughOutage(): Promise<void> {
    for (let delay = 100; ; delay = Math.min(delay * 2, 2000)) {
      try {
        await this.pass();
        return;
      } catch (error) {
        if (!(error instanceof DatabaseUnavailableError)) throw error;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private async run(): Promise<SealPass> {
    const sealed = new Map<string, Seal>();
    let head = 0;
    for (let more = true; more;) ({ head, more } = await this.db.write((m) => sealBatch(m, this.db, sealed)));
    if (sealed.size > 0) {
      this.recent = [this.recent[1], sealed];
      this.sealed$.next(head);
    }
    return { sealed, head };
  }
}
