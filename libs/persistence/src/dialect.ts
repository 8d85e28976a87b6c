import type { DataSource, QueryRunner } from 'typeorm';

/**
 * The only place where SQLite and PostgreSQL differ in SQL. Appends are serialised globally so
 * positions are gapless, commit in position order (readers that follow the log never skip a
 * late-committing event) and each row can hash the one before it.
 */
export interface Dialect {
  readonly kind: 'sqlite' | 'postgres';
  /** The placeholder of the index-th (1-based) bound parameter. */
  param(index: number): string;
  /** Opens a write transaction that holds the global append lock. */
  beginAppend(runner: QueryRunner): Promise<void>;
  commit(runner: QueryRunner): Promise<void>;
  rollback(runner: QueryRunner): Promise<void>;
  isUniqueViolation(error: unknown): boolean;
  /** Runs the migrations while holding a lock that other instances starting up wait for. */
  withStartupLock<T>(dataSource: DataSource, fn: () => Promise<T>): Promise<T>;
}

// Any constant works; it names "the event log" among the advisory locks of this database.
const APPEND_LOCK_KEY = 7_345_211;
const STARTUP_LOCK_KEY = 7_345_212;

const sqlite: Dialect = {
  kind: 'sqlite',
  param: () => '?',
  // IMMEDIATE takes the write lock up front: a second process waits (busy_timeout) instead of
  // failing mid-transaction with SQLITE_BUSY.
  beginAppend: async (runner) => void (await runner.query('BEGIN IMMEDIATE')),
  commit: async (runner) => void (await runner.query('COMMIT')),
  rollback: async (runner) => void (await runner.query('ROLLBACK')),
  isUniqueViolation: (error) => /UNIQUE constraint failed|SQLITE_CONSTRAINT/.test(errorText(error)),
  withStartupLock: (_dataSource, fn) => fn(),
};

const postgres: Dialect = {
  kind: 'postgres',
  param: (index) => `$${index}`,
  beginAppend: async (runner) => {
    await runner.startTransaction('READ COMMITTED');
    await runner.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK_KEY]);
  },
  commit: (runner) => runner.commitTransaction(),
  rollback: (runner) => runner.rollbackTransaction(),
  isUniqueViolation: (error) => (error as { driverError?: { code?: string } })?.driverError?.code === '23505' || /duplicate key/.test(errorText(error)),
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

export function dialectFor(type: string): Dialect {
  return type === 'postgres' ? postgres : sqlite;
}

function errorText(error: unknown): string {
  const e = error as { message?: string; driverError?: { code?: string; message?: string } };
  return `${e?.message ?? ''} ${e?.driverError?.code ?? ''} ${e?.driverError?.message ?? ''}`;
}
