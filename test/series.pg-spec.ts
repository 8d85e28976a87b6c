import { replayProjection, verifyDatabase } from '../libs/persistence/src/audit/index.js';
import { Database, openDataSource } from '../libs/persistence/src/index.js';
import { startCallApiMock, type CallApiMockProcess } from './support/call-api-mock.process.js';
import { client, eventually, phoneNumber } from './support/http.js';
import { createPgDatabase, type PgDatabase } from './support/pg-database.js';
import { startScheduler, type SchedulerProcess } from './support/scheduler.process.js';

interface StoredEvent {
  position: number;
  streamId: string;
  type: string;
  data: Record<string, unknown>;
}

// Two scheduler instances on one PostgreSQL database both run the series materialiser: each
// occurrence becomes exactly one call (the call id is derived from the series and the instant).
describe('series on PostgreSQL with two instances', () => {
  let db: PgDatabase;
  let mock: CallApiMockProcess;
  const instances: SchedulerProcess[] = [];

  beforeAll(async () => {
    db = await createPgDatabase();
    mock = await startCallApiMock({ MOCK_TIME_SCALE: '0.01' });
    const env = { SERIES_LEAD: '100h', DISPATCH_INTERVAL_MS: '50' };
    instances.push(await startScheduler({ callApiUrl: mock.url, databaseUrl: db.url, env }));
    instances.push(await startScheduler({ callApiUrl: mock.url, databaseUrl: db.url, env }));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(instances.map((i) => i.stop()));
    await mock?.stop();
    await db?.drop();
  }, 30_000);

  it('creates each of 60 occurrences once while both instances materialise them; replay equals live', async () => {
    const api = client(`${instances[0].url}/api`);
    const number = phoneNumber(77);
    const created = await api.post<{ id: string }>('/series', {
      phoneNumber: number,
      timezone: 'Europe/Berlin',
      rrule: 'FREQ=HOURLY',
      startsAt: new Date(Date.now() + 3_600_000).toISOString(),
      count: 60,
    });
    expect(created.status).toBe(201);
    const other = client(`${instances[1].url}/api`);
    await eventually(async () => ((await other.get<{ occurrences: number }>(`/series/${created.body.id}`)).body.occurrences === 60 ? true : undefined), 30_000);

    const events: StoredEvent[] = [];
    for (let after = 0; ;) {
      const page = (await api.get<StoredEvent[]>(`/events?after=${after}&limit=1000`)).body;
      if (page.length === 0) break;
      events.push(...page);
      after = page[page.length - 1].position;
    }
    const recorded = events.filter((e) => e.type === 'SeriesOccurrenceScheduled');
    const scheduled = events.filter((e) => e.type === 'CallScheduled' && e.data.phoneNumber === number);
    expect(recorded).toHaveLength(60);
    expect(scheduled).toHaveLength(60);
    expect(new Set(scheduled.map((e) => e.streamId))).toEqual(new Set(recorded.map((e) => e.data.callId)));

    const database = new Database(await openDataSource(db.url));
    try {
      await expect(replayProjection(database)).resolves.toMatchObject({
        differences: 0,
        anomalies: 0,
        series: { differences: 0, replayedRows: 1, liveRows: 1 },
      });
      await expect(verifyDatabase(database)).resolves.toMatchObject({ ok: true });
    } finally {
      await database.close();
    }
  }, 60_000);
});
