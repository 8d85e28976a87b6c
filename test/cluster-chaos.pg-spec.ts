import { startCallApiMock, type CallApiMockProcess } from './support/call-api-mock.process.js';
import { client, eventually, phoneNumber } from './support/http.js';
import { createPgDatabase, type PgDatabase } from './support/pg-database.js';
import { startScheduler, startSchedulers, type SchedulerProcess } from './support/scheduler.process.js';

const CALLS = 5000;
const SPREAD_MS = 25_000;
const KILLS = 10;
const LIVE = ['pending', 'dispatching', 'dispatched', 'ringing', 'connected'];

// Phases and their times, printed with the result (a run this long on a shared machine needs them to be read).
const started = Date.now();
const progress = (what: string) => console.log(`${((Date.now() - started) / 1000).toFixed(1)} s: ${what}`);

interface LoggedEvent {
  position: number;
  streamId: string;
  type: string;
  data: Record<string, unknown>;
  metadata: { actor?: string };
}

// Three instances, 5,000 calls due over 25 s, and an instance kill -9ed and restarted every 2–4 s:
// every call dialled exactly once, except those whose dialler was killed mid-dial, which are
// recorded outcome-unknown (never redialled blindly); the log stays gapless and verifiable.
describe('chaos: three instances, 5,000 calls, ten kill -9s', () => {
  let db: PgDatabase;
  let mock: CallApiMockProcess;
  let instances: SchedulerProcess[] = [];

  afterAll(async () => {
    await Promise.all(instances.map((i) => i.kill9()));
    await mock?.stop();
    await db?.drop();
  });

  it('dials none twice, loses none, and keeps the log intact', async () => {
    db = await createPgDatabase();
    mock = await startCallApiMock({ MOCK_TIME_SCALE: '0.05', MOCK_LATENCY_MS: '5' });
    const env = { DISPATCH_RATE: '100000', DISPATCH_CONCURRENCY: '32', FOLLOW_INTERVAL_MS: '200', FOLLOW_MAX_INTERVAL_MS: '500', CALL_API_TIMEOUT_MS: '2000' };
    instances = await startSchedulers(3, { callApiUrl: mock.url, databaseUrl: db.url, env });

    progress('three instances up');
    // Scheduled first (no kills yet), due over 25 s from a moment after the scheduling is done.
    const base = Date.now() + 45_000;
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < CALLS) {
          const i = next++;
          const scheduledAt = new Date(base + Math.floor((i * SPREAD_MS) / CALLS)).toISOString();
          const res = await client(instances[i % 3].url).post('/api/calls', { phoneNumber: phoneNumber(i), scheduledAt });
          expect(res.status).toBe(201);
        }
      }),
    );
    progress(`${CALLS} calls scheduled`);
    await new Promise((r) => setTimeout(r, Math.max(0, base - Date.now())));

    const killed = new Set<number>();
    for (let k = 0; k < KILLS; k++) {
      await new Promise((r) => setTimeout(r, 2000 + Math.random() * 2000));
      const victim = Math.floor(Math.random() * 3);
      killed.add(instances[victim].child.pid!);
      await instances[victim].kill9();
      instances[victim] = await startScheduler({ callApiUrl: mock.url, databaseUrl: db.url, env });
      progress(`kill ${k + 1}: instance ${victim} restarted`);
    }

    // Every call ends: completed, or outcome-unknown for an attempt whose dialler died.
    await eventually(
      async () => {
        const { body } = await client(instances[0].url).get('/api/calls/stats');
        const counts = body.counts as Record<string, number>;
        progress(JSON.stringify(counts));
        return LIVE.every((s) => !counts[s]) && Object.values(counts).reduce((a, b) => a + b, 0) === CALLS;
      },
      180_000,
      5000,
    );

    const res = await fetch(`${instances[1].url}/api/events`, { headers: { Accept: 'application/x-ndjson' } });
    const events = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as LoggedEvent);
    expect(events.map((e) => e.position)).toEqual(events.map((_, i) => i + 1));

    const dials = await mock.dials();
    expect(Math.max(...Object.values(dials.byNumber))).toBe(1); // 0 dialled twice
    const byStream = new Map<string, LoggedEvent[]>();
    for (const e of events) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e]);
    let unknown = 0;
    for (const [streamId, stream] of byStream) {
      if (streamId === 'call-api') continue;
      const phone = String(stream[0].data.phoneNumber);
      const types = stream.map((e) => e.type);
      if (types.includes('CallOutcomeUnknown')) {
        // Only a killed instance leaves an attempt without an answer.
        unknown++;
        const starter = stream.filter((e) => e.type === 'CallDispatchStarted').at(-1)!.metadata.actor ?? '';
        expect(killed.has(Number(starter.split(':').at(-1)))).toBe(true);
        expect(dials.byNumber[phone] ?? 0).toBeLessThanOrEqual(1);
      } else {
        const last = stream.at(-1)!;
        expect([streamId, last.type, last.data.to]).toEqual([streamId, 'CallStatusChanged', 'completed']);
        expect([phone, dials.byNumber[phone]]).toEqual([phone, 1]); // 0 never dialled
      }
    }
    expect(byStream.size - (byStream.has('call-api') ? 1 : 0)).toBe(CALLS);
    // A kill interrupts at most the dials in flight at that moment.
    expect(unknown).toBeLessThanOrEqual(KILLS * 32);

    const verify = await client(instances[2].url).get('/api/audit/verify');
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({ ok: true });
  }, 900_000);
});
