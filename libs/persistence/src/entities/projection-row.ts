import { Column } from 'typeorm';
import { InstantColumn } from './columns.js';

/**
 * What every projection row carries besides its subject's fields: when the subject was created,
 * last changed and ended, and the version of its stream the row reflects (replay and the
 * optimistic checks compare it). Columns of a plain parent class are inherited by each entity.
 */
export abstract class ProjectionRow {
  @InstantColumn({ name: 'created_at' })
  createdAt!: string;

  @InstantColumn({ name: 'updated_at' })
  updatedAt!: string;

  @InstantColumn({ name: 'ended_at', nullable: true })
  endedAt!: string | null;

  @Column({ type: 'integer' })
  version!: number;
}
