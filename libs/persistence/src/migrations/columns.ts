import type { TableColumnOptions } from 'typeorm';

// Column shapes for the migrations (TypeORM's schema builder, so one migration runs on SQLite and
// PostgreSQL). A migration that has run must keep making the same columns: change none of these
// for a new migration, add another.

type Options = Omit<TableColumnOptions, 'name' | 'type' | 'length'>;

/** varchar(length), NOT NULL unless `isNullable`. */
export const varchar = (name: string, length: number, options: Options = {}): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  ...options,
});

/** An instant: ISO-8601 UTC text of fixed width, as every `*_at` column holds it. */
export const instant = (name: string, isNullable = false): TableColumnOptions => varchar(name, 32, { isNullable });

export const integer = (name: string, options: Options = {}): TableColumnOptions => ({ name, type: 'integer', ...options });

export const text = (name: string, options: Options = {}): TableColumnOptions => ({ name, type: 'text', ...options });
