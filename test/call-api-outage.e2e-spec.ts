import { startCallApiMock, type CallApiMockProcess } from './support/call-api-mock.process.js';
import {
  allCalls,
  allEvents,
  attemptViolation,
  byStream,
  getJson,
  phoneNumber,
  postJson,
  removeTempDatabase,
  scheduleMany,
  sleep,
  statusCounts,
  waitFor,
  type CallView,
  type LoggedEvent,
} from './support/dispatch-helpers.js';
import { startScheduler, type SchedulerProcess } from './support/scheduler.process.js';

// Bad days never cost a call: the Call API stand-in is stopped (3 s, 60 s) or answers 429 with
// Retry-After while 500 calls fall due. After it is back every call is dialled exactly once (the
// stand-in's counter), none is failed or missed, the drain keeps to DISPATCH_RATE at the stand-in,
// the circuit's opening and closing are in the log, and /health said so meanwhile.
// Needs the build: `npx tsc -p tsconfig.build.json`.

const CALLS = 500;
const RATE = 100;
const ENV = {
  DISPATCH_RATE: String(RATE),
  DISPATCH_CONCURRENCY: '32',
  DISPATCH_INTERVAL_MS: '200',
  CALL_API_PROBE_MS: '200',
  CALL_API_PROBE_MAX_MS: '2000',
  FOLLOW_INTERVAL_MS: '200',
  FOLLOW_MAX_INTERVAL_MS: '500',
};
// Calls end 0.5 s after they are placed, so the test waits for completed calls, not for timers.
const FAST_CALLS = { MOCK_TIME_SCALE: '0.05' };

interface Health {
  status: string;
  details: { callApi: { status: 'up' | 'down'; since?: string; waiting?: number | null; reason?: string } };
}

interface Run {
  scheduler: SchedulerProcess;
  mock: CallApiMockProcess;
  calls: CallView[];
}

let scheduler: SchedulerProcess | undefined;
let mock: CallApiMockProcess | undefined;

afterEach(async () => {
  await scheduler?.stop();
  await mock?.stop();
  removeTempDatabase(scheduler?.databaseUrl);
  scheduler = undefined;
  mock = undefined;
});

async function health(url: string): Promise<{ code: number; body: Health }> {
  const res = await fetch(`${url}/health`);
  return { code: res.status, body: (await res.json()) as Health };
}

/** Schedules CALLS calls, one number each, due evenly over the next `spreadMs`. */
function dueOver(spreadMs: number): { phoneNumber: string; scheduledAt: string }[] {
  const start = Date.now() + 300;
  return Array.from({ length: CALLS }, (_, i) => ({
    phoneNumber: phoneNumber(i),
    scheduledAt: new Date(start + Math.floor((i * spreadMs) / CALLS)).toISOString(),
  }));
}

async function everyCallCompleted(run: Run, timeoutMs: number): Promise<CallView[]> {
  return waitFor(
    async () => {
      const calls = await allCalls(run.scheduler.url);
      return calls.length === CALLS && calls.every((c) => c.status === 'completed') ? calls : undefined;
    },
    {
      timeoutMs,
      intervalMs: 500,
      describe: async () => {
        const calls = await allCalls(run.scheduler.url);
        const odd = calls.filter((c) => c.status !== 'completed').slice(0, 5);
        return `${JSON.stringify(statusCounts(calls))}; e.g. ${JSON.stringify(odd.map((c) => [c.status, c.lastError]))}`;
      },
    },
  );
}

/** The promise of the issue, checked on a finished run. */
async function expectEveryCallDialledOnce(run: Run): Promise<LoggedEvent[]> {
  const dials = await run.mock.dials();
  expect(dials.total).toBe(CALLS);
  expect(Object.values(dials.byNumber).every((n) => n === 1)).toBe(true);
  // The backlog drained within the provider's limit, as the provider counted it.
  expect(dials.maxPerSecond).toBeLessThanOrEqual(RATE);
  const events = await allEvents(run.scheduler.url);
  const streams = byStream(events);
  for (const call of run.calls) expect(attemptViolation(streams.get(call.id) ?? [], false)).toBeNull();
  expect(events.some((e) => e.type === 'CallDispatchFailed' || e.type === 'CallMissed' || e.type === 'CallOutcomeUnknown')).toBe(false);
  return events;
}

