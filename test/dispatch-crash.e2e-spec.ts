import { startCallApiMock, type CallApiMockProcess } from './support/call-api-mock.process.js';
import {
  allCalls,
  allEvents,
  attemptViolation,
  byStream,
  FINAL_STATUSES,
  phoneNumber,
  scheduleMany,
  sleep,
  statusCounts,
  removeTempDatabase,
  waitFor,
  type CallView,
} from './support/dispatch-helpers.js';
import { startScheduler, type SchedulerProcess } from './support/scheduler.process.js';

// "Never dialled twice, nothing lost" under kill -9: the built scheduler dispatches 1,000 calls
// against the stand-in (its own process, with latency so kills land mid-request), is killed at a
// random moment while dialling, restarted on the same SQLite file, three times over (plus one
// kill of the incarnation that took the schedules). Needs the
// build: `npx tsc -p tsconfig.build.json`.

const CALLS = 1000;
const KILLS = 3;
const CONCURRENCY = 32;
const ENV = {
  DISPATCH_CONCURRENCY: String(CONCURRENCY),
  // 200/s stretches the dispatch of 1,000 calls over 5 s or more, so the kills land mid-dispatch.
  DISPATCH_RATE: '200',
  DISPATCH_INTERVAL_MS: '200',
  // A dial interrupted by a kill is resolved CALL_API_TIMEOUT_MS + 2 s after it started.
  CALL_API_TIMEOUT_MS: '1000',
  FOLLOW_INTERVAL_MS: '100',
  FOLLOW_MAX_INTERVAL_MS: '300',
};

