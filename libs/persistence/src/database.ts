import type { DataSource, EntityManager } from 'typeorm';
import { DatabaseUnavailableError } from './errors.js';
import { dialectFor, type Dialect } from './dialect.js';
import { SerialLock } from './serial-lock.js';

/**
 * Access to the database with the right isolation for each engine. better-sqlite3 gives TypeORM
 * one shared connection, so in SQLite every read and write takes turns (a read must never see a
 * write transaction's uncommitted rows); PostgreSQL reads go straight to the pool.
 *
 * A connection-level failure leaves as DatabaseUnavailableError, so callers can tell "try again
 * shortly" from a broken statement without knowing the engine.
 */
export class Database {
  readonly dialect: Dialect;
  private readonly turns = new SerialLock();
  private downSince: Date | null = null;
  private backAt: Date | null = null;

  constructor(readonly dataSource: DataSource) {
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

  /** Runs `fn` in a transaction holding the global append lock. */
  write<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.turns.run(() => this.classified(() => this.transaction(fn)));
  }

  /** One round trip to the database (for health checks); rejects when it does not answer. */
  async ping(): Promise<void> {
    await this.read((manager) => manager.query('SELECT 1'));
  }

  close(): Promise<void> {
    return this.dataSource.destroy();
  }

  private async transaction<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      await this.dialect.beginAppend(runner);
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
    if (this.downSince) this.backAt = new Date();
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
      this.downSince ??= new Date();
      throw new DatabaseUnavailableError(error);
    }
  }
}
