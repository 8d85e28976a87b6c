import { Subject } from 'rxjs';
import type { EntityManager } from 'typeorm';
import type { Database } from './database.js';
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
 *   on: a follower of `position > N` misses nothing. This is why no xmin / in-flight horizon is
 *   needed here, unlike stores that number at insert (Marten's high-water mark, message-db's
 *   global_position, Emmett's transaction-id checks): numbering happens after commit.
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
    const { sealed } = await this.pass();
    const missing = drafts.filter((d) => !sealed.has(d.eventId));
    // Sealed by another instance's pass (or by one of ours that ran before this one).
    const found =
      missing.length > 0
        ? new Map(
            (
              await this.db.read((m) =>
                readEventsById(
                  m,
                  missing.map((d) => d.eventId),
                ),
              )
            ).map((r) => [r.eventId, r]),
          )
        : new Map<string, EventRow>();
    return drafts.map((draft) => {
      const seal = sealed.get(draft.eventId) ?? found.get(draft.eventId);
      if (!seal?.position) throw new Error(`event ${draft.eventId} is committed but not sealed after a full sealing pass`);
      return { ...draft, position: seal.position, prevHash: seal.prevHash, hash: seal.hash };
    });
  }

  private async run(): Promise<SealPass> {
    const sealed = new Map<string, Seal>();
    let head = 0;
    for (let more = true; more;) ({ head, more } = await this.db.write((m) => sealBatch(m, this.db, sealed)));
    if (sealed.size > 0) this.sealed$.next(head);
    return { sealed, head };
  }
}
