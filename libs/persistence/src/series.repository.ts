import type { EntityManager } from 'typeorm';
import { seriesStreamId, toSeriesView, type SeriesEvent, type SeriesState, type SeriesView } from '#domain';
import type { Database } from './database.js';
import { SeriesViewEntity } from './entities/series-view.entity.js';
import type { EventMetadata, EventStore, StoredEvent } from './event-store.js';

/**
 * The series' side of the store: a series' events go to the shared log (hash-chained, in position
 * order with the calls') and its series_views row is written in the same transaction.
 */
export class SeriesRepository {
  constructor(
    private readonly db: Database,
    private readonly store: EventStore,
  ) {}

  async append(state: SeriesState, expectedVersion: number, events: readonly SeriesEvent[], metadata: EventMetadata): Promise<StoredEvent[]> {
    if (events.length === 0) return [];
    // No call state: series have no call_views row; the series_views row is written in the same transaction.
    const request = { streamId: seriesStreamId(state.id), expectedVersion, events, options: { metadata } };
    const { outcomes } = await this.store.transact(async (tx) => {
      const appended = await tx.append(request);
      // Refused (another writer moved the stream first): nothing of this transaction is kept.
      if (!appended.ok) throw appended.error;
      await upsertSeriesRows(tx.manager, [state]);
    });
    const [outcome] = outcomes;
    if (!outcome.ok) throw outcome.error;
    return outcome.events;
  }

  readStream(seriesId: string): Promise<StoredEvent[]> {
    return this.store.readStream(seriesStreamId(seriesId));
  }

  findById(id: string): Promise<SeriesView | null> {
    return this.db.read(async (m) => {
      const row = await m.findOne(SeriesViewEntity, { where: { id } });
      return row ? fromRow(row) : null;
    });
  }

  /** Every series, newest first (a list an operator reads: hundreds, not millions). */
  list(limit: number): Promise<SeriesView[]> {
    return this.db.read(async (m) => (await m.find(SeriesViewEntity, { order: { createdAt: 'DESC', id: 'DESC' }, take: limit })).map(fromRow));
  }

  /** Active series whose next occurrence is at or before `horizon`: the materialiser's work. */
  due(horizon: string, limit: number): Promise<string[]> {
    return this.db.read(async (m) => {
      const rows = await m
        .createQueryBuilder(SeriesViewEntity, 's')
        .select('s.id', 'id')
        .where('s.status = :status AND s.next_at IS NOT NULL AND s.next_at <= :horizon', { status: 'active', horizon })
        .orderBy('s.next_at', 'ASC')
        .limit(limit)
        .getRawMany<{ id: string }>();
      return rows.map((r) => r.id);
    });
  }
}

/** The series_views row of a state (the replay writes it the same way). */
export function toSeriesRow(state: SeriesState): SeriesViewEntity {
  const view = toSeriesView(state);
  return Object.assign(new SeriesViewEntity(), view);
}

export async function upsertSeriesRows(m: EntityManager, states: readonly SeriesState[]): Promise<void> {
  for (const state of states) await m.upsert(SeriesViewEntity, toSeriesRow(state), ['id']);
}

function fromRow(row: SeriesViewEntity): SeriesView {
  // The entity has the view's fields, under the view's names.
  return Object.assign({}, row, { status: row.status as SeriesView['status'] });
}
