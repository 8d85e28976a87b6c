import type { EntityManager } from 'typeorm';

// Portable SQL helpers: placeholders come from the TypeORM driver ("?" or "$n"), so the statements
// below run unchanged on SQLite and PostgreSQL; nothing here is engine-specific.

/** Runs `sql` with `:name` parameters, translated to the driver's placeholders. */
export function query<T>(manager: EntityManager, sql: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const [text, values] = manager.connection.driver.escapeQueryWithParameters(sql, params);
  return manager.query(text, values) as Promise<T[]>;
}

export interface UpsertOn {
  key: string;
  // ON CONFLICT (key) DO UPDATE: the same syntax on SQLite ≥ 3.24 and PostgreSQL ≥ 9.5.
  update: readonly string[];
}

// Well below SQLite's 32,766 and PostgreSQL's 65,535 bound parameters per statement.
const MAX_PARAMETERS = 16_000;

/** Multi-row INSERT (or upsert) in chunks; full chunks share one SQL text, so the driver reuses the prepared statement. */
export async function insertRows(
  manager: EntityManager,
  table: string,
  columns: readonly string[],
  rows: readonly unknown[][],
  upsert?: UpsertOn,
): Promise<void> {
  const driver = manager.connection.driver;
  const perChunk = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  const tail = upsert ? ` ON CONFLICT (${upsert.key}) DO UPDATE SET ${upsert.update.map((c) => `${c} = excluded.${c}`).join(', ')}` : '';
  for (let start = 0; start < rows.length; start += perChunk) {
    const chunk = rows.slice(start, start + perChunk);
    const values: unknown[] = [];
    const tuples = chunk.map((row) => {
      const marks = row.map((value) => {
        values.push(value);
        return driver.createParameter(`p${values.length}`, values.length - 1);
      });
      return `(${marks.join(', ')})`;
    });
    await manager.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}${tail}`, values);
  }
}
