import { Table } from 'typeorm';
import { instant, varchar } from './columns.js';
import { createTables, ReversibleMigration } from './table-changes.js';

/**
 * API keys (name, role, SHA-256 of the key). One live key per name: a partial unique index
 * (SQLite and PostgreSQL both have them), so a revoked name can be issued again.
 */
export class ApiKeys1764700000000 extends ReversibleMigration {
  name = 'ApiKeys1764700000000';

  protected change = createTables([
    new Table({
      name: 'api_keys',
      columns: [
        varchar('id', 36, { isPrimary: true }),
        varchar('name', 64),
        varchar('role', 16),
        varchar('key_hash', 64),
        instant('created_at'),
        instant('revoked_at', true),
      ],
      indices: [
        { name: 'uq_api_keys_hash', columnNames: ['key_hash'], isUnique: true },
        { name: 'uq_api_keys_live_name', columnNames: ['name'], isUnique: true, where: 'revoked_at IS NULL' },
      ],
    }),
  ]);
}
