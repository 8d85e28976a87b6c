import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { instant, integer, text, varchar } from './columns.js';

// Made anew for each run: TypeORM may fill in what a Table leaves out.
const tables = () => [
  new Table({
    name: 'events',
    columns: [
      { name: 'position', type: 'bigint', isPrimary: true },
      varchar('event_id', 36, { isUnique: true }),
      varchar('stream_id', 64),
      integer('version'),
      varchar('type', 64),
      text('data'),
      text('metadata'),
      instant('occurred_at'),
      integer('schema_version'),
      varchar('prev_hash', 64),
      varchar('hash', 64),
    ],
    indices: [{ name: 'uq_events_stream_version', columnNames: ['stream_id', 'version'], isUnique: true }],
  }),
  new Table({
    name: 'call_views',
    columns: [
      varchar('id', 64, { isPrimary: true }),
      varchar('phone_number', 20),
      instant('scheduled_at'),
      varchar('timezone', 64, { isNullable: true }),
      varchar('status', 20),
      integer('attempts'),
      varchar('provider_call_id', 128, { isNullable: true }),
      varchar('provider_status', 64, { isNullable: true }),
      text('last_error', { isNullable: true }),
      integer('lateness_ms', { isNullable: true }),
      integer('duration', { isNullable: true }),
      instant('due_at', true),
      instant('created_at'),
      instant('updated_at'),
      instant('dispatched_at', true),
      instant('ended_at', true),
      integer('version'),
    ],
  }),
  new Table({
    name: 'idempotency_keys',
    columns: [varchar('key', 255, { isPrimary: true }), varchar('call_id', 64), varchar('request_hash', 64), instant('created_at')],
  }),
];

export class InitialSchema1763800000000 implements MigrationInterface {
  name = 'InitialSchema1763800000000';

  async up(runner: QueryRunner): Promise<void> {
    for (const table of tables()) await runner.createTable(table);
    await runner.createIndices('call_views', [
      new TableIndex({ name: 'ix_call_views_status_due', columnNames: ['status', 'due_at', 'id'] }),
      new TableIndex({ name: 'ix_call_views_scheduled', columnNames: ['scheduled_at', 'id'] }),
      new TableIndex({ name: 'ix_call_views_phone', columnNames: ['phone_number'] }),
    ]);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of tables().reverse()) await runner.dropTable(table.name);
  }
}
