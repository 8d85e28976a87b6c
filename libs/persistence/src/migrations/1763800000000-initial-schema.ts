import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

// Written with TypeORM's schema builder so the same migration runs on SQLite and PostgreSQL.
const iso = (name: string, nullable = false) => ({ name, type: 'varchar', length: '32', isNullable: nullable });

export class InitialSchema1763800000000 implements MigrationInterface {
  name = 'InitialSchema1763800000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'events',
        columns: [
          { name: 'position', type: 'bigint', isPrimary: true },
          { name: 'event_id', type: 'varchar', length: '36', isUnique: true },
          { name: 'stream_id', type: 'varchar', length: '64' },
          { name: 'version', type: 'integer' },
          { name: 'type', type: 'varchar', length: '64' },
          { name: 'data', type: 'text' },
          { name: 'metadata', type: 'text' },
          iso('occurred_at'),
          { name: 'schema_version', type: 'integer' },
          { name: 'prev_hash', type: 'varchar', length: '64' },
          { name: 'hash', type: 'varchar', length: '64' },
        ],
        indices: [{ name: 'uq_events_stream_version', columnNames: ['stream_id', 'version'], isUnique: true }],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'call_views',
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'phone_number', type: 'varchar', length: '20' },
          iso('scheduled_at'),
          { name: 'timezone', type: 'varchar', length: '64', isNullable: true },
          { name: 'status', type: 'varchar', length: '20' },
          { name: 'attempts', type: 'integer' },
          { name: 'provider_call_id', type: 'varchar', length: '128', isNullable: true },
          { name: 'provider_status', type: 'varchar', length: '64', isNullable: true },
          { name: 'last_error', type: 'text', isNullable: true },
          { name: 'lateness_ms', type: 'integer', isNullable: true },
          { name: 'duration', type: 'integer', isNullable: true },
          iso('due_at', true),
          iso('created_at'),
          iso('updated_at'),
          iso('dispatched_at', true),
          iso('ended_at', true),
          { name: 'version', type: 'integer' },
        ],
      }),
    );
    await runner.createIndices('call_views', [
      new TableIndex({ name: 'ix_call_views_status_due', columnNames: ['status', 'due_at', 'id'] }),
      new TableIndex({ name: 'ix_call_views_scheduled', columnNames: ['scheduled_at', 'id'] }),
      new TableIndex({ name: 'ix_call_views_phone', columnNames: ['phone_number'] }),
    ]);
    await runner.createTable(
      new Table({
        name: 'idempotency_keys',
        columns: [
          { name: 'key', type: 'varchar', length: '255', isPrimary: true },
          { name: 'call_id', type: 'varchar', length: '64' },
          { name: 'request_hash', type: 'varchar', length: '64' },
          iso('created_at'),
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('idempotency_keys');
    await runner.dropTable('call_views');
    await runner.dropTable('events');
  }
}
