import { Column, Entity, PrimaryColumn } from 'typeorm';

/** POST /api/calls Idempotency-Key → the call it created, written in the same transaction. */
@Entity({ name: 'idempotency_keys' })
export class IdempotencyKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 255 })
  key!: string;

  @Column({ name: 'call_id', type: 'varchar', length: 64 })
  callId!: string;

  // A hash of the request body: the same key with another body is a client bug, not a repeat.
  @Column({ name: 'request_hash', type: 'varchar', length: 64 })
  requestHash!: string;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;
}
