import { Table } from 'typeorm';
import { instant, integer, varchar } from './columns.js';
import { createTables, ReversibleMigration } from './table-changes.js';

const id = (name: string, isPrimary = false) => varchar(name, 64, { isPrimary });

/**
 * Operational state of a cluster of instances on one database: who is alive (scheduler_instances),
 * which instance follows which live call until when (call_leases), and the dials of the last
 * second across the cluster (dial_slots). Not event-sourced and not part of the projection: replay
 * rebuilds call_views from the log alone, and none of this is needed to do so.
 */
export class ClusterState1764800000000 extends ReversibleMigration {
  name = 'ClusterState1764800000000';

  protected change = createTables(
    [
      new Table({
        name: 'scheduler_instances',
        columns: [
          id('id', true),
          varchar('host', 255),
          integer('pid'),
          varchar('version', 32),
          instant('started_at'),
          instant('heartbeat_at'),
          integer('in_flight', { default: 0 }),
          integer('following', { default: 0 }),
        ],
      }),
      new Table({
        name: 'call_leases',
        columns: [id('call_id', true), id('owner'), instant('expires_at')],
        indices: [
          { name: 'ix_call_leases_expires', columnNames: ['expires_at'] },
          { name: 'ix_call_leases_owner', columnNames: ['owner'] },
        ],
      }),
      // One row per dial of the last window, reused round-robin (a ring buffer in a table); the time is
      // the database's, in ms since the epoch: the one clock every instance shares.
      new Table({
        name: 'dial_slots',
        columns: [integer('slot', { isPrimary: true }), { name: 'taken_at', type: 'bigint', default: 0 }],
      }),
    ],
    // Calls that were live before leases existed get an expired lease: some instance takes them over.
    (runner) =>
      runner.query(
        `INSERT INTO call_leases (call_id, owner, expires_at)
       SELECT id, '', '1970-01-01T00:00:00.000Z' FROM call_views WHERE status IN ('dispatching', 'dispatched', 'ringing', 'connected')`,
      ),
  );
}
