import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { instant } from './columns.js';

// Each call has a deadline to be placed by (issue: a Call API outage must not lose calls, nor ring
// them hours late). Rows projected before it stay null: the misfire grace after scheduled_at applies.
export class CallDeadline1764500000000 implements MigrationInterface {
  name = 'CallDeadline1764500000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumn('call_views', new TableColumn(instant('deadline', true)));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropColumn('call_views', 'deadline');
  }
}
