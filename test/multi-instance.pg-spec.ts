import { startCallApiMock, type CallApiMockProcess } from './support/call-api-mock.process.js';
import { client, eventually, phoneNumber } from './support/http.js';
import { createPgDatabase, type PgDatabase } from './support/pg-database.js';
import { startScheduler, type SchedulerProcess } from './support/scheduler.process.js';

const CALLS = 300;

// Several scheduler instances on one PostgreSQL database race for the same due calls: the claim
// (CallDispatchStarted at the version read) lets exactly one of them dial each call.
describe('several instances on PostgreSQL', () => {
  let db: PgDatabase;
  let mock: CallApiMockProcess;
  const instances: SchedulerProcess[] = [];

  beforeAll(async () => {
    db = await createPgDatabase();
    mock = await startCallApiMock({ MOCK_TIME_SCALE: '0.1', MOCK_LATENCY_MS: '5' });
    const env = { DISPATCH_CONCURRENCY: '16', DISPATCH_RATE: '1000', FOLLOW_INTERVAL_MS: '200', FOLLOW_MAX_INTERVAL_MS: '500' };
    // The first instance runs the migrations; the others start on the migrated schema at once.
    instances.push(await startScheduler({ callApiUrl: mock.url, databaseUrl: db.url, env }));
    instances.push(...(await Promise.all([1, 2].map(() => startScheduler({ callApiUrl: mock.url, databaseUrl: db.url, env })))));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(instances.map((i) => i.stop()));
    await mock?.stop();
    await db?.drop();
    // Three graceful shutdowns, each finishing the polls of its followed calls, on a busy machine.
  }, 30_000);

  it('dials every call exactly once while three instances compete for them', async () => {
    const due = Date.now() + 2000;
    const ids: string[] = [];
    for (let i = 0; i < CALLS; i++) {
      const api = client(instances[i % instances.length].url);
      const scheduledAt = new Date(due + (i % 10) * 100).toISOString();
      const res = await api.post('/api/calls', { phoneNumber: phoneNumber(i), scheduledAt });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    const api = client(instances[0].url);
    await eventually(
      async () => {
        const { body } = await api.get('/api/calls/stats');
        return (body.counts.completed ?? 0) === CALLS;
      },
      60_000,
      250,
    );

    const dials = await mock.dials();
    expect(dials.total).toBe(CALLS);
    for (let i = 0; i < CALLS; i++) expect(dials.byNumber[phoneNumber(i)]).toBe(1);

    const dialledBy = new Map<string, number>();
    for (const id of ids) {
      const events: { type: string; metadata: { actor: string } }[] = (await api.get(`/api/calls/${id}/events`)).body;
      const starts = events.filter((e) => e.type === 'CallDispatchStarted');
      expect(starts).toHaveLength(1);
      dialledBy.set(starts[0].metadata.actor, (dialledBy.get(starts[0].metadata.actor) ?? 0) + 1);
    }
    // The race was real: more than one instance won some of the claims.
    expect(dialledBy.size).toBeGreaterThan(1);

    // Positions stayed gapless across the three writers (the sealer places committed appends one pass at a time).
    const res = await fetch(`${instances[1].url}/api/events`, { headers: { Accept: 'application/x-ndjson' } });
    const positions = (await res.text())
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { position: number }).position);
    expect(positions).toEqual(positions.map((_, i) => i + 1));
  }, 90_000);

  it('streams a change written by one instance live to a client of another', async () => {
    const controller = new AbortController();
    const res = await fetch(`${instances[2].url}/api/stream`, { signal: controller.signal });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    // The fresh stream first names the head; then schedule on another instance.
    while (!text.includes('event: ready')) text += decoder.decode((await reader.read()).value, { stream: true });
    const created = await client(instances[0].url).post('/api/calls', {
      phoneNumber: phoneNumber(CALLS + 1),
      scheduledAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(created.status).toBe(201);
    const deadline = Date.now() + 5000;
    while (!text.includes(`"streamId":"${created.body.id}"`)) {
      const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), Math.max(0, deadline - Date.now())))]);
      if (chunk === null || chunk.done) break;
      text += decoder.decode(chunk.value, { stream: true });
    }
    controller.abort();
    expect(text).toContain(`"streamId":"${created.body.id}"`);
    expect(text).toMatch(/event: change\nid: \d+\n/);
  }, 30_000);
});
