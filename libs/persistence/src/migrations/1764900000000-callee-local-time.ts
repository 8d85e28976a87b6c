import { TableColumn } from 'typeorm';
import { instant, varchar } from './columns.js';
import { addColumns, ReversibleMigration } from './table-changes.js';

// Issue #13: a call's calling window (in the callee's zone), the opening a deferred call waits
// for, and when it connected (its duration without a provider figure). Rows projected before stay
// null: such calls ring at any time, as they did; `npm run replay` fills connected_at from the log.
const COLUMNS = [
  new TableColumn(varchar('calling_window', 200, { isNullable: true })),
  new TableColumn(instant('window_opens_at', true)),
  new TableColumn(instant('connected_at', true)),
];

export class CalleeLocalTime1764900000000 extends ReversibleMigration {
  name = 'CalleeLocalTime1764900000000';
  protected change = addColumns('call_views', COLUMNS);
}