describe('dispatch under kill -9', () => {
  let mock: CallApiMockProcess;
  let scheduler: SchedulerProcess | undefined;

  beforeAll(async () => {
    // 30 ms per POST keeps several dials in flight at any moment; 0.01 makes a call end in 100 ms.
    mock = await startCallApiMock({ MOCK_LATENCY_MS: '30', MOCK_TIME_SCALE: '0.01' });
  });

  afterAll(async () => {
    await scheduler?.kill9();
    removeTempDatabase(scheduler?.databaseUrl);
    await mock?.stop();
  });

  it('dials every call at most once across three crashes, and leaves none pending or unexplained', async () => {
    // Scheduling 1,000 calls takes seconds on a busy machine: the incarnation that takes them
    // dials at most one call a second, so the real dispatch starts only after the first crash.
    scheduler = await startScheduler({ callApiUrl: mock.url, env: { ...ENV, DISPATCH_RATE: '1' } });
    const { databaseUrl } = scheduler;

    // All due within two seconds.
    const dueFrom = Date.now() + 2000;
    const bodies = Array.from({ length: CALLS }, (_, i) => ({
      phoneNumber: phoneNumber(i),
      scheduledAt: new Date(dueFrom + (i % 100) * 20).toISOString(),
    }));
    const scheduled = await scheduleMany(scheduler.url, bodies, 16);
    const numberOf = new Map(scheduled.map((c) => [c.id, c.phoneNumber]));
    await scheduler.kill9();
    scheduler = await startScheduler({ callApiUrl: mock.url, databaseUrl, env: ENV });

    const kills: string[] = [];
    for (let k = 0; k < KILLS; k++) {
      // Wait until this incarnation is dialling, then kill it a random moment later.
      const before = (await mock.dials()).total;
      await waitFor(async () => ((await mock.dials()).total > before ? true : undefined), {
        timeoutMs: 15_000,
        intervalMs: 10,
        describe: () => `incarnation ${k + 1} never started dialling (${before} dials so far)`,
      });
      await sleep(Math.floor(Math.random() * 250));
      await scheduler.kill9();
      const dialled = (await mock.dials()).total;
      kills.push(`kill ${k + 1} after ${dialled} dials`);
      // The kill landed while there was still dialling to do.
      if (dialled >= CALLS) throw new Error(`dispatch finished before the kills: ${kills.join(', ')}`);
      scheduler = await startScheduler({ callApiUrl: mock.url, databaseUrl, env: ENV });
    }

    // Recovery: the last incarnation finishes the rest and resolves every interrupted attempt.
    const baseUrl = scheduler.url;
    const calls = await waitFor(
      async () => {
        const all = await allCalls(baseUrl);
        return all.length === CALLS && all.every((c) => FINAL_STATUSES.includes(c.status) || c.status === 'outcome-unknown') ? all : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250, describe: async () => `${kills.join(', ')}; statuses ${JSON.stringify(statusCounts(await allCalls(baseUrl)))}` },
    );

    const dials = await mock.dials();
    const streams = byStream(await allEvents(baseUrl));
    const byStatus = statusCounts(calls);

    // Every call is known, and nothing was placed that the scheduler did not schedule.
    expect(new Set(calls.map((c) => c.id))).toEqual(new Set(numberOf.keys()));
    expect(Object.keys(dials.byNumber).every((n) => bodies.some((b) => b.phoneNumber === n))).toBe(true);

    // Never dialled twice.
    const twice = Object.entries(dials.byNumber).filter(([, count]) => count > 1);
    expect(twice).toEqual([]);

    // Nothing left pending past its time: all were due long ago.
    expect(calls.filter((c) => c.status === 'pending' || c.status === 'dispatching')).toEqual([]);

    // No fault injection: every call either went through or had its answer lost in a kill.
    expect(Object.keys(byStatus).sort()).toEqual(expect.arrayContaining(['completed']));
    expect(Object.keys(byStatus).filter((s) => s !== 'completed' && s !== 'outcome-unknown')).toEqual([]);

    const problems: string[] = [];
    for (const call of calls) {
      const stream = streams.get(call.id) ?? [];
      const count = dials.byNumber[call.phoneNumber] ?? 0;
      const started = stream.filter((e) => e.type === 'CallDispatchStarted');
      const dispatched = stream.some((e) => e.type === 'CallDispatched');
      const violation = attemptViolation(stream, false);
      if (violation) problems.push(`${call.id}: ${violation}`);
      // No failure was certain here, so a second attempt would have been a blind redial.
      if (started.length !== 1) problems.push(`${call.id}: ${started.length} CallDispatchStarted`);
      if (call.status === 'completed' && (count !== 1 || !dispatched)) problems.push(`${call.id}: completed with ${count} dials`);
      // A call dialled whose answer never got on record is exactly one a kill interrupted mid-request.
      if (count === 1 && !dispatched && call.status !== 'outcome-unknown') problems.push(`${call.id}: dialled, unanswered, ${call.status}`);
      if (call.status === 'outcome-unknown') {
        if (count > 1) problems.push(`${call.id}: outcome-unknown yet dialled ${count} times`);
        if (dispatched) problems.push(`${call.id}: outcome-unknown yet CallDispatched is on record`);
        if (!stream.some((e) => e.type === 'CallOutcomeUnknown')) problems.push(`${call.id}: outcome-unknown without the event`);
        if (!(call.lastError ?? '').includes('dispatcher stopped')) problems.push(`${call.id}: reason ${String(call.lastError)}`);
      }
    }
    expect(problems).toEqual([]);

    process.stdout.write(`dispatch-crash: ${kills.join(', ')}; ${JSON.stringify(byStatus)}; ${dials.total} dials\n`);
    // Each kill can cut off at most the dials it had in flight; at least one kill did cut one off.
    const unknown = calls.filter((c: CallView) => c.status === 'outcome-unknown');
    expect(unknown.length).toBeGreaterThan(0);
    expect(unknown.length).toBeLessThanOrEqual((KILLS + 1) * CONCURRENCY);
    expect(dials.total).toBe(byStatus.completed + unknown.filter((c) => dials.byNumber[c.phoneNumber] === 1).length);
  }, 120_000);
});
