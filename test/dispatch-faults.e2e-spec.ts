import { startCallApiMock, type CallApiMockProcess } from './support/call-api-mock.process.js';
import {
  allCalls,
  allEvents,
  attemptViolation,
  byStream,
  FINAL_STATUSES,
  phoneNumber,
  scheduleMany,
  statusCounts,
  removeTempDatabase,
  waitFor,
  type CallView,
  type LoggedEvent,
} from './support/dispatch-helpers.js';
import { startScheduler, type SchedulerProcess } from './support/scheduler.process.js';

// A flaky Call API: 30 % of POSTs refused with 503 (nothing placed), 5 % placed but never answered.
// A refusal is the Call API being unavailable, not the call failing: it costs no attempt. Every call
// must end with its reason on record, within MAX_ATTEMPTS counted attempts, never dialled twice.
// Needs the build: `npx tsc -p tsconfig.build.json`.

const CALLS = 300;
const MAX_ATTEMPTS = 3;
const FAULTS = { MOCK_FAIL_RATE: '0.3', MOCK_HANG_RATE: '0.05', MOCK_TIME_SCALE: '0.01' };
const ENV = {
  MAX_ATTEMPTS: String(MAX_ATTEMPTS),
  RETRY_BASE_MS: '50',
  RETRY_MAX_MS: '200',
  CALL_API_TIMEOUT_MS: '1000',
  DISPATCH_CONCURRENCY: '32',
  DISPATCH_RATE: '1000',
  DISPATCH_INTERVAL_MS: '200',
  FOLLOW_INTERVAL_MS: '100',
  FOLLOW_MAX_INTERVAL_MS: '300',
  // Three refusals in a row open the circuit now and then: probe quickly so the run stays short.
  CALL_API_PROBE_MS: '100',
  CALL_API_PROBE_MAX_MS: '400',
};

interface Outcome {
  calls: CallView[];
  streams: Map<string, LoggedEvent[]>;
  dials: Record<string, number>;
}

/** Schedules CALLS calls due at once and waits until each is final or outcome-unknown. */
async function dispatchAll(scheduler: SchedulerProcess, mock: CallApiMockProcess): Promise<Outcome> {
  const due = new Date(Date.now() + 500).toISOString();
  await scheduleMany(
    scheduler.url,
    Array.from({ length: CALLS }, (_, i) => ({ phoneNumber: phoneNumber(i), scheduledAt: due })),
  );
  const calls = await waitFor(
    async () => {
      const all = await allCalls(scheduler.url);
      return all.length === CALLS && all.every((c) => FINAL_STATUSES.includes(c.status) || c.status === 'outcome-unknown') ? all : undefined;
    },
    { timeoutMs: 45_000, intervalMs: 250, describe: async () => JSON.stringify(statusCounts(await allCalls(scheduler.url))) },
  );
  return { calls, streams: byStream(await allEvents(scheduler.url)), dials: (await mock.dials()).byNumber };
}

const started = (stream: LoggedEvent[]) => stream.filter((e) => e.type === 'CallDispatchStarted');
// Attempts that count: started, less those handed back because the Call API was unavailable.
const counted = (stream: LoggedEvent[]) => started(stream).length - stream.filter((e) => e.type === 'CallDispatchDeferred').length;
const lastOf = (stream: LoggedEvent[], type: string) => stream.filter((e) => e.type === type).at(-1);