/** The figures the closing note quotes: printed so a run can be compared with the note. */
function report(scenario: string, events: LoggedEvent[], dials: { total: number; maxPerSecond: number }, drainedInMs: number): void {
  const recovered = circuitEvents(events).find((e) => e.type === 'CallApiRecovered');
  const downtimeMs = recovered?.data.downtimeMs;
  const count = (type: string) => events.filter((e) => e.type === type).length;
  console.log(
    `${scenario}: ${CALLS} calls, ${dials.total} dials (each number once), busiest second at the stand-in ${dials.maxPerSecond} dials ` +
      `(DISPATCH_RATE ${RATE}), ${count('CallDispatchDeferred')} deferrals, 0 failed/missed/unknown, ` +
      `circuit down ${typeof downtimeMs === 'number' ? downtimeMs : '?'} ms, all completed ${drainedInMs} ms after it was back`,
  );
}

function circuitEvents(events: LoggedEvent[]): LoggedEvent[] {
  return events.filter((e) => e.streamId === 'call-api');
}

async function outage(stoppedForMs: number): Promise<{ events: LoggedEvent[]; downSeen: Health }> {
  mock = await startCallApiMock(FAST_CALLS);
  const port = mock.port;
  scheduler = await startScheduler({ callApiUrl: mock.url, env: ENV });
  await mock.stop();
  const stoppedAt = Date.now();
  const calls = await scheduleMany(scheduler.url, dueOver(Math.min(stoppedForMs, 20_000) - 500), 32);

  // /health names the Call API down, since when, and how many calls wait; the service stays live.
  const downSeen = await waitFor(
    async () => {
      const { code, body } = await health(scheduler!.url);
      return code === 200 && body.details.callApi.status === 'down' && (body.details.callApi.waiting ?? 0) > 0 ? body : undefined;
    },
    { timeoutMs: Math.max(stoppedForMs - 500, 2_000), intervalMs: 100, describe: async () => JSON.stringify((await health(scheduler!.url)).body) },
  );
  await sleep(Math.max(0, stoppedForMs - (Date.now() - stoppedAt)));
  mock = await startCallApiMock({ ...FAST_CALLS, MOCK_PORT: String(port) });

  const backAt = Date.now();
  const run = { scheduler, mock, calls };
  await everyCallCompleted(run, 60_000);
  const events = await expectEveryCallDialledOnce(run);
  expect((await health(scheduler.url)).body.details.callApi.status).toBe('up');
  report(`stopped ${stoppedForMs / 1000} s`, events, await mock.dials(), Date.now() - backAt);
  return { events, downSeen };
}

describe('a Call API outage costs no call', () => {
  it('stopped for 3 s while 500 calls fall due: each is dialled exactly once after it is back, none failed', async () => {
    const { events, downSeen } = await outage(3_000);
    expect(downSeen.status).toBe('degraded');
    expect(downSeen.details.callApi.reason).toMatch(/ECONNREFUSED/);
    expect(Date.parse(downSeen.details.callApi.since!)).toBeGreaterThan(0);
    expect(circuitEvents(events).map((e) => e.type)).toEqual(['CallApiUnavailable', 'CallApiRecovered']);
    // Dials that found it down are on record as deferred, not as failed attempts.
    expect(events.some((e) => e.type === 'CallDispatchDeferred')).toBe(true);
  }, 120_000);

  it('stopped for 60 s: the same, and the recovery records how long it was down', async () => {
    const { events } = await outage(60_000);
    const [down, up] = circuitEvents(events);
    expect(down.type).toBe('CallApiUnavailable');
    expect(up).toMatchObject({ type: 'CallApiRecovered' });
    expect(Number(up.data.downtimeMs)).toBeGreaterThan(55_000);
  }, 180_000);

  it('answering 429 with Retry-After: nothing is dialled until it lets calls through again, then each once', async () => {
    mock = await startCallApiMock({ ...FAST_CALLS, MOCK_FAIL_RATE: '1', MOCK_FAIL_STATUS: '429' });
    scheduler = await startScheduler({ callApiUrl: mock.url, env: ENV });
    const calls = await scheduleMany(scheduler.url, dueOver(2_000), 32);
    await sleep(3_000);
    // Refused before anything was placed: no dial yet, and no call failed for it.
    expect((await mock.dials()).total).toBe(0);
    const during = await allCalls(scheduler.url);
    expect(during.filter((c) => c.status === 'failed' || c.status === 'missed')).toEqual([]);
    expect(during.some((c) => (c.lastError ?? '').includes('429'))).toBe(true);
    await mock.configure({ failRate: 0 });

    const backAt = Date.now();
    const run = { scheduler, mock, calls };
    await everyCallCompleted(run, 60_000);
    const events = await expectEveryCallDialledOnce(run);
    report('429 with Retry-After for 3 s', events, await mock.dials(), Date.now() - backAt);
    expect(circuitEvents(events).map((e) => e.type)).toEqual(['CallApiUnavailable', 'CallApiRecovered']);
    expect(String(circuitEvents(events)[0].data.reason)).toMatch(/429/);
  }, 120_000);
});

