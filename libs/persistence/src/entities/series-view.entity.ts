import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** The series projection: one row per series, written with each of its appends, rebuilt by replay. */
@Entity({ name: 'series_views' })
@Index('ix_series_views_due', ['status', 'nextAt'])
export class SeriesViewEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: string;

  @Column({ name: 'phone_number', type: 'varchar', length: 32 })
  phoneNumber!: string;

  @Column({ type: 'varchar', length: 64 })
  timezone!: string;

  @Column({ type: 'varchar', length: 600 })
  rrule!: string;

  @Column({ name: 'starts_at', type: 'varchar', length: 32 })
  startsAt!: string;

  @Column({ name: 'until', type: 'varchar', length: 32, nullable: true })
  until!: string | null;

  @Column({ name: 'max_count', type: 'integer', nullable: true })
  count!: number | null;

  @Column({ name: 'calling_window', type: 'varchar', length: 200, nullable: true })
  callingWindow!: string | null;

  // The next occurrence to materialise (null unless active): the materialiser's index.
  @Column({ name: 'next_at', type: 'varchar', length: 32, nullable: true })
  nextAt!: string | null;

  @Column({ type: 'integer' })
  occurrences!: number;

  @Column({ name: 'last_at', type: 'varchar', length: 32, nullable: true })
  lastAt!: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 32 })
  updatedAt!: string;

  @Column({ name: 'ended_at', type: 'varchar', length: 32, nullable: true })
  endedAt!: string | null;

  @Column({ type: 'integer' })
  version!: number;
}
