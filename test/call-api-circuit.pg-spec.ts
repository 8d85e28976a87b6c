import { startCallApiMock, type CallApiMockProcess } from './support/call-api-mock.process.js';
import { allCalls, allEvents, phoneNumber, scheduleMany, statusCounts, waitFor } from './support/dispatch-helpers.js';
import { createPgDatabase, type PgDatabase } from './support/pg-database.js';
import { startSchedulers, type SchedulerProcess } from './support/scheduler.process.js';

// Three instances on one PostgreSQL log agree on the Call API through the log: one instance
// records it unavailable and the others adopt that (one CallApiUnavailable, not three), all of them
// report it down in /health, and after its return one CallApiRecovered closes it for all.
const CALLS = 60;
const ENV = { DISPATCH_INTERVAL_MS: '200', CALL_API_PROBE_MS: '200', CALL_API_PROBE_MAX_MS: '1000', FOLLOW_INTERVAL_MS: '200', FOLLOW_MAX_INTERVAL_MS: '400' };

describe('the Call API circuit across three instances on PostgreSQL', () => {
  let db: PgDatabase;
  let mock: CallApiMockProcess | undefined;
  const instances: SchedulerProcess[] = [];

  beforeAll(async () => {
    db = await createPgDatabase();
  });

  afterAll(async () => {
    await Promise.all(instances.map((i) => i.stop()));
    await mock?.stop();
    await db?.drop();
  });

  async function callApiStatus(url: string): Promise<string> {
    const body = (await (await fetch(`${url}/health`)).json()) as { details: { callApi: { status: string } } };
    return body.details.callApi.status;
  }

  it('opens once for all while it is down, closes once for all when it is back, and dials each call once', async () => {
    mock = await startCallApiMock({ MOCK_TIME_SCALE: '0.05' });
    const port = mock.port;
    instances.push(...(await startSchedulers(3, { callApiUrl: mock.url, databaseUrl: db.url, env: ENV })));
    await mock.stop();

    const due = Date.now() + 300;
    await scheduleMany(
      instances[0].url,
      Array.from({ length: CALLS }, (_, i) => ({ phoneNumber: phoneNumber(i), scheduledAt: new Date(due + i * 20).toISOString() })),
    );
    await waitFor(async () => ((await Promise.all(instances.map((i) => callApiStatus(i.url)))).every((s) => s === 'down') ? true : undefined), {
      timeoutMs: 15_000,
      describe: async () => (await Promise.all(instances.map((i) => callApiStatus(i.url)))).join(', '),
    });

    mock = await startCallApiMock({ MOCK_TIME_SCALE: '0.05', MOCK_PORT: String(port) });
    await waitFor(
      async () => {
        const calls = await allCalls(instances[1].url);
        return calls.length === CALLS && calls.every((c) => c.status === 'completed') ? true : undefined;
      },
      { timeoutMs: 45_000, intervalMs: 300, describe: async () => JSON.stringify(statusCounts(await allCalls(instances[1].url))) },
    );
    expect((await Promise.all(instances.map((i) => callApiStatus(i.url)))).every((s) => s === 'up')).toBe(true);

    const circuit = (await allEvents(instances[2].url)).filter((e) => e.streamId === 'call-api').map((e) => e.type);
    expect(circuit).toEqual(['CallApiUnavailable', 'CallApiRecovered']);
    const dials = await mock.dials();
    expect(dials.total).toBe(CALLS);
    expect(Object.values(dials.byNumber).every((n) => n === 1)).toBe(true);
  }, 120_000);
});
