import { TableIndex } from 'typeorm';
import { addIndex, ReversibleMigration } from './table-changes.js';

// History is ordered by last change (updated_at DESC, id DESC), filtered by status: this index
// serves both the status filter and the keyset walk, as ix_call_views_status_due does for pending.
const INDEX = new TableIndex({ name: 'ix_call_views_status_updated', columnNames: ['status', 'updated_at', 'id'] });

export class HistoryByChange1764600000000 extends ReversibleMigration {
  name = 'HistoryByChange1764600000000';
  protected change = addIndex('call_views', INDEX);
}
