import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { InstantColumn, VarcharColumn } from './columns.js';
import { ProjectionRow } from './projection-row.js';

/** The series projection: one row per series, written with each of its appends, rebuilt by replay. */
@Entity({ name: 'series_views' })
@Index('ix_series_views_due', ['status', 'nextAt'])
export class SeriesViewEntity extends ProjectionRow {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @VarcharColumn(16)
  status!: string;

  @VarcharColumn(32, { name: 'phone_number' })
  phoneNumber!: string;

  @VarcharColumn(64)
  timezone!: string;

  @VarcharColumn(600)
  rrule!: string;

  @InstantColumn({ name: 'starts_at' })
  startsAt!: string;

  @InstantColumn({ name: 'until', nullable: true })
  until!: string | null;

  @Column({ name: 'max_count', type: 'integer', nullable: true })
  count!: number | null;

  @VarcharColumn(200, { name: 'calling_window', nullable: true })
  callingWindow!: string | null;

  // The next occurrence to materialise (null unless active): the materialiser's index.
  @InstantColumn({ name: 'next_at', nullable: true })
  nextAt!: string | null;

  @Column({ type: 'integer' })
  occurrences!: number;

  @InstantColumn({ name: 'last_at', nullable: true })
  lastAt!: string | null;
}
