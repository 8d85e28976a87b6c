import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { integerColumn } from '../integer-column.js';

/**
 * The call projection: one row per call, rewritten in the transaction that appends its events.
 * Pending view = status 'pending' by due time; history = every other status by last change.
 */
@Entity({ name: 'call_views' })
@Index('ix_call_views_status_due', ['status', 'dueAt', 'id'])
@Index('ix_call_views_scheduled', ['scheduledAt', 'id'])
@Index('ix_call_views_phone', ['phoneNumber'])
@Index('ix_call_views_status_updated', ['status', 'updatedAt', 'id'])
export class CallViewEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ name: 'phone_number', type: 'varchar', length: 20 })
  phoneNumber!: string;

  @Column({ name: 'scheduled_at', type: 'varchar', length: 32 })
  scheduledAt!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  timezone!: string | null;

  @Column({ name: 'calling_window', type: 'varchar', length: 200, nullable: true })
  callingWindow!: string | null;

  @Column({ name: 'window_opens_at', type: 'varchar', length: 32, nullable: true })
  windowOpensAt!: string | null;

  @Column({ type: 'varchar', length: 20 })
  status!: string;

  @Column({ type: 'integer' })
  attempts!: number;

  @Column({ name: 'provider_call_id', type: 'varchar', length: 128, nullable: true })
  providerCallId!: string | null;

  @Column({ name: 'provider_status', type: 'varchar', length: 64, nullable: true })
  providerStatus!: string | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  // bigint: a call found missed a month late is 2.6e9 ms, past PostgreSQL's integer (pg returns int8 as text).
  @Column({ name: 'lateness_ms', type: 'bigint', nullable: true, transformer: integerColumn })
  latenessMs!: number | null;

  @Column({ type: 'integer', nullable: true })
  duration!: number | null;

  @Column({ name: 'connected_at', type: 'varchar', length: 32, nullable: true })
  connectedAt!: string | null;

  @Column({ name: 'due_at', type: 'varchar', length: 32, nullable: true })
  dueAt!: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  deadline!: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 32 })
  updatedAt!: string;

  @Column({ name: 'dispatched_at', type: 'varchar', length: 32, nullable: true })
  dispatchedAt!: string | null;

  @Column({ name: 'ended_at', type: 'varchar', length: 32, nullable: true })
  endedAt!: string | null;

  @Column({ type: 'integer' })
  version!: number;
}
