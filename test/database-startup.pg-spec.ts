import { startCallApiMock, type CallApiMockProcess } from './support/call-api-mock.process.js';
import { client, phoneNumber } from './support/http.js';
import { createPgDatabase, ensurePgServerRunning, pgServer, type PgDatabase } from './support/pg-database.js';
import { startScheduler, type SchedulerProcess } from './support/scheduler.process.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Start-up goes through TypeOrmModule with our dataSourceFactory: a PostgreSQL server that is not
// up yet is waited for (the process neither exits nor serves before its schema is migrated); a
// database that refuses for good (one that does not exist) ends the start at once.
describe('starting while PostgreSQL is not there yet', () => {
  let db: PgDatabase;
  let mock: CallApiMockProcess;
  let scheduler: SchedulerProcess | undefined;

  beforeAll(async () => {
    ensurePgServerRunning();
    db = await createPgDatabase();
    mock = await startCallApiMock();
  }, 60_000);

  afterAll(async () => {
    ensurePgServerRunning();
    await scheduler?.stop();
    await mock?.stop();
    await db?.drop();
  }, 30_000);

  it('waits for the server, then migrates and serves', async () => {
    pgServer('stop');
    let started: Promise<SchedulerProcess>;
    try {
      started = startScheduler({ callApiUrl: mock.url, databaseUrl: db.url });
      // Long enough for several failed connection attempts while the server is down.
      await sleep(4000);
    } finally {
      pgServer('start');
    }
    scheduler = await started;
    expect(scheduler.output()).toMatch(/Unable to connect to the database\. .*Retrying \(1\)/);
    const res = await client(scheduler.url).post('/api/calls', { phoneNumber: phoneNumber(1), scheduledAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect(res.status).toBe(201);
  }, 60_000);

  it('gives up at once on a database that does not exist', async () => {
    const missing = new URL(db.url);
    missing.pathname = '/no_such_database_here';
    const before = Date.now();
    await expect(startScheduler({ callApiUrl: mock.url, databaseUrl: missing.toString() })).rejects.toThrow(
      /scheduler exited with 1[\s\S]*no_such_database_here/,
    );
    expect(Date.now() - before).toBeLessThan(15_000);
  }, 30_000);
});
