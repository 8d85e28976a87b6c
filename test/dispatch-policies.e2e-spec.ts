import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startCallApiMock, type CallApiMockProcess } from './support/call-api-mock.process.js';
import {
  allCalls,
  allEvents,
  byStream,
  FINAL_STATUSES,
  getJson,
  phoneNumber,
  scheduleCall,
  scheduleMany,
  sleep,
  statusCounts,
  removeTempDatabase,
  waitFor,
  type CallView,
  type LoggedEvent,
} from './support/dispatch-helpers.js';
import { startScheduler, type SchedulerProcess } from './support/scheduler.process.js';

// The dispatch policies of DESIGN.md ("Guarantees"), each against the built scheduler as its own
// process and the stand-in as another. Needs the build: `npx tsc -p tsconfig.build.json`.

const FAST = {
  RETRY_BASE_MS: '50',
  RETRY_MAX_MS: '200',
  CALL_API_TIMEOUT_MS: '1000',
  DISPATCH_INTERVAL_MS: '200',
  FOLLOW_INTERVAL_MS: '100',
  FOLLOW_MAX_INTERVAL_MS: '200',
};

const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();

async function eventsOf(baseUrl: string, id: string): Promise<LoggedEvent[]> {
  return getJson<LoggedEvent[]>(`${baseUrl}/api/calls/${id}/events`);
}

async function waitForStatus(baseUrl: string, id: string, statuses: string[], timeoutMs = 15_000): Promise<CallView> {
  let last: CallView | undefined;
  return waitFor(
    async () => {
      last = await getJson<CallView>(`${baseUrl}/api/calls/${id}`);
      return statuses.includes(last.status) ? last : undefined;
    },
    { timeoutMs, describe: () => `call ${id} is ${last?.status ?? '?'}, not ${statuses.join('/')}` },
  );
}

async function waitUntilAllSettled(baseUrl: string, count: number, timeoutMs = 30_000): Promise<CallView[]> {
  return waitFor(
    async () => {
      const all = await allCalls(baseUrl);
      return all.length === count && all.every((c) => FINAL_STATUSES.includes(c.status) || c.status === 'outcome-unknown') ? all : undefined;
    },
    { timeoutMs, intervalMs: 200, describe: async () => JSON.stringify(statusCounts(await allCalls(baseUrl))) },
  );
}

