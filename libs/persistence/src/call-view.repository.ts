import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import { decodeCursor, encodeCursor, HISTORY_CURSOR_TAG } from './cursor.js';
import { integerColumn } from './integer-column.js';
import { query } from './sql.js';
import type { CallStatus, CallView, Page } from '#domain';
import type { Database } from './database.js';
import { CallViewEntity } from './entities/call-view.entity.js';
import { IdempotencyKeyEntity } from './entities/idempotency-key.entity.js';

export interface HistoryFilter {
  // One status or several (?status=completed,failed, groups already expanded).
  status?: CallStatus | readonly CallStatus[];
  phoneNumber?: string;
  // A number search (phoneSearchDigits): the E.164 number contains one of these digit strings.
  phoneDigits?: readonly string[];
}

/** Only digits reach LIKE (phoneSearchDigits guarantees it), so no wildcard can be smuggled in. */
function wherePhoneContains(qb: SelectQueryBuilder<CallViewEntity>, digits: readonly string[] | undefined): void {
  if (!digits?.length) return;
  const clauses = digits.map((_, i) => `c.phone_number LIKE :phone${i}`);
  qb.andWhere(`(${clauses.join(' OR ')})`, Object.fromEntries(digits.map((d, i) => [`phone${i}`, `%${d.replace(/\D/g, '')}%`])));
}

/** Reads of the call projection. Pagination is keyset: the cursor is the last row's sort key. */
export class CallViewRepository {
  constructor(private readonly db: Database) {}

  findById(id: string): Promise<CallView | null> {
    return this.db.read(async (m) => {
      const row = await m.findOne(CallViewEntity, { where: { id } });
      return row ? toView(row) : null;
    });
  }

