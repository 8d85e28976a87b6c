import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

// History is ordered by last change (updated_at DESC, id DESC), filtered by status: this index
// serves both the status filter and the keyset walk, as ix_call_views_status_due does for pending.
const INDEX = new TableIndex({ name: 'ix_call_views_status_updated', columnNames: ['status', 'updated_at', 'id'] });

export class HistoryByChange1764600000000 implements MigrationInterface {
  name = 'HistoryByChange1764600000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createIndex('call_views', INDEX);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropIndex('call_views', INDEX);
  }
}
