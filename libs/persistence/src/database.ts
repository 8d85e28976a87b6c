import type { DataSource, EntityManager } from 'typeorm';
import { dialectFor, type Dialect } from './dialect.js';
import { SerialLock } from './serial-lock.js';

/**
 * Access to the database with the right isolation for each engine. better-sqlite3 gives TypeORM
 * one shared connection, so in SQLite every read and write takes turns (a read must never see a
 * write transaction's uncommitted rows); PostgreSQL reads go straight to the pool.
 */
export class Database {
  readonly dialect: Dialect;
  private readonly turns = new SerialLock();

  constructor(readonly dataSource: DataSource) {
    this.dialect = dialectFor(dataSource.options.type);
  }

  read<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.dialect.kind === 'postgres') return fn(this.dataSource.manager);
    return this.turns.run(() => fn(this.dataSource.manager));
  }

  /** Runs `fn` in a transaction holding the global append lock. */
  write<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.turns.run(async () => {
      const runner = this.dataSource.createQueryRunner();
      try {
        await runner.connect();
        await this.dialect.beginAppend(runner);
        try {
          const result = await fn(runner.manager);
          await this.dialect.commit(runner);
          return result;
        } catch (error) {
          await this.dialect.rollback(runner);
          throw error;
        }
      } finally {
        await runner.release();
      }
    });
  }

  close(): Promise<void> {
    return this.dataSource.destroy();
  }
}
