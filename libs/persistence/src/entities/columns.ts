import { Column } from 'typeorm';

// The entities' column shapes, as the migrations (migrations/columns.ts) make them.
interface Options {
  name?: string;
  nullable?: boolean;
}

/** varchar(length); `name` when the column's is not the property's. */
export const VarcharColumn = (length: number, options: Options = {}) => Column({ type: 'varchar', length, ...options });

/** An instant: ISO-8601 UTC text of fixed width, as every `*_at` column holds it. */
export const InstantColumn = (options: Options = {}) => VarcharColumn(32, options);
