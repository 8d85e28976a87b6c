import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One row per event, append-only. `position` is assigned under the append lock, so positions are
 * gapless and commit in order; `hash` chains every row to the one before it (tamper evidence).
 */
@Entity({ name: 'events' })
@Index('uq_events_stream_version', ['streamId', 'version'], { unique: true })
export class EventEntity {
  @PrimaryColumn({ type: 'bigint', transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) } })
  position!: number;

  @Column({ name: 'event_id', type: 'varchar', length: 36, unique: true })
  eventId!: string;

  @Column({ name: 'stream_id', type: 'varchar', length: 64 })
  streamId!: string;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ type: 'varchar', length: 64 })
  type!: string;

  // JSON kept as the exact text that was hashed, so verification never depends on re-serialisation.
  @Column({ type: 'text' })
  data!: string;

  @Column({ type: 'text' })
  metadata!: string;

  @Column({ name: 'occurred_at', type: 'varchar', length: 32 })
  occurredAt!: string;

  @Column({ name: 'schema_version', type: 'integer' })
  schemaVersion!: number;

  @Column({ name: 'prev_hash', type: 'varchar', length: 64 })
  prevHash!: string;

  @Column({ type: 'varchar', length: 64 })
  hash!: string;
}
