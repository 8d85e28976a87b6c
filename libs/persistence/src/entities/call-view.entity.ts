import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { InstantColumn, VarcharColumn } from './columns.js';
import { ProjectionRow } from './projection-row.js';
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
export class CallViewEntity extends ProjectionRow {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @VarcharColumn(20, { name: 'phone_number' })
  phoneNumber!: string;

  @InstantColumn({ name: 'scheduled_at' })
  scheduledAt!: string;

  @VarcharColumn(64, { nullable: true })
  timezone!: string | null;

  @VarcharColumn(200, { name: 'calling_window', nullable: true })
  callingWindow!: string | null;

  @InstantColumn({ name: 'window_opens_at', nullable: true })
  windowOpensAt!: string | null;

  @VarcharColumn(20)
  status!: string;

  @Column({ type: 'integer' })
  attempts!: number;

  @VarcharColumn(128, { name: 'provider_call_id', nullable: true })
  providerCallId!: string | null;

  @VarcharColumn(64, { name: 'provider_status', nullable: true })
  providerStatus!: string | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  // bigint: a call found missed a month late is 2.6e9 ms, past PostgreSQL's integer (pg returns int8 as text).
  @Column({ name: 'lateness_ms', type: 'bigint', nullable: true, transformer: integerColumn })
  latenessMs!: number | null;

  @Column({ type: 'integer', nullable: true })
  duration!: number | null;

  @InstantColumn({ name: 'connected_at', nullable: true })
  connectedAt!: string | null;

  @InstantColumn({ name: 'due_at', nullable: true })
  dueAt!: string | null;

  @InstantColumn({ nullable: true })
  deadline!: string | null;

  @InstantColumn({ name: 'dispatched_at', nullable: true })
  dispatchedAt!: string | null;
}