describe('dispatch against a flaky Call API', () => {
  describe('that is not idempotent (the assignment’s)', () => {
    let mock: CallApiMockProcess;
    let scheduler: SchedulerProcess;
    let outcome: Outcome;

    beforeAll(async () => {
      mock = await startCallApiMock({ ...FAULTS, MOCK_SEED: '3' });
      scheduler = await startScheduler({ callApiUrl: mock.url, env: ENV });
      outcome = await dispatchAll(scheduler, mock);
    }, 90_000);

    afterAll(async () => {
      await scheduler?.stop();
      removeTempDatabase(scheduler?.databaseUrl);
      await mock?.stop();
    });

    it('ends every call completed or outcome-unknown, both seen: refusals fail no call', () => {
      const counts = statusCounts(outcome.calls);
      expect(Object.keys(counts).sort()).toEqual(['completed', 'outcome-unknown']);
    });

    it('never dials a number twice and never starts more than MAX_ATTEMPTS attempts', () => {
      expect(Object.entries(outcome.dials).filter(([, n]) => n > 1)).toEqual([]);
      const problems = outcome.calls.flatMap((call) => {
        const stream = outcome.streams.get(call.id) ?? [];
        const violation = attemptViolation(stream, false);
        return [...(violation ? [`${call.id}: ${violation}`] : []), ...(counted(stream) > MAX_ATTEMPTS ? [`${call.id}: ${counted(stream)} attempts`] : [])];
      });
      expect(problems).toEqual([]);
    });

    it('defers a call refused with 503 without counting the attempt, and places it later with the same key', () => {
      const refusedThenPlaced = outcome.calls.filter((c) => {
        const stream = outcome.streams.get(c.id)!;
        return c.status === 'completed' && stream.some((e) => e.type === 'CallDispatchDeferred');
      });
      expect(refusedThenPlaced.length).toBeGreaterThan(0);
      for (const call of refusedThenPlaced) {
        const stream = outcome.streams.get(call.id)!;
        const deferred = stream.filter((e) => e.type === 'CallDispatchDeferred');
        expect(deferred.every((e) => String(e.data.reason).startsWith('HTTP 503') && typeof e.data.retryAt === 'string')).toBe(true);
        expect(call.attempts).toBe(counted(stream));
        expect(new Set(started(stream).map((e) => e.data.idempotencyKey)).size).toBe(call.attempts);
        expect(call.lastError).toBeNull();
        expect(outcome.dials[call.phoneNumber]).toBe(1);
      }
      expect(outcome.calls.filter((c) => c.status === 'failed')).toEqual([]);
    });

    it('records a call whose POST hung as outcome-unknown with the timeout as reason, dialled once, never retried', () => {
      const unknown = outcome.calls.filter((c) => c.status === 'outcome-unknown');
      for (const call of unknown) {
        const stream = outcome.streams.get(call.id)!;
        expect(call.lastError).toMatch(/no answer within the timeout/);
        expect(lastOf(stream, 'CallOutcomeUnknown')?.data.reason).toBe(call.lastError);
        expect(stream.at(-1)?.type).toBe('CallOutcomeUnknown');
        // The hang happened after the stand-in placed the call.
        expect(outcome.dials[call.phoneNumber]).toBe(1);
      }
    });

    it('dials each completed call exactly once', () => {
      const completed = outcome.calls.filter((c) => c.status === 'completed');
      expect(completed.filter((c) => outcome.dials[c.phoneNumber] !== 1).map((c) => c.phoneNumber)).toEqual([]);
      expect(completed.every((c) => c.providerCallId && c.latenessMs !== null)).toBe(true);
    });
  });

  describe('that honours Idempotency-Key, declared with CALL_API_IDEMPOTENT=true', () => {
    let mock: CallApiMockProcess;
    let scheduler: SchedulerProcess;
    let outcome: Outcome;

    beforeAll(async () => {
      mock = await startCallApiMock({ ...FAULTS, MOCK_IDEMPOTENT: 'true', MOCK_SEED: '5' });
      scheduler = await startScheduler({ callApiUrl: mock.url, env: { ...ENV, CALL_API_IDEMPOTENT: 'true' } });
      outcome = await dispatchAll(scheduler, mock);
    }, 90_000);

    afterAll(async () => {
      await scheduler?.stop();
      removeTempDatabase(scheduler?.databaseUrl);
      await mock?.stop();
    });

    it('leaves no call outcome-unknown: uncertain attempts are retried', () => {
      const counts = statusCounts(outcome.calls);
      expect(counts['outcome-unknown']).toBeUndefined();
      expect(Object.keys(counts).every((s) => s === 'completed' || s === 'failed')).toBe(true);
      expect(counts.completed).toBeGreaterThan(0);
    });

    it('retries a hung attempt with the same Idempotency-Key, so no number is dialled twice', () => {
      expect(Object.entries(outcome.dials).filter(([, n]) => n > 1)).toEqual([]);
      const problems = outcome.calls.flatMap((call) => {
        const violation = attemptViolation(outcome.streams.get(call.id) ?? [], true);
        return violation ? [`${call.id}: ${violation}`] : [];
      });
      expect(problems).toEqual([]);

      // At least one call hung, was retried with its key and came through as the same provider call.
      const recovered = outcome.calls.filter((call) => {
        const stream = outcome.streams.get(call.id)!;
        const uncertain = stream.find((e) => e.type === 'CallDispatchFailed' && e.data.certain === false);
        return call.status === 'completed' && uncertain !== undefined;
      });
      expect(recovered.length).toBeGreaterThan(0);
      for (const call of recovered) {
        const keys = started(outcome.streams.get(call.id)!).map((e) => e.data.idempotencyKey);
        expect(new Set(keys.slice(keys.length - 2)).size).toBe(1);
        expect(outcome.dials[call.phoneNumber]).toBe(1);
      }
    });

    it('gives up after MAX_ATTEMPTS with the last reason on record', () => {
      const failed = outcome.calls.filter((c) => c.status === 'failed');
      for (const call of failed) {
        const stream = outcome.streams.get(call.id)!;
        expect(call.attempts).toBe(MAX_ATTEMPTS);
        expect(counted(stream)).toBe(MAX_ATTEMPTS);
        expect(call.lastError).toMatch(/no answer within the timeout/);
        expect(lastOf(stream, 'CallDispatchFailed')?.data.retryAt).toBeNull();
      }
    });
  });
});
