import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

const iso = (name: string) => ({ name, type: 'varchar', length: '32' });
const id = (name: string, isPrimary = false) => ({ name, type: 'varchar', length: '64', isPrimary });

/**
 * Operational state of a cluster of instances on one database: who is alive (scheduler_instances),
 * which instance follows which live call until when (call_leases), and the dials of the last
 * second across the cluster (dial_slots). Not event-sourced and not part of the projection: replay
 * rebuilds call_views from the log alone, and none of this is needed to do so.
 */
export class ClusterState1764800000000 implements MigrationInterface {
  name = 'ClusterState1764800000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'scheduler_instances',
        columns: [
          id('id', true),
          { name: 'host', type: 'varchar', length: '255' },
          { name: 'pid', type: 'integer' },
          { name: 'version', type: 'varchar', length: '32' },
          iso('started_at'),
          iso('heartbeat_at'),
          { name: 'in_flight', type: 'integer', default: 0 },
          { name: 'following', type: 'integer', default: 0 },
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'call_leases',
        columns: [id('call_id', true), id('owner'), iso('expires_at')],
        indices: [
          { name: 'ix_call_leases_expires', columnNames: ['expires_at'] },
          { name: 'ix_call_leases_owner', columnNames: ['owner'] },
        ],
      }),
    );
    // One row per dial of the last window, reused round-robin (a ring buffer in a table); the time is
    // the database's, in ms since the epoch: the one clock every instance shares.
    await runner.createTable(
      new Table({
        name: 'dial_slots',
        columns: [
          { name: 'slot', type: 'integer', isPrimary: true },
          { name: 'taken_at', type: 'bigint', default: 0 },
        ],
      }),
    );
    // Calls that were live before leases existed get an expired lease: some instance takes them over.
    await runner.query(
      `INSERT INTO call_leases (call_id, owner, expires_at)
       SELECT id, '', '1970-01-01T00:00:00.000Z' FROM call_views WHERE status IN ('dispatching', 'dispatched', 'ringing', 'connected')`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('dial_slots');
    await runner.dropTable('call_leases');
    await runner.dropTable('scheduler_instances');
  }
}
