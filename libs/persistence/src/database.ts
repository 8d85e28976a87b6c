import type { DataSource, EntityManager } from 'typeorm';
import { DatabaseUnavailableError } from './errors.js';
import { dialectFor, type Dialect } from './dialect.js';
import { GroupCommit, type Outcome } from './group-commit.js';
import { SerialLock } from './serial-lock.js';

// One name for every savepoint. Savepoints here are strictly nested, and both engines address the
// most recent savepoint of a name (the older one is kept), so one name is enough. A fresh name per
// savepoint made every SAVEPOINT/RELEASE a new statement text: better-sqlite3's prepared-statement
// cache in TypeORM (FIFO, 100 entries) churned, re-preparing the INSERTs of every append (issue #11).
const SAVEPOINT = 'append_sp';

/**
 * Runs `fn` in a savepoint of the transaction `manager` belongs to: if it throws, only its own
 * writes are rolled back and the transaction goes on (a refused append in a batch). The same SQL on
 * both engines; PostgreSQL needs it (an error aborts the whole transaction otherwise).
 */
export async function inSavepoint<T>(manager: EntityManager, fn: (manager: EntityManager) => Promise<T>): Promise<Outcome<T>> {
  const name = SAVEPOINT;
  await manager.query(`SAVEPOINT ${name}`);
  try {
    const value = await fn(manager);
    await manager.query(`RELEASE SAVEPOINT ${name}`);
    return { ok: true, value };
  } catch (error) {
    await manager.query(`ROLLBACK TO SAVEPOINT ${name}`);
    await manager.query(`RELEASE SAVEPOINT ${name}`);
    return { ok: false, error };
  }
}

/**
 * Access to the database with the right isolation for each engine. better-sqlite3 gives TypeORM
 * one shared connection, so in SQLite every read and write batch takes turns (a read must never
 * see a write transaction's uncommitted rows), and writes that arrive while one is being written
 * are committed together (GroupCommit: one BEGIN IMMEDIATE … COMMIT, each write in its own
 * savepoint). PostgreSQL reads and writes go straight to the pool: appends commit concurrently and
 * the sealer (log-sealer.ts) places them in the log afterwards.
 *
 * A connection-level failure leaves as DatabaseUnavailableError, so callers can tell "try again
 * shortly" from a broken statement without knowing the engine.
 */
export class Database {
  readonly dialect: Dialect;
  private readonly turns = new SerialLock();
  private readonly group = new GroupCommit<EntityManager>(
    (work) => this.classified(() => this.transaction((m) => runEach(m, work))),
    (fn) => this.turns.run(fn),
  );
  private downSince: Date | null = null;
  private backAt: Date | null = null;

  /** `now` stamps the outages (the service passes its Clock's; the CLI and tests the wall clock). */
  constructor(
    readonly dataSource: DataSource,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.dialect = dialectFor(dataSource.options.type);
  }

  /** When this process first failed to reach the database in the current outage; null while it is reachable. */
  get unavailableSince(): Date | null {
    return this.downSince;
  }

  /**
   * When the last outage this process saw ended (null if it saw none). Work that was waiting the
   * outage out (an answer being recorded) lands shortly after this: a judgement like "its owner
   * would have recorded it by now" must count from here, not from before the outage.
   */
  get lastOutageEndedAt(): Date | null {
    return this.backAt;
  }

  read<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.dialect.kind === 'postgres') return this.classified(() => fn(this.dataSource.manager));
    return this.turns.run(() => this.classified(() => fn(this.dataSource.manager)));
  }

  /**
   * Runs `fn` in a write transaction and resolves after it commits. SQLite: the single writer,
   * possibly sharing the transaction with other writes (each in its own savepoint, so `fn`
   * throwing undoes only its own writes). PostgreSQL: a transaction of its own, concurrent with others.
   */
  write<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.dialect.kind === 'postgres') return this.classified(() => this.transaction(fn));
    return this.group.submit(fn);
  }

  /** One round trip to the database (for health checks); rejects when it does not answer. */
  async ping(): Promise<void> {
    await this.read((manager) => manager.query('SELECT 1'));
  }

  /** Closes the connections; again, or after TypeOrmModule's own shutdown closed them, it does nothing. */
  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  private async transaction<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      await this.dialect.begin(runner);
      try {
        const result = await fn(runner.manager);
        await this.dialect.commit(runner);
        return result;
      } catch (error) {
        // On a dead connection the rollback fails too (the server rolls back by itself): the
        // caller needs the first error, not "Query runner already released".
        await this.dialect.rollback(runner).catch(() => undefined);
        throw error;
      }
    } finally {
      await runner.release();
    }
  }

  private reachable(): void {
    if (this.downSince) this.backAt = this.now();
    this.downSince = null;
  }

  private async classified<T>(fn: () => Promise<T>): Promise<T> {
    try {
      const result = await fn();
      this.reachable();
      return result;
    } catch (error) {
      if (!this.dialect.isUnavailable(error)) {
        this.reachable(); // the server answered, if only to refuse the statement
        throw error;
      }
      this.downSince ??= this.now();
      throw new DatabaseUnavailableError(error);
    }
  }
}

/** A group-commit batch: one job alone needs no savepoint (its error rolls back the transaction). */
async function runEach(manager: EntityManager, work: readonly ((m: EntityManager) => Promise<unknown>)[]): Promise<Outcome<unknown>[]> {
  if (work.length === 1) return [{ ok: true, value: await work[0](manager) }];
  const outcomes: Outcome<unknown>[] = [];
  for (const job of work) outcomes.push(await inSavepoint(manager, job));
  return outcomes;
}
