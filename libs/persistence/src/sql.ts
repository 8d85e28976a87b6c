import type { EntityManager } from 'typeorm';

// Portable SQL helpers: placeholders come from the TypeORM driver ("?" or "$n"), so the statements
// below run unchanged on SQLite and PostgreSQL; nothing here is engine-specific.

/** Runs `sql` with `:name` parameters, translated to the driver's placeholders. */
export function query<T>(manager: EntityManager, sql: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const [text, values] = manager.dataSource.driver.escapeQueryWithParameters(sql, params);
  return manager.query<T[]>(text, values);
}

export interface UpsertOn {
  key: string;
  // ON CONFLICT (key) DO UPDATE: the same syntax on SQLite ≥ 3.24 and PostgreSQL ≥ 9.5.
  update: readonly string[];
}

// Rows per INSERT statement: big enough to amortise the call, small enough to stay well below
// SQLite's 32,766 and PostgreSQL's 65,535 bound parameters.
const MAX_ROWS = 256;
const MAX_PARAMETERS = 8_000;

/**
 * Multi-row INSERT (or upsert). Rows go in chunks whose sizes are powers of two, so only a handful
 * of distinct statements exist: the driver's prepared-statement cache reuses them instead of
 * filling up with one large compiled statement per batch size (which costs native memory).
 */
export async function insertRows(
  manager: EntityManager,
  table: string,
  columns: readonly string[],
  rows: readonly unknown[][],
  upsert?: UpsertOn,
): Promise<void> {
  const driver = manager.dataSource.driver;
  let largest = 1;
  while (largest * 2 <= Math.min(MAX_ROWS, MAX_PARAMETERS / columns.length)) largest *= 2;
  const tail = upsert ? ` ON CONFLICT (${upsert.key}) DO UPDATE SET ${upsert.update.map((c) => `${c} = excluded.${c}`).join(', ')}` : '';
  const head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES `;
  let start = 0;
  while (start < rows.length) {
    let size = largest;
    while (size > rows.length - start) size /= 2;
    const values: unknown[] = [];
    const tuples: string[] = [];
    for (const row of rows.slice(start, start + size)) {
      const marks = row.map((value) => {
        values.push(value);
        return driver.createParameter(`p${values.length}`, values.length - 1);
      });
      tuples.push(`(${marks.join(', ')})`);
    }
    await manager.query(head + tuples.join(', ') + tail, values);
    start += size;
  }
}
