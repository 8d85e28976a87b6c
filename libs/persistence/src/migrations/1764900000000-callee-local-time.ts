import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

// Issue #13: a call's calling window (in the callee's zone), the opening a deferred call waits
// for, and when it connected (its duration without a provider figure). Rows projected before stay
// null: such calls ring at any time, as they did; `npm run replay` fills connected_at from the log.
const COLUMNS = [
  new TableColumn({ name: 'calling_window', type: 'varchar', length: '200', isNullable: true }),
  new TableColumn({ name: 'window_opens_at', type: 'varchar', length: '32', isNullable: true }),
  new TableColumn({ name: 'connected_at', type: 'varchar', length: '32', isNullable: true }),
];

export class CalleeLocalTime1764900000000 implements MigrationInterface {
  name = 'CalleeLocalTime1764900000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumns('call_views', COLUMNS);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropColumns('call_views', COLUMNS);
  }
}
