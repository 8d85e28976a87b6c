import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

/** The PostgreSQL channel the sealer notifies with the new head position after each sealing pass. */
export const LOG_CHANNEL = 'call_scheduler_log';

/**
 * The only place where SQLite and PostgreSQL differ in SQL. Positions are gapless, become visible
 * in position order (readers that follow the log never skip a late-committing event) and each row
 * hashes the one before it. SQLite has one writer at a time (the file's write lock), so an append
 * places its rows at the head itself. PostgreSQL appends commit concurrently with no position
 * (`placesAtInsert` false) and the sealer places committed rows one pass at a time under the
 * cluster-wide seal lock (log-sealer.ts explains why that is safe).
 */
export interface Dialect {
  readonly kind: 'sqlite' | 'postgres';
  /**
   * Other processes may append to the same log (PostgreSQL: several instances); false when this
   * process is the only writer (SQLite), so its own after-commit changes are every change.
   */
  readonly otherWritersPossible: boolean;
  /** The placeholder of the index-th (1-based) bound parameter. */
  param(index: number): string;
  /** An append gives its rows position and hash in its own transaction (true), or the sealer does after the commit (false). */
  readonly placesAtInsert: boolean;
  /** Opens a write transaction (SQLite: takes the file's write lock up front). */
  begin(runner: QueryRunner): Promise<void>;
  /** Inside the sealer's transaction: waits for the cluster-wide seal lock (one sealer at a time), held until commit. */
  lockSealing(manager: EntityManager): Promise<void>;
  /**
   * Inside a transaction that needs the log and the projection still (replay's compare): waits for
   * in-flight appends to commit and holds new ones back until this transaction ends; with the seal
   * lock, so sealWithin can place what committed.
   */
  holdAppends(manager: EntityManager): Promise<void>;
  /** Inside the sealer's transaction: tells every instance, at commit, that the log now reaches `position`. */
  notifyHead(manager: EntityManager, position: number): Promise<void>;
  commit(runner: QueryRunner): Promise<void>;
  rollback(runner: QueryRunner): Promise<void>;
  isUniqueViolation(error: unknown): boolean;
  /** The error is about reaching the database, not about the statement: the same work may succeed later. */
  isUnavailable(error: unknown): boolean;
  /** Runs the migrations while holding a lock that other instances starting up wait for. */
  withStartupLock<T>(dataSource: DataSource, fn: () => Promise<T>): Promise<T>;
}

// Any constant works; it names "sealing the event log" among the advisory locks of this database.
const SEAL_LOCK_KEY = 7_345_211;
const STARTUP_LOCK_KEY = 7_345_212;

const sqlite: Dialect = {
  kind: 'sqlite',
  otherWritersPossible: false,
  param: () => '?',
  placesAtInsert: true,
  // IMMEDIATE takes the write lock up front: a second process waits (busy_timeout) instead of
  // failing mid-transaction with SQLITE_BUSY.
  begin: async (runner) => {
    await runner.query('BEGIN IMMEDIATE');
  },
  // The write transaction already excludes every other writer; nothing listens.
  lockSealing: () => Promise.resolve(),
  holdAppends: () => Promise.resolve(),
  notifyHead: () => Promise.resolve(),
  commit: async (runner) => {
    await runner.query('COMMIT');
  },
  rollback: async (runner) => {
    await runner.query('ROLLBACK');
  },
  isUniqueViolation: (error) => /UNIQUE constraint failed|SQLITE_CONSTRAINT/.test(errorText(error)),
  // BUSY/LOCKED outlasted busy_timeout (another process holds the file); IOERR/CANTOPEN: the file or disk went away.
  isUnavailable: (error) => /\bSQLITE_(BUSY|LOCKED|IOERR\w*|CANTOPEN)\b/.test(errorCodes(error)),
  withStartupLock: (_dataSource, fn) => fn(),
};

const postgres: Dialect = {
  kind: 'postgres',
  otherWritersPossible: true,
  param: (index) => `$${index}`,
  placesAtInsert: false,
  begin: (runner) => runner.startTransaction('READ COMMITTED'),
  lockSealing: async (manager) => {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [SEAL_LOCK_KEY]);
  },
  // The seal lock first (the order every sealer takes), then SHARE on events: conflicts with the
  // appends' inserts, not with this transaction's own seal updates.
  holdAppends: async (manager) => {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [SEAL_LOCK_KEY]);
    await manager.query('LOCK TABLE events IN SHARE MODE');
  },
  // Delivered at commit, so a woken reader finds the sealed rows.
  notifyHead: async (manager, position) => {
    await manager.query('SELECT pg_notify($1, $2)', [LOG_CHANNEL, String(position)]);
  },
  commit: (runner) => runner.commitTransaction(),
  rollback: (runner) => runner.rollbackTransaction(),
  isUniqueViolation: (error) =>
    (error as { driverError?: { code?: string } } | null | undefined)?.driverError?.code === '23505' || errorText(error).includes('duplicate key'),
  isUnavailable: (error) => PG_UNAVAILABLE_CODE.test(errorCodes(error)) || PG_UNAVAILABLE_MESSAGE.test(errorText(error)),
  // Instances starting together on a fresh database would each run the migrations and all but one
  // would fail (duplicate pg_type): the first takes a session lock, the others wait, then find nothing to do.
  withStartupLock: async (dataSource, fn) => {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SELECT pg_advisory_lock($1)', [STARTUP_LOCK_KEY]);
      try {
        return await fn();
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [STARTUP_LOCK_KEY]);
      }
    } finally {
      await runner.release();
    }
  },
};

// SQLSTATE class 08 (connection exception), 57P01-03 (admin shutdown, crash shutdown, cannot
// connect now: the server is restarting), 53300 (too many connections); and node's socket errors.
const PG_UNAVAILABLE_CODE = /\b(08[0-9A-Z]{3}|57P0[123]|53300|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN)\b/;
// What pg, pg-pool and TypeORM say when the socket died or never came up (they carry no code).
const PG_UNAVAILABLE_MESSAGE =
  /Connection terminated|terminating connection|Query runner already released|timeout exceeded when trying to connect|Client has encountered a connection error and is not queryable|Database connection provided by a query runner was already released|the database system is (starting up|shutting down|in recovery mode)/i;

export function dialectFor(type: string): Dialect {
  return type === 'postgres' ? postgres : sqlite;
}

/** The codes an engine error carries, on itself, on TypeORM's driverError or on its cause. */
function errorCodes(error: unknown): string {
  const codes = (e: unknown) => {
    const x = e as { code?: unknown; errno?: unknown } | undefined;
    return [x?.code, typeof x?.errno === 'string' ? x.errno : undefined].filter((c) => typeof c === 'string');
  };
  const e = error as { driverError?: unknown; cause?: unknown } | undefined;
  return [...codes(e), ...codes(e?.driverError), ...codes(e?.cause)].join(' ');
}

function errorText(error: unknown): string {
  // Anything can be thrown, null and undefined included.
  const e = error as { message?: string; driverError?: { code?: string; message?: string } } | null | undefined;
  return `${e?.message ?? ''} ${e?.driverError?.code ?? ''} ${e?.driverError?.message ?? ''}`;
}
