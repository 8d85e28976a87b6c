import { Entity, PrimaryColumn } from 'typeorm';
import { InstantColumn, VarcharColumn } from './columns.js';

/**
 * An API key: who (name), what they may do (role), and only a hash of the secret. A revoked key
 * keeps its row (revoked_at set), so the audit trail's actor names stay explainable and a name
 * can be given to a new key later.
 */
@Entity({ name: 'api_keys' })
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @VarcharColumn(64)
  name!: string;

  @VarcharColumn(16)
  role!: string;

  @VarcharColumn(64, { name: 'key_hash' })
  keyHash!: string;

  @InstantColumn({ name: 'created_at' })
  createdAt!: string;

  @InstantColumn({ name: 'revoked_at', nullable: true })
  revokedAt!: string | null;
}
