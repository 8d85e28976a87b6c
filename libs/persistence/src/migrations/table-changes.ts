import type { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { dialectFor } from '../dialect.js';

// The common kinds of schema change, each written once with the `down` that undoes its `up`, so a
// migration only declares its name and what it changes. The SQL is TypeORM's schema builder's:
// the same calls a hand-written up/down makes. A migration that has run keeps its name and its
// change for good (the databases it ran on have them).

/** One reversible schema change. */
export interface Change {
  up(runner: QueryRunner): Promise<unknown>;
  down(runner: QueryRunner): Promise<unknown>;
}

/** A migration made of one Change. */
export abstract class ReversibleMigration implements MigrationInterface {
  abstract readonly name: string;
  protected abstract readonly change: Change;

  async up(runner: QueryRunner): Promise<void> {
    await this.change.up(runner);
  }

  async down(runner: QueryRunner): Promise<void> {
    await this.change.down(runner);
  }
}

/** Creates tables in order, then `seed` (rows they must hold from the start); down drops them in reverse. */
export const createTables = (tables: readonly Table[], seed?: (runner: QueryRunner) => Promise<unknown>): Change => ({
  async up(runner) {
    for (const table of tables) await runner.createTable(table);
    await seed?.(runner);
  },
  async down(runner) {
    for (const table of [...tables].reverse()) await runner.dropTable(table.name);
  },
});

export const addColumns = (table: string, columns: TableColumn[]): Change => ({
  up: (runner) => runner.addColumns(table, columns),
  down: (runner) => runner.dropColumns(table, columns),
});

export const addIndex = (table: string, index: TableIndex): Change => ({
  up: (runner) => runner.createIndex(table, index),
  down: (runner) => runner.dropIndex(table, index),
});

const onPostgres = (runner: QueryRunner, sql: string) =>
  dialectFor(runner.dataSource.options.type).kind === 'postgres' ? runner.query(sql) : Promise.resolve();

/** SQL that only PostgreSQL needs (SQLite already behaves so, or keeps another path): each script run as one query. */
export const postgresOnly = (up: string, down: string): Change => ({
  up: (runner) => onPostgres(runner, up),
  down: (runner) => onPostgres(runner, down),
});
