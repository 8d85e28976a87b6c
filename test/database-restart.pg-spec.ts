import { TERMINAL_STATUSES } from '../libs/domain/src/index.js';
import { startCallApiMock, type CallApiMockProcess } from './support/call-api-mock.process.js';
import { client, eventually, phoneNumber } from './support/http.js';
import { createPgDatabase, ensurePgServerRunning, pgServer, type PgDatabase } from './support/pg-database.js';
import { startSchedulers, type SchedulerProcess } from './support/scheduler.process.js';

const CALLS = 150;
// Calls fall due over this window; the server is down for OUTAGE_MS in the middle of it.
const DUE_WINDOW_MS = 10_000;
const FIRST_DUE_MS = 3000;
const OUTAGE_AFTER_MS = 5000;
const OUTAGE_MS = 5000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// PostgreSQL goes away under three busy instances and comes back: nothing may end a process, the
// API says 503 (not 500) meanwhile, and once it is back every call is dialled exactly once.
describe('a PostgreSQL restart under three instances', () => {
  let db: PgDatabase;
  let mock: CallApiMockProcess;
  const instances: SchedulerProcess[] = [];

  beforeAll(async () => {
    ensurePgServerRunning();
    db = await createPgDatabase();
    // Dials take 400 ms, so some are in flight when the server stops: their answers arrive during the outage.
    mock = await startCallApiMock({ MOCK_TIME_SCALE: '0.1', MOCK_LATENCY_MS: '400' });
    const env = { DISPATCH_CONCURRENCY: '16', DISPATCH_RATE: '1000', FOLLOW_INTERVAL_MS: '200', FOLLOW_MAX_INTERVAL_MS: '500', MISFIRE_GRACE: '10m' };
    instances.push(...(await startSchedulers(3, { callApiUrl: mock.url, databaseUrl: db.url, env })));
  }, 60_000);

  afterAll(async () => {
    ensurePgServerRunning();
    await Promise.all(instances.map((i) => i.stop()));
    await mock?.stop();
    await db?.drop();
  }, 30_000);

  it('survives it: 503 during the outage, every call dialled exactly once afterwards', async () => {
    const start = Date.now();
    const ids = await Promise.all(
      Array.from({ length: CALLS }, async (_, i) => {
        const scheduledAt = new Date(start + FIRST_DUE_MS + Math.floor((i * DUE_WINDOW_MS) / CALLS)).toISOString();
        const res = await client(instances[i % 3].url).post('/api/calls', { phoneNumber: phoneNumber(i), scheduledAt });
        expect(res.status).toBe(201);
        return res.body.id as string;
      }),
    );
    expect(Date.now() - start).toBeLessThan(OUTAGE_AFTER_MS);
    await sleep(start + OUTAGE_AFTER_MS - Date.now());

    const stoppedAt = Date.now();
    try {
      pgServer('stop');
      await sleep(500);
      const refused = await client(instances[1].url).post('/api/calls', {
        phoneNumber: phoneNumber(CALLS),
        scheduledAt: new Date(Date.now() + 3_600_000).toISOString(),
      });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('2');
      expect(refused.body).toMatchObject({ statusCode: 503, code: 'DATABASE_UNAVAILABLE' });

      const before = Date.now();
      const health = await client(instances[2].url).get('/health');
      expect(Date.now() - before).toBeLessThan(3000);
      expect(health.status).toBe(503);
      expect(health.body.error.database).toMatchObject({ status: 'down' });
      // The outage as this instance saw it: it began with the stop, not at some earlier hiccup.
      expect(Date.parse(health.body.error.database.since)).toBeGreaterThanOrEqual(stoppedAt);
      expect(Date.parse(health.body.error.database.since)).toBeLessThanOrEqual(Date.now());
      await sleep(OUTAGE_MS - 500);
    } finally {
      pgServer('start');
    }

    // Back by itself: no restart of the instances.
    for (const instance of instances) {
      await eventually(async () => (await client(instance.url).get('/health')).status === 200, 20_000, 250);
    }
    const api = client(instances[0].url);
    // Wait until nothing more will happen to any call by itself (an unknown outcome waits for an
    // operator); then every one must have ended the right way.
    const settled: string[] = [...TERMINAL_STATUSES, 'outcome-unknown'];
    const counts = await eventually(
      async () => {
        const { body } = await api.get<{ counts: Record<string, number> }>('/api/calls/stats');
        const ended = settled.reduce((sum, status) => sum + (body.counts[status] ?? 0), 0);
        return ended === CALLS ? body.counts : undefined;
      },
      60_000,
      500,
    ).catch(async (error: unknown) => {
      throw new Error(`${(error as Error).message}; counts ${JSON.stringify((await api.get('/api/calls/stats')).body.counts)}`);
    });
    expect(counts).toEqual({ completed: CALLS });

    const dials = await mock.dials();
    expect(dials.total).toBe(CALLS);
    for (let i = 0; i < CALLS; i++) expect(dials.byNumber[phoneNumber(i)]).toBe(1);
    // One attempt dialled per call. A claim made just before the outage may give its attempt back
    // undialled (its dial slot is kept in the database, out of reach): that start is followed by
    // "not dialled" and the call is claimed again. No other second start is allowed.
    for (const id of ids) {
      const events: { type: string; data: { reason?: string } }[] = (await api.get(`/api/calls/${id}/events`)).body;
      const starts = events.flatMap((e, i) => (e.type === 'CallDispatchStarted' ? [i] : []));
      expect(starts.length).toBeGreaterThanOrEqual(1);
      for (const i of starts.slice(0, -1)) {
        expect(events[i + 1]).toMatchObject({ type: 'CallDispatchDeferred', data: { reason: expect.stringMatching(/^not dialled: /) } });
      }
    }

    for (const instance of instances) {
      expect(instance.child.exitCode).toBeNull();
      expect(instance.child.signalCode).toBeNull();
      expect(instance.output()).not.toMatch(/unhandled rejection/i);
    }
  }, 120_000);
});
