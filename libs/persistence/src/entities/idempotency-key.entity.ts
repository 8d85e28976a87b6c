import { Entity, PrimaryColumn } from 'typeorm';
import { InstantColumn, VarcharColumn } from './columns.js';

/** POST /api/calls Idempotency-Key → the call it created, written in the same transaction. */
@Entity({ name: 'idempotency_keys' })
export class IdempotencyKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 255 })
  key!: string;

  @VarcharColumn(64, { name: 'call_id' })
  callId!: string;

  // A hash of the request body: the same key with another body is a client bug, not a repeat.
  @VarcharColumn(64, { name: 'request_hash' })
  requestHash!: string;

  @InstantColumn({ name: 'created_at' })
  createdAt!: string;
}
