import { postgresOnly, ReversibleMigration } from './table-changes.js';

// call_views.lateness_ms in milliseconds overflows PostgreSQL's integer after 24.8 days: a call found
// that late could never be recorded as missed. SQLite's INTEGER already holds 64 bits.
export class LatenessBigint1763900000000 extends ReversibleMigration {
  name = 'LatenessBigint1763900000000';

  protected change = postgresOnly(
    'ALTER TABLE call_views ALTER COLUMN lateness_ms TYPE bigint',
    'ALTER TABLE call_views ALTER COLUMN lateness_ms TYPE integer',
  );
}
