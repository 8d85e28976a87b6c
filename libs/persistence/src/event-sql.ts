import type { EntityManager } from 'typeorm';
import type { CallViewEntity } from './entities/call-view.entity.js';
import type { EventEntity } from './entities/event.entity.js';

// The event store's hot-path statements, written once with bound parameters. TypeORM's query
// builder inlines numbers into the SQL text, so every append would be a new statement to compile
// (and would push the hot ones out of the driver's statement cache).

export const EVENT_COLUMNS = ['position', 'event_id', 'stream_id', 'version', 'type', 'data', 'metadata', 'occurred_at', 'schema_version', 'prev_hash', 'hash'];
const VIEW_COLUMNS = [
  'id',
  'phone_number',
  'scheduled_at',
  'timezone',
  'status',
  'attempts',
  'provider_call_id',
  'provider_status',
  'last_error',
  'lateness_ms',
  'duration',
  'due_at',
  'deadline',
  'created_at',
  'updated_at',
  'dispatched_at',
  'ended_at',
  'version',
];
const SELECT_EVENT = `SELECT ${EVENT_COLUMNS.join(', ')} FROM events`;

interface EventRow {
  position: number | string;
  event_id: string;
  stream_id: string;
  version: number;
  type: string;
  data: string;
  metadata: string;
  occurred_at: string;
  schema_version: number;
  prev_hash: string;
  hash: string;
}

export class EventSql {
  private readonly insertByCount = new Map<number, string>();
  private readonly upsertViewSql: string;
  private readonly readStreamSql: string;
  private readonly readAllSql: string;
  private readonly readLastSql: string;
  private readonly headSql = 'SELECT position, hash FROM events ORDER BY position DESC LIMIT 1';

  constructor(private readonly param: (index: number) => string) {
    const updates = VIEW_COLUMNS.slice(1).map((c) => `${c} = excluded.${c}`).join(', ');
    this.upsertViewSql = `INSERT INTO call_views (${VIEW_COLUMNS.join(', ')}) VALUES (${this.params(VIEW_COLUMNS.length, 0)}) ON CONFLICT (id) DO UPDATE SET ${updates}`;
    this.readStreamSql = `${SELECT_EVENT} WHERE stream_id = ${param(1)} ORDER BY version ASC`;
    this.readAllSql = `${SELECT_EVENT} WHERE position > ${param(1)} ORDER BY position ASC LIMIT ${param(2)}`;
    this.readLastSql = `${SELECT_EVENT} WHERE stream_id = ${param(1)} ORDER BY version DESC LIMIT 1`;
  }

  async head(m: EntityManager): Promise<{ position: number; hash: string } | null> {
    const [row] = (await m.query(this.headSql)) as { position: number | string; hash: string }[];
    return row ? { position: Number(row.position), hash: row.hash } : null;
  }

  async insertEvents(m: EntityManager, rows: EventEntity[]): Promise<void> {
    let sql = this.insertByCount.get(rows.length);
    if (!sql) {
      const values = rows.map((_, i) => `(${this.params(EVENT_COLUMNS.length, i * EVENT_COLUMNS.length)})`).join(', ');
      sql = `INSERT INTO events (${EVENT_COLUMNS.join(', ')}) VALUES ${values}`;
      this.insertByCount.set(rows.length, sql);
    }
    const params = rows.flatMap((r) => [
      r.position,
      r.eventId,
      r.streamId,
      r.version,
      r.type,
      r.data,
      r.metadata,
      r.occurredAt,
      r.schemaVersion,
      r.prevHash,
      r.hash,
    ]);
    await m.query(sql, params);
  }

  async upsertView(m: EntityManager, v: CallViewEntity): Promise<void> {
    await m.query(this.upsertViewSql, [
      v.id,
      v.phoneNumber,
      v.scheduledAt,
      v.timezone,
      v.status,
      v.attempts,
      v.providerCallId,
      v.providerStatus,
      v.lastError,
      v.latenessMs,
      v.duration,
      v.dueAt,
      v.deadline,
      v.createdAt,
      v.updatedAt,
      v.dispatchedAt,
      v.endedAt,
      v.version,
    ]);
  }

  async readStream(m: EntityManager, streamId: string): Promise<EventEntity[]> {
    return ((await m.query(this.readStreamSql, [streamId])) as EventRow[]).map(toEntity);
  }

  async readLast(m: EntityManager, streamId: string): Promise<EventEntity | null> {
    const [row] = (await m.query(this.readLastSql, [streamId])) as EventRow[];
    return row ? toEntity(row) : null;
  }

  async readAll(m: EntityManager, afterPosition: number, limit: number): Promise<EventEntity[]> {
    return ((await m.query(this.readAllSql, [afterPosition, limit])) as EventRow[]).map(toEntity);
  }

  private params(count: number, offset: number): string {
    return Array.from({ length: count }, (_, i) => this.param(offset + i + 1)).join(', ');
  }
}

function toEntity(row: EventRow): EventEntity {
  return {
    position: Number(row.position),
    eventId: row.event_id,
    streamId: row.stream_id,
    version: Number(row.version),
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    occurredAt: row.occurred_at,
    schemaVersion: Number(row.schema_version),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