describe('dispatch policies', () => {
  describe('misfire (MISFIRE_GRACE=5s)', () => {
    let mock: CallApiMockProcess;
    let scheduler: SchedulerProcess | undefined;

    beforeAll(async () => {
      mock = await startCallApiMock({ MOCK_TIME_SCALE: '0.01' });
    });

    afterAll(async () => {
      await scheduler?.stop();
      removeTempDatabase(scheduler?.databaseUrl);
      await mock?.stop();
    });

    it('records a call found more than the grace overdue at start-up as missed, and dials one within the grace', async () => {
      const env = { ...FAST, MISFIRE_GRACE: '5s' };
      scheduler = await startScheduler({ callApiUrl: mock.url, env });
      const { databaseUrl } = scheduler;
      const t0 = Date.now();
      const late = await scheduleCall(scheduler.url, { phoneNumber: phoneNumber(1), scheduledAt: new Date(t0 + 1000).toISOString() });
      // Due just before the restart: well inside the grace when the start-up sweep finds it.
      const restartAt = t0 + 1000 + 5000 + 700;
      const inGrace = await scheduleCall(scheduler.url, { phoneNumber: phoneNumber(2), scheduledAt: new Date(restartAt - 300).toISOString() });
      await scheduler.stop();
      expect(Date.now()).toBeLessThan(t0 + 1000); // stopped before anything was due

      await sleep(restartAt - Date.now());
      scheduler = await startScheduler({ callApiUrl: mock.url, databaseUrl, env });

      const missed = await waitForStatus(scheduler.url, late.id, ['missed']);
      expect(missed.lastError).toMatch(/not placed by its deadline/);
      expect(missed.latenessMs).toBeGreaterThan(5000);
      const missedEvents = await eventsOf(scheduler.url, late.id);
      expect(missedEvents.map((e) => e.type)).toEqual(['CallScheduled', 'CallMissed']);

      const dialled = await waitForStatus(scheduler.url, inGrace.id, ['dispatched', 'ringing', 'connected', 'completed']);
      expect(dialled.latenessMs).toBeGreaterThan(0);
      expect(dialled.latenessMs).toBeLessThan(5000);

      const dials = await mock.dials();
      expect(dials.byNumber).toEqual({ [phoneNumber(2)]: 1 });
    }, 40_000);
  });

  describe('answers the Call API gives', () => {
    let mock: CallApiMockProcess;
    let scheduler: SchedulerProcess;

    beforeAll(async () => {
      mock = await startCallApiMock({ MOCK_TIME_SCALE: '0.01' });
      scheduler = await startScheduler({ callApiUrl: mock.url, env: { ...FAST, FOLLOW_NOT_FOUND_LIMIT: '3' } });
    }, 30_000);

    afterEach(async () => {
      await mock.configure({ failRate: 0, failStatus: 503, outcome: 'completed', forgetAfterMs: null, timeScale: 0.01 });
    });

    afterAll(async () => {
      await scheduler?.stop();
      removeTempDatabase(scheduler?.databaseUrl);
      await mock?.stop();
    });

    it.each([
      [400, 10],
      [422, 11],
    ])('does not retry a %d: one attempt, failed, the reason on record', async (status, n) => {
      await mock.configure({ failRate: 1, failStatus: status });
      const call = await scheduleCall(scheduler.url, { phoneNumber: phoneNumber(n) });
      const failed = await waitForStatus(scheduler.url, call.id, ['failed', 'outcome-unknown']);
      expect(failed.status).toBe('failed');
      expect(failed.lastError).toMatch(new RegExp(`^HTTP ${status}\\b`));
      // Long enough for several retries at RETRY_BASE_MS=50, had one been scheduled.
      await sleep(600);
      const events = await eventsOf(scheduler.url, call.id);
      expect(events.map((e) => e.type)).toEqual(['CallScheduled', 'CallDispatchStarted', 'CallDispatchFailed']);
      expect(events[2].data).toMatchObject({ attempt: 1, certain: true, retryAt: null });
      expect((await getJson<CallView>(`${scheduler.url}/api/calls/${call.id}`)).attempts).toBe(1);
    });

    it.each(['busy', 'no-answer', 'failed'] as const)('follows a call the provider ends as %s to that status', async (outcome) => {
      await mock.configure({ outcome });
      const n = { busy: 20, 'no-answer': 21, failed: 22 }[outcome];
      const call = await scheduleCall(scheduler.url, { phoneNumber: phoneNumber(n) });
      const ended = await waitForStatus(scheduler.url, call.id, FINAL_STATUSES);
      expect(ended).toMatchObject({ status: outcome, providerStatus: outcome });
    });

    it('marks a call the provider forgot (404 on every poll) untracked, with the reason', async () => {
      // Real time: the call is still ringing when the stand-in forgets it.
      await mock.configure({ timeScale: 1, forgetAfterMs: 150 });
      const call = await scheduleCall(scheduler.url, { phoneNumber: phoneNumber(30) });
      const lost = await waitForStatus(scheduler.url, call.id, FINAL_STATUSES);
      expect(lost.status).toBe('untracked');
      expect(lost.lastError).toMatch(/no longer knows this call \(404\), 3 times in a row; its final status is unknown/);
      const events = await eventsOf(scheduler.url, call.id);
      expect(events.at(-1)).toMatchObject({ type: 'CallTrackingLost', data: { reason: lost.lastError } });
    });
  });

  describe('a provider status it does not know', () => {
    // The stand-in only speaks the documented statuses: a provider of our own says "voicemail".
    let provider: Server;
    let scheduler: SchedulerProcess;
    let polls = 0;

    beforeAll(async () => {
      provider = createServer((req, res) => {
        const send = (status: number, body: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        };
        req.resume().on('end', () => {
          if (req.method === 'POST') return send(201, { success: true, call: { id: 'p-1', status: 'initiated', duration: null } });
          polls++;
          if (polls <= 3) return send(200, { success: true, call: { id: 'p-1', status: 'voicemail', duration: null } });
          send(404, { error: 'Call not found' });
        });
      });
      await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
      scheduler = await startScheduler({ callApiUrl: url, env: { ...FAST, FOLLOW_NOT_FOUND_LIMIT: '2' } });
    }, 30_000);

    afterAll(async () => {
      await scheduler?.stop();
      removeTempDatabase(scheduler?.databaseUrl);
      provider?.closeAllConnections();
      await new Promise((resolve) => provider?.close(resolve));
    });

    it('records it as data without moving the status, then loses track on 404s', async () => {
      const call = await scheduleCall(scheduler.url, { phoneNumber: phoneNumber(40) });
      const lost = await waitForStatus(scheduler.url, call.id, FINAL_STATUSES);
      expect(lost).toMatchObject({ status: 'untracked', providerStatus: 'voicemail' });
      expect(lost.lastError).toMatch(/404/);
      const events = await eventsOf(scheduler.url, call.id);
      expect(events.map((e) => e.type)).toEqual(['CallScheduled', 'CallDispatchStarted', 'CallDispatched', 'CallStatusChanged', 'CallTrackingLost']);
      // Recorded once, not on every poll that said the same.
      expect(events[3].data).toEqual({ from: 'dispatched', to: 'dispatched', providerStatus: 'voicemail', duration: null });
      const health = await fetch(`${scheduler.url}/health`);
      expect(health.status).toBe(200);
    });
  });

  describe('a provider that never reports a final status', () => {
    let provider: Server;
    let scheduler: SchedulerProcess;

    beforeAll(async () => {
      provider = createServer((req, res) => {
        req.resume().on('end', () => {
          res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ success: true, call: { id: 'p-forever', status: 'queued', duration: null } }));
        });
      });
      await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
      scheduler = await startScheduler({ callApiUrl: url, env: { ...FAST, FOLLOW_GIVE_UP: '1500ms' } });
    }, 30_000);

    afterAll(async () => {
      await scheduler?.stop();
      removeTempDatabase(scheduler?.databaseUrl);
      provider?.closeAllConnections();
      await new Promise((resolve) => provider?.close(resolve));
    });

    it('stops polling after FOLLOW_GIVE_UP and records the call untracked with the reason', async () => {
      const call = await scheduleCall(scheduler.url, { phoneNumber: phoneNumber(41) });
      const lost = await waitForStatus(scheduler.url, call.id, FINAL_STATUSES);
      expect(lost).toMatchObject({ status: 'untracked', providerStatus: 'queued' });
      expect(lost.lastError).toMatch(/no final status after 2 s \(last: queued\)/);
    });
  });

  describe('SIGTERM while dialling', () => {
    let mock: CallApiMockProcess;
    let scheduler: SchedulerProcess | undefined;

    beforeAll(async () => {
      mock = await startCallApiMock({ MOCK_TIME_SCALE: '0.01', MOCK_LATENCY_MS: '100' });
    });

    afterAll(async () => {
      await scheduler?.stop();
      removeTempDatabase(scheduler?.databaseUrl);
      await mock?.stop();
    });

    it('exits 0 after the dials in flight are answered, and the restart loses or doubles nothing', async () => {
      const CALLS = 150;
      // The rate limit is the bottleneck, so the signal lands while the sweep waits for a token.
      const env = { ...FAST, DISPATCH_RATE: '40', DISPATCH_CONCURRENCY: '16' };
      scheduler = await startScheduler({ callApiUrl: mock.url, env });
      const { databaseUrl } = scheduler;
      const due = inSeconds(1);
      await scheduleMany(
        scheduler.url,
        Array.from({ length: CALLS }, (_, i) => ({ phoneNumber: phoneNumber(100 + i), scheduledAt: due })),
      );
      await waitFor(async () => ((await mock.dials()).total >= 50 ? true : undefined), {
        timeoutMs: 15_000,
        intervalMs: 20,
        describe: async () => `only ${(await mock.dials()).total} dials`,
      });
      const stopped = scheduler.child;
      const exitCode = await scheduler.stop();
      const dialledBeforeStop = (await mock.dials()).total;
      expect(dialledBeforeStop).toBeLessThan(CALLS);

      scheduler = await startScheduler({ callApiUrl: mock.url, databaseUrl, env: { ...env, DISPATCH_RATE: '1000' } });
      const calls = await waitUntilAllSettled(scheduler.url, CALLS);
      const dials = await mock.dials();
      expect(statusCounts(calls)).toEqual({ completed: CALLS });
      expect(Object.values(dials.byNumber).filter((n) => n !== 1)).toEqual([]);
      expect(dials.total).toBe(CALLS);
      const streams = byStream(await allEvents(scheduler.url));
      // One start each; a second only after the first was handed back unsent (claimed as the stop began).
      const starts = (id: string) => streams.get(id)!.filter((e) => e.type === 'CallDispatchStarted').length;
      const handedBack = (id: string) => streams.get(id)!.filter((e) => e.type === 'CallDispatchDeferred').length;
      expect(calls.filter((c) => starts(c.id) !== 1 + handedBack(c.id))).toEqual([]);
      // Only calls claimed and still waiting at the send gate when the stop came: at most one per dial slot.
      expect(calls.filter((c) => handedBack(c.id) > 0).length).toBeLessThanOrEqual(Number(env.DISPATCH_CONCURRENCY));
      // A clean stop, not one that ends by the signal (checked last so the above is reported either way).
      expect({ exitCode, signal: stopped.signalCode }).toEqual({ exitCode: 0, signal: null });
    }, 60_000);
  });

  describe('rate limit (DISPATCH_RATE=5)', () => {
    let mock: CallApiMockProcess;
    let scheduler: SchedulerProcess;

    beforeAll(async () => {
      mock = await startCallApiMock({ MOCK_TIME_SCALE: '0.01' });
      scheduler = await startScheduler({ callApiUrl: mock.url, env: { ...FAST, DISPATCH_RATE: '5' } });
    }, 30_000);

    afterAll(async () => {
      await scheduler?.stop();
      removeTempDatabase(scheduler?.databaseUrl);
      await mock?.stop();
    });

    it('spreads 20 calls due at once over 3 s, never more than rate + burst in a second', async () => {
      const due = inSeconds(1);
      const views = await scheduleMany(
        scheduler.url,
        Array.from({ length: 20 }, (_, i) => ({ phoneNumber: phoneNumber(200 + i), scheduledAt: due })),
      );
      await waitUntilAllSettled(scheduler.url, 20);
      expect((await mock.dials()).total).toBe(20);

      const ids = new Set(views.map((v) => v.id));
      const starts = (await allEvents(scheduler.url))
        .filter((e) => e.type === 'CallDispatchStarted' && ids.has(e.streamId))
        .map((e) => Date.parse(e.occurredAt))
        .sort((a, b) => a - b);
      expect(starts).toHaveLength(20);
      // A burst of 5, then one every 200 ms: 15 more take 3 s.
      expect(starts[19] - starts[0]).toBeGreaterThanOrEqual(2800);
      for (const from of starts) {
        expect(starts.filter((t) => t >= from && t < from + 1000).length).toBeLessThanOrEqual(10);
      }
    }, 30_000);
  });

  describe('a call rescheduled while it waits for a rate token (DISPATCH_RATE=1)', () => {
    let mock: CallApiMockProcess;
    let scheduler: SchedulerProcess;

    beforeAll(async () => {
      mock = await startCallApiMock({ MOCK_TIME_SCALE: '0.01' });
      scheduler = await startScheduler({ callApiUrl: mock.url, env: { ...FAST, DISPATCH_RATE: '1' } });
    }, 30_000);

    afterAll(async () => {
      await scheduler?.stop();
      removeTempDatabase(scheduler?.databaseUrl);
      await mock?.stop();
    });

    it('is not dialled before its new time', async () => {
      const due = inSeconds(0.5);
      const views = await scheduleMany(
        scheduler.url,
        [400, 401, 402].map((n) => ({ phoneNumber: phoneNumber(n), scheduledAt: due })),
        1,
      );
      // Due together, they are read in id order: the first takes the only token, the second waits
      // 1 s for the next, the last 2 s. That last one is rescheduled while it waits.
      const [first, second, last] = [...views].sort((a, b) => (a.id < b.id ? -1 : 1));
      await waitForStatus(scheduler.url, first.id, ['dispatched', 'ringing', 'connected', 'completed']);
      const later = inSeconds(3600);
      const patched = await fetch(`${scheduler.url}/api/calls/${last.id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ scheduledAt: later }),
      });
      expect(patched.status).toBe(200);
      // Past the moment its token came up.
      await sleep(2600);
      const view = await getJson<CallView>(`${scheduler.url}/api/calls/${last.id}`);
      expect(view).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: later });
      const dials = (await mock.dials()).byNumber;
      expect(dials[last.phoneNumber]).toBeUndefined();
      expect(dials[second.phoneNumber]).toBe(1);
    }, 30_000);
  });

  describe('on time', () => {
    let mock: CallApiMockProcess;
    let scheduler: SchedulerProcess;

    beforeAll(async () => {
      mock = await startCallApiMock({ MOCK_TIME_SCALE: '0.01' });
      // A slow safety-net sweep: being on time must not depend on it.
      scheduler = await startScheduler({ callApiUrl: mock.url, env: { ...FAST, DISPATCH_INTERVAL_MS: '60000' } });
    }, 30_000);

    afterAll(async () => {
      await scheduler?.stop();
      removeTempDatabase(scheduler?.databaseUrl);
      await mock?.stop();
    });

    it('dispatches calls scheduled a few seconds ahead within 200 ms of their time', async () => {
      const views = await Promise.all(
        [2, 2.3, 2.6].map((s, i) => scheduleCall(scheduler.url, { phoneNumber: phoneNumber(300 + i), scheduledAt: inSeconds(s) })),
      );
      for (const view of views) {
        const dispatched = await waitForStatus(scheduler.url, view.id, ['dispatched', 'ringing', 'connected', 'completed']);
        expect(dispatched.latenessMs).toBeGreaterThanOrEqual(0);
        expect(dispatched.latenessMs).toBeLessThan(200);
      }
    }, 30_000);
  });
});
