import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

const iso = (name: string, nullable = false) => ({ name, type: 'varchar', length: '32', isNullable: nullable });

/** The recurring-call series projection (its events live in the event log, streams `series-<id>`). */
export class SeriesViews1764950000000 implements MigrationInterface {
  name = 'SeriesViews1764950000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'series_views',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'phone_number', type: 'varchar', length: '32' },
          { name: 'timezone', type: 'varchar', length: '64' },
          { name: 'rrule', type: 'varchar', length: '600' },
          iso('starts_at'),
          iso('until', true),
          { name: 'max_count', type: 'integer', isNullable: true },
          { name: 'calling_window', type: 'varchar', length: '200', isNullable: true },
          iso('next_at', true),
          { name: 'occurrences', type: 'integer' },
          iso('last_at', true),
          iso('created_at'),
          iso('updated_at'),
          iso('ended_at', true),
          { name: 'version', type: 'integer' },
        ],
        indices: [{ name: 'ix_series_views_due', columnNames: ['status', 'next_at'] }],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('series_views');
  }
}
