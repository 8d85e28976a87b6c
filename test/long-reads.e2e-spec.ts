import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dispatchLateness, generateLog, loopback, nearestRank, open, probe, scheduleWindow, startLongReads } from '../bench/support/long-read-clients.js';
import { startCallApiMock, type CallApiMockProcess } from './support/call-api-mock.process.js';
import { getJson, removeTempDatabase, sleep, waitFor, type LoggedEvent } from './support/dispatch-helpers.js';
import { client } from './support/http.js';
import { startScheduler, type SchedulerProcess } from './support/scheduler.process.js';

// Issue #8: long reads (SSE catch-up from position 0, NDJSON export, audit verify) on a ~100k-event
// log must not starve the dispatcher: better-sqlite3 blocks the event loop while it reads. The
// scheduler and the Call API stand-in run as their own processes on a generated SQLite log.
// Needs the build: `npm run build:server`.

const CALLS = 200;
const WINDOW_MS = 8000;
const READS = 5; // catch-ups, and as many exports
const P99_LIMIT_MS = 50;

describe('long reads on a 100k-event log', () => {
  let mock: CallApiMockProcess;
  let scheduler: SchedulerProcess;
  let head: number;

  beforeAll(async () => {
    const databaseUrl = `sqlite:${join(mkdtempSync(join(tmpdir(), 'cs-e2e-')), 'calls.db')}`;
    // 18,300 calls played out ≈ 100k events; what is still pending is due days from now.
    const generated = await generateLog(databaseUrl, 18_300);
    head = generated.headPosition;
    mock = await startCallApiMock({ MOCK_TIME_SCALE: '0.01' });
    scheduler = await startScheduler({
      callApiUrl: mock.url,
      databaseUrl,
      env: { DISPATCH_RATE: '1000', DISPATCH_CONCURRENCY: '64', FOLLOW_INTERVAL_MS: '500' },
    });
  }, 120_000);

  afterAll(async () => {
    await scheduler?.stop();
    removeTempDatabase(scheduler?.databaseUrl);
    await mock?.stop();
  });

  it('keeps dispatch on time while 5 full catch-ups and 5 exports run, and each read gets every event', async () => {
    expect(head).toBeGreaterThan(95_000);
    const dueFrom = Date.now() + 5000;
    const ids = await scheduleWindow(scheduler.url, CALLS, dueFrom, WINDOW_MS);
    // The reads start before the first call is due and run through the window; one catch-up and
    // one export per client address, within the per-client limit.
    await sleep(dueFrom - 1500 - Date.now());
    const health = probe(scheduler.url, '/health', 200);
    const results = await startLongReads(scheduler.url, READS, head);
    await sleep(dueFrom + WINDOW_MS + 500 - Date.now());
    const healthSamples = await health.stop();

    const lateness = await dispatchLateness(scheduler.url, ids);
    const p50 = nearestRank(lateness, 50);
    const p99 = nearestRank(lateness, 99);
    const slowestHealth = Math.max(...healthSamples.map((s) => s.ms));
    console.log(
      `lateness p50 ${p50} ms, p99 ${p99} ms, worst ${lateness.slice(-5).join(' ')} ms; /health ${healthSamples.length} answers, slowest ${slowestHealth.toFixed(0)} ms; ` +
        `reads ${results.map((r) => `${(r.ms / 1000).toFixed(1)}s`).join(' ')}`,
    );

    for (const [i, result] of results.entries()) {
      // Catch-ups stop at the head they were asked to reach; exports end at the log's end then.
      const expected = { status: 200, first: 1, contiguous: true, enough: true };
      expect({ read: i, ...expected, ...result, enough: result.last >= head && result.count === result.last }).toMatchObject({ read: i, ...expected });
    }
    expect(healthSamples.length).toBeGreaterThan(10);
    expect(healthSamples.filter((s) => s.status !== 200)).toEqual([]);
    expect(slowestHealth).toBeLessThan(1000);
    expect(p99).toBeLessThanOrEqual(P99_LIMIT_MS);
  }, 240_000);

  describe('a resume position', () => {
    it.each([
      ['as ?lastEventId=', '/api/stream?lastEventId=99999999', {}],
      ['as Last-Event-ID', '/api/stream', { 'last-event-id': '99999999' }],
    ])('past the end, %s, is refused with 400 naming lastEventId and the current head', async (_name, path, headers) => {
      const res = await client(scheduler.url).get(path, headers);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', fields: { lastEventId: [expect.stringContaining('past the end')] } });
      // The head named is the log's current one (our calls added events after the generated ones).
      expect(Number(/head is (\d+)/.exec(String(res.body.message))?.[1])).toBe(await lastPosition(scheduler.url, head));
    });

    it.each([
      ['negative', '/api/stream?lastEventId=-1', {}],
      ['not an integer', '/api/stream?lastEventId=1.5', {}],
      ['not a number', '/api/stream', { 'last-event-id': 'abc' }],
    ])('%s is refused with 400 naming lastEventId', async (_name, path, headers) => {
      const res = await client(scheduler.url).get(path, headers);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', fields: { lastEventId: [expect.stringContaining('non-negative integer')] } });
    });

    it('at the head is accepted (nothing to replay, then live)', async () => {
      const last = await lastPosition(scheduler.url, head);
      const res = await open(scheduler.url, `/api/stream?lastEventId=${last}`);
      expect(res.statusCode).toBe(200);
      res.destroy();
    });

    it('past the end of /api/events is an empty page, not an error', async () => {
      const res = await client(scheduler.url).get('/api/events?after=99999999');
      expect(res.status).toBe(200);
      expect(res.body).toEqual([]);
    });
  });

  describe('limits', () => {
    it('refuses a third long read from one client address with 429 and Retry-After', async () => {
      const address = loopback(50);
      const held = [await open(scheduler.url, '/api/stream?lastEventId=0', {}, address), await open(scheduler.url, '/api/stream?lastEventId=0', {}, address)];
      try {
        // Not reading: the server's writes back up and both stay open.
        for (const res of held) res.pause();
        expect(held.map((r) => r.statusCode)).toEqual([200, 200]);
        const third = await open(scheduler.url, '/api/events', { accept: 'application/x-ndjson' }, address);
        expect(third.statusCode).toBe(429);
        expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
        third.destroy();
        // Another address is not affected.
        const other = await open(scheduler.url, '/api/stream?lastEventId=0', {}, loopback(51));
        expect(other.statusCode).toBe(200);
        other.destroy();
      } finally {
        for (const res of held) res.destroy();
      }
      // Once they are closed, the address may read again.
      const again = await waitFor(
        async () => {
          const res = await open(scheduler.url, '/api/stream?lastEventId=0', {}, address);
          res.destroy();
          return res.statusCode === 200 ? res.statusCode : undefined;
        },
        { timeoutMs: 5000, describe: () => 'the address stayed refused after its reads closed' },
      );
      expect(again).toBe(200);
    });

    it('answers 503 with Retry-After when every slot and the queue are taken, and /health stays quick', async () => {
      const held = [];
      try {
        let refused = null;
        for (let i = 0; i < 40 && !refused; i++) {
          const res = await open(scheduler.url, '/api/stream?lastEventId=0', {}, loopback(100 + i));
          if (res.statusCode === 200) {
            res.pause();
            held.push(res);
          } else refused = res;
        }
        expect(refused?.statusCode).toBe(503);
        expect(Number(refused?.headers['retry-after'])).toBeGreaterThan(0);
        refused?.destroy();
        expect(held.length).toBeGreaterThanOrEqual(4);
        const t = performance.now();
        expect((await fetch(`${scheduler.url}/health`)).status).toBe(200);
        expect(performance.now() - t).toBeLessThan(500);
      } finally {
        for (const res of held) res.destroy();
      }
    });
  });
});

/** The log's current head, paging /api/events forward from a known position. */
async function lastPosition(baseUrl: string, from: number): Promise<number> {
  let last = from;
  for (;;) {
    const page = await getJson<LoggedEvent[]>(`${baseUrl}/api/events?after=${last}&limit=1000`);
    if (page.length === 0) return last;
    last = page.at(-1)!.position;
  }
}
