import { startCallApiMock, type CallApiMockProcess } from './support/call-api-mock.process.js';
import { client, phoneNumber } from './support/http.js';
import { createPgDatabase, type PgDatabase } from './support/pg-database.js';
import { startSchedulers, type SchedulerProcess } from './support/scheduler.process.js';

const KEYS = 100;
const COPIES = 3;

// The same Idempotency-Key sent at once to several instances: the requests race past the look-up
// and into the insert; every loser must answer like the winner (201, the winner's call), not 500.
describe('racing duplicates across three instances on PostgreSQL', () => {
  let db: PgDatabase;
  let mock: CallApiMockProcess;
  const instances: SchedulerProcess[] = [];

  beforeAll(async () => {
    db = await createPgDatabase();
    mock = await startCallApiMock();
    instances.push(...(await startSchedulers(3, { callApiUrl: mock.url, databaseUrl: db.url })));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(instances.map((i) => i.stop()));
    await mock?.stop();
    await db?.drop();
  });

  it('answers every copy 201 with the one call stored for its key', async () => {
    const scheduledAt = new Date(Date.now() + 3_600_000).toISOString();
    const requests = Array.from({ length: KEYS * COPIES }, (_, n) => {
      const key = n % KEYS;
      // Each copy of a key goes to a different instance.
      const api = client(instances[Math.floor(n / KEYS)].url);
      return api.post('/api/calls', { phoneNumber: phoneNumber(key), scheduledAt }, { 'Idempotency-Key': `race-${key}` }).then((res) => ({ key, res }));
    });
    const answers = await Promise.all(requests);

    expect(answers.filter((a) => a.res.status !== 201).map((a) => `${a.key}: ${a.res.status} ${JSON.stringify(a.res.body)}`)).toEqual([]);
    const idsByKey = new Map<number, Set<string>>();
    for (const { key, res } of answers) idsByKey.set(key, (idsByKey.get(key) ?? new Set()).add(res.body.id));
    for (let key = 0; key < KEYS; key++) expect(idsByKey.get(key)?.size).toBe(1);

    // Exactly one call per key in the log.
    const log: { type: string; streamId: string }[] = (await client(instances[0].url).get(`/api/events?limit=1000`)).body;
    const scheduled = log.filter((e) => e.type === 'CallScheduled');
    expect(scheduled).toHaveLength(KEYS);
    expect(new Set(scheduled.map((e) => e.streamId))).toEqual(new Set([...idsByKey.values()].map((ids) => [...ids][0])));
  }, 60_000);
});