  /**
   * The views of `ids` in one query (a page of the log names at most a few hundred calls); absent
   * ids are left out. Plain SQL: TypeORM's entity hydration cost more than the query itself.
   */
  findByIds(ids: readonly string[]): Promise<Map<string, CallView>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return Promise.resolve(new Map<string, CallView>());
    // Padded with repeats to a power of two: only a handful of distinct statements, which the
    // driver's prepared-statement cache keeps, instead of one per list length.
    let size = 1;
    while (size < unique.length) size *= 2;
    const padded = unique.concat(Array<string>(size - unique.length).fill(unique[0]));
    return this.db.read(async (m) => {
      const rows = await query<CallViewEntity>(m, `SELECT ${viewSelect(m)} FROM call_views WHERE id IN (:...ids)`, { ids: padded });
      // A raw read skips the entity's transformer: apply it.
      for (const row of rows) row.latenessMs = integerColumn.from(row.latenessMs);
      return new Map(rows.map((row) => [row.id, toView(row)]));
    });
  }

  /** Pending calls, soonest due first; `phoneDigits` narrows them to a number search. */
  pending(limit: number, cursor?: string, phoneDigits?: readonly string[]): Promise<Page<CallView>> {
    return this.db.read(async (m) => {
      const qb = m.createQueryBuilder(CallViewEntity, 'c').where('c.status = :status', { status: 'pending' });
      wherePhoneContains(qb, phoneDigits);
      const after = decodeCursor(cursor);
      if (after) qb.andWhere('(c.due_at > :k OR (c.due_at = :k AND c.id > :id))', { k: after[0], id: after[1] });
      qb.orderBy('c.due_at', 'ASC').addOrderBy('c.id', 'ASC');
      return page(qb, limit, (v) => [v.nextAttemptAt ?? '', v.id]);
    });
  }

  /**
   * Every call that is not pending, latest change first: a call cancelled today but scheduled for
   * next year sits with today's changes, not above them.
   */
  history(limit: number, cursor: string | undefined, filter: HistoryFilter): Promise<Page<CallView>> {
    return this.db.read(async (m) => {
      const qb = m.createQueryBuilder(CallViewEntity, 'c');
      const statuses = filter.status === undefined ? [] : typeof filter.status === 'string' ? [filter.status] : filter.status;
      if (statuses.length > 0) qb.where('c.status IN (:...statuses)', { statuses });
      else qb.where('c.status <> :pending', { pending: 'pending' });
      if (filter.phoneNumber) qb.andWhere('c.phone_number = :phone', { phone: filter.phoneNumber });
      wherePhoneContains(qb, filter.phoneDigits);
      const after = decodeCursor(cursor, HISTORY_CURSOR_TAG);
      if (after) qb.andWhere('(c.updated_at < :k OR (c.updated_at = :k AND c.id < :id))', { k: after[0], id: after[1] });
      qb.orderBy('c.updated_at', 'DESC').addOrderBy('c.id', 'DESC');
      return page(qb, limit, (v) => [v.updatedAt, v.id], HISTORY_CURSOR_TAG);
    });
  }

  /** Pending calls due at or before `now`, soonest first: the dispatcher's queue. */
  due(now: Date, limit: number): Promise<CallView[]> {
    return this.db.read(async (m) =>
      (
        await m
          .createQueryBuilder(CallViewEntity, 'c')
          .where('c.status = :status AND c.due_at <= :now', { status: 'pending', now: now.toISOString() })
          .orderBy('c.due_at', 'ASC')
          .addOrderBy('c.id', 'ASC')
          .limit(limit)
          .getMany()
      ).map(toView),
    );
  }

  /** How many pending calls are due at or before `now` (waiting to be dialled). */
  countDue(now: Date): Promise<number> {
    return this.db.read(async (m) =>
      m.createQueryBuilder(CallViewEntity, 'c').where('c.status = :status AND c.due_at <= :now', { status: 'pending', now: now.toISOString() }).getCount(),
    );
  }

  /** Calls in these statuses that ended within [since, until), oldest first. */
  endedBetween(statuses: readonly CallStatus[], since: string | null, until: string | null, limit: number): Promise<CallView[]> {
    return this.db.read(async (m) => {
      const qb = m.createQueryBuilder(CallViewEntity, 'c').where('c.status IN (:...statuses)', { statuses });
      if (since) qb.andWhere('c.ended_at >= :since', { since });
      if (until) qb.andWhere('c.ended_at < :until', { until });
      return (await qb.orderBy('c.ended_at', 'ASC').addOrderBy('c.id', 'ASC').limit(limit).getMany()).map(toView);
    });
  }

  /** When the soonest pending call is due (null when nothing is pending). */
  nextDueAt(): Promise<string | null> {
    return this.db.read(async (m) => {
      const row = await m
        .createQueryBuilder(CallViewEntity, 'c')
        .select('MIN(c.due_at)', 'dueAt')
        .where('c.status = :status', { status: 'pending' })
        .getRawOne<{ dueAt: string | null }>();
      return row?.dueAt ?? null;
    });
  }

  inStatuses(statuses: readonly CallStatus[], limit = 10_000): Promise<CallView[]> {
    return this.db.read(async (m) =>
      (
        await m.createQueryBuilder(CallViewEntity, 'c').where('c.status IN (:...statuses)', { statuses }).orderBy('c.updated_at', 'ASC').limit(limit).getMany()
      ).map(toView),
    );
  }

  countsByStatus(): Promise<Partial<Record<CallStatus, number>>> {
    return this.db.read(async (m) => {
      const rows = await m
        .createQueryBuilder(CallViewEntity, 'c')
        .select('c.status', 'status')
        .addSelect('COUNT(*)', 'count')
        .groupBy('c.status')
        .getRawMany<{ status: CallStatus; count: string | number }>();
      return Object.fromEntries(rows.map((r) => [r.status, Number(r.count)]));
    });
  }

  recentlyDispatched(limit: number): Promise<CallView[]> {
    return this.db.read(async (m) =>
      (await m.createQueryBuilder(CallViewEntity, 'c').where('c.dispatched_at IS NOT NULL').orderBy('c.dispatched_at', 'DESC').limit(limit).getMany()).map(
        toView,
      ),
    );
  }

  findIdempotencyKey(key: string): Promise<IdempotencyKeyEntity | null> {
    return this.db.read((m) => m.findOne(IdempotencyKeyEntity, { where: { key } }));
  }

  /** The recorded keys among `keys` (a bulk import's references), in one query: key → its record. */
  findIdempotencyKeys(keys: readonly string[]): Promise<Map<string, IdempotencyKeyEntity>> {
    if (keys.length === 0) return Promise.resolve(new Map<string, IdempotencyKeyEntity>());
    return this.db.read(async (m) => {
      const rows = await m.createQueryBuilder(IdempotencyKeyEntity, 'k').where('k.key IN (:...keys)', { keys }).getMany();
      return new Map(rows.map((row) => [row.key, row]));
    });
  }
}

async function page(qb: SelectQueryBuilder<CallViewEntity>, limit: number, keyOf: (v: CallView) => [string, string], tag?: string): Promise<Page<CallView>> {
  // One row more than asked tells whether there is a next page without a COUNT.
  const rows = (await qb.limit(limit + 1).getMany()).map(toView);
  const items = rows.slice(0, limit);
  const nextCursor = rows.length > limit ? encodeCursor(keyOf(items[items.length - 1]), tag) : null;
  return { items, nextCursor };
}

let viewColumns: string | undefined;

/** `phone_number AS "phoneNumber", …`: every column of call_views under its property name. */
function viewSelect(m: EntityManager): string {
  viewColumns ??= m.dataSource
    .getMetadata(CallViewEntity)
    .columns.map((c) => (c.databaseName === c.propertyName ? c.databaseName : `${c.databaseName} AS "${c.propertyName}"`))
    .join(', ');
  return viewColumns;
}

function toView(row: CallViewEntity): CallView {
  const { dueAt, ...rest } = row;
  return { ...rest, status: row.status as CallStatus, nextAttemptAt: dueAt };
}