describe('a provider that restarts and forgets its calls', () => {
  it('ends those calls untracked with the reason; an operator retries them (one, then in bulk) and they complete', async () => {
    // Calls last 10 s, so they are still live when the provider restarts.
    mock = await startCallApiMock();
    const port = mock.port;
    scheduler = await startScheduler({
      callApiUrl: mock.url,
      env: { ...ENV, FOLLOW_INTERVAL_MS: '100', FOLLOW_MAX_INTERVAL_MS: '200', FOLLOW_NOT_FOUND_LIMIT: '3' },
    });
    const calls = await scheduleMany(
      scheduler.url,
      Array.from({ length: 5 }, (_, i) => ({ phoneNumber: phoneNumber(i) })),
    );
    await waitFor(async () => ((await mock!.dials()).total === 5 ? true : undefined), { timeoutMs: 10_000, describe: () => 'five dials' });
    await mock.stop();
    mock = await startCallApiMock({ ...FAST_CALLS, MOCK_PORT: String(port) });

    const untracked = await waitFor(
      async () => {
        const all = await allCalls(scheduler!.url);
        return all.every((c) => c.status === 'untracked') ? all : undefined;
      },
      { timeoutMs: 20_000, describe: async () => JSON.stringify(statusCounts(await allCalls(scheduler!.url))) },
    );
    expect(untracked.every((c) => (c.lastError ?? '').includes('no longer knows this call'))).toBe(true);

    // A bad retry changes nothing; a pending call cannot be "retried".
    const head = (await allEvents(scheduler.url)).length;
    const badAt = await postJson<{ fields: Record<string, string[]> }>(`${scheduler.url}/api/calls/${calls[0].id}/retry`, { at: 'tomorrow' });
    expect(badAt.status).toBe(400);
    expect(Object.keys(badAt.body.fields)).toEqual(['at']);
    const badStatus = await postJson<{ fields: Record<string, string[]> }>(`${scheduler.url}/api/calls/retry`, { status: ['completed'] });
    expect(badStatus.status).toBe(400);
    expect(Object.keys(badStatus.body.fields)).toEqual(['status']);
    expect(await allEvents(scheduler.url)).toHaveLength(head);

    const one = await postJson<CallView>(`${scheduler.url}/api/calls/${calls[0].id}/retry`, {});
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ status: 'pending', lastError: null });
    const since = new Date(Date.now() - 60_000).toISOString();
    const bulk = await postJson<{ count: number }>(`${scheduler.url}/api/calls/retry`, { status: ['untracked', 'failed'], since });
    expect(bulk).toEqual({ status: 200, body: { count: 4 } });

    await waitFor(async () => ((await allCalls(scheduler!.url)).every((c) => c.status === 'completed') ? true : undefined), {
      timeoutMs: 20_000,
      describe: async () => JSON.stringify(statusCounts(await allCalls(scheduler!.url))),
    });
    expect((await mock.dials()).total).toBe(5);
    const again = await postJson(`${scheduler.url}/api/calls/${calls[0].id}/retry`, {});
    expect(again.status).toBe(409);
    const retried = (await allEvents(scheduler.url)).filter((e) => e.type === 'CallRetried');
    expect(retried).toHaveLength(5);
    expect(await getJson<CallView>(`${scheduler.url}/api/calls/${calls[0].id}`)).toMatchObject({ attempts: 2, status: 'completed' });
  }, 90_000);
});
