import { Table } from 'typeorm';
import { instant, integer, varchar } from './columns.js';
import { createTables, ReversibleMigration } from './table-changes.js';

/** The recurring-call series projection (its events live in the event log, streams `series-<id>`). */
export class SeriesViews1764950000000 extends ReversibleMigration {
  name = 'SeriesViews1764950000000';

  protected change = createTables([
    new Table({
      name: 'series_views',
      columns: [
        varchar('id', 36, { isPrimary: true }),
        varchar('status', 16),
        varchar('phone_number', 32),
        varchar('timezone', 64),
        varchar('rrule', 600),
        instant('starts_at'),
        instant('until', true),
        integer('max_count', { isNullable: true }),
        varchar('calling_window', 200, { isNullable: true }),
        instant('next_at', true),
        integer('occurrences'),
        instant('last_at', true),
        instant('created_at'),
        instant('updated_at'),
        instant('ended_at', true),
        integer('version'),
      ],
      indices: [{ name: 'ix_series_views_due', columnNames: ['status', 'next_at'] }],
    }),
  ]);
}
