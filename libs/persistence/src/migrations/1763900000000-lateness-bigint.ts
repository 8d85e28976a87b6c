import type { MigrationInterface, QueryRunner } from 'typeorm';

// call_views.lateness_ms in milliseconds overflows PostgreSQL's integer after 24.8 days: a call found
// that late could never be recorded as missed. SQLite's INTEGER already holds 64 bits.
export class LatenessBigint1763900000000 implements MigrationInterface {
  name = 'LatenessBigint1763900000000';

  async up(runner: QueryRunner): Promise<void> {
    if (runner.dataSource.options.type === 'postgres') await runner.query('ALTER TABLE call_views ALTER COLUMN lateness_ms TYPE bigint');
  }

  async down(runner: QueryRunner): Promise<void> {
    if (runner.dataSource.options.type === 'postgres') await runner.query('ALTER TABLE call_views ALTER COLUMN lateness_ms TYPE integer');
  }
}
