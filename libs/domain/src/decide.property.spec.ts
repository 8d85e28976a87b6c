import fc from 'fast-check';
import { retryDelayMs } from './backoff.js';
import { CALL_STATUSES, isTerminal, type CallStatus } from './call-status.js';
import { evolve, initialState, type CallState } from './call-state.js';
import { DEFAULT_POLICY, type CallCommand, type DispatchPolicy } from './commands.js';
import { decide } from './decide.js';
import { DomainError } from './domain-error.js';
import type { CallEvent } from './events.js';

const T0 = Date.UTC(2026, 2, 1, 9, 0);

const providerStatus = fc.constantFrom(
  'initiated',
  'queued',
  'ringing',
  'connected',
  'in-progress',
  'completed',
  'busy',
  'no-answer',
  'failed',
  'canceled',
  'voicemail',
  'RINGING',
  'constructor',
);

// Weighted towards the dispatcher's loop (start, fail, retry) so deep histories are common.
const command: fc.Arbitrary<CallCommand> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({ type: fc.constant('ScheduleCall' as const), phoneNumber: fc.constantFrom('+14155550100', '+44 20 7946 0958', '12345') }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('RescheduleCall' as const),
      scheduledAt: fc.integer({ min: -120, max: 600 }).map((m) => new Date(T0 + m * 60_000).toISOString()),
    }),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('CancelCall' as const), reason: fc.option(fc.string(), { nil: undefined }) }) },
  { weight: 1, arbitrary: fc.constant({ type: 'DispatchNow' as const }) },
  { weight: 6, arbitrary: fc.constant({ type: 'StartDispatch' as const }) },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('RecordDispatch' as const), providerCallId: fc.uuid(), providerStatus }) },
  {
    weight: 6,
    arbitrary: fc.record({
      type: fc.constant('RecordDispatchFailure' as const),
      reason: fc.constantFrom('HTTP 503', 'timeout', 'HTTP 400'),
      certain: fc.boolean(),
      retryable: fc.integer({ min: 0, max: 4 }).map((n) => n > 0),
    }),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('RecordLostAttempt' as const), reason: fc.constant('crash') }) },
  { weight: 5, arbitrary: fc.record({ type: fc.constant('RecordStatus' as const), providerStatus, duration: fc.option(fc.nat(3600), { nil: undefined }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('LoseTracking' as const), reason: fc.constant('404') }) },
);

const policy: fc.Arbitrary<DispatchPolicy> = fc.record({
  maxAttempts: fc.integer({ min: 1, max: 6 }),
  misfireGraceMs: fc.constantFrom(5_000, 60_000, DEFAULT_POLICY.misfireGraceMs),
  retryBaseMs: fc.integer({ min: 1, max: 5_000 }),
  retryMaxMs: fc.integer({ min: 5_000, max: 120_000 }),
  idempotentProvider: fc.boolean(),
  defaultCallingWindow: fc.constant(null),
});

// Each step: a command, how far the clock moved before it, and the decider's random draw.
const draw = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const history = fc.array(
  fc.tuple(
    command,
    fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 0, max: 5_000 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 60 * 60_000 }) }),
    draw,
  ),
  {
    minLength: 1,
    maxLength: 60,
    size: 'medium',
  },
);

interface Run {
  state: CallState;
  events: CallEvent[];
  statuses: (CallStatus | 'new')[];
}

/** Plays a random history, skipping commands the decider refuses with a DomainError. */
function play(steps: [CallCommand, number, number][], p: DispatchPolicy): Run {
  // Every history starts with a scheduled call, so the random commands act on a live one.
  const scheduled = decide({ type: 'ScheduleCall', phoneNumber: '+14155550100' }, initialState('call-p'), new Date(T0), p);
  let state = scheduled.reduce(evolve, initialState('call-p'));
  let now = T0;
  const events: CallEvent[] = [...scheduled];
  const statuses: (CallStatus | 'new')[] = ['new', state.status];
  for (const [cmd, advance, random] of steps) {
    now += advance;
    let produced: CallEvent[];
    try {
      produced = decide(cmd, state, new Date(now), p, random);
    } catch (error) {
      // Refusals must be typed domain errors; anything else is a bug.
      if (!(error instanceof DomainError)) throw error;
      continue;
    }
    for (const event of produced) {
      state = evolve(state, event);
      events.push(event);
      statuses.push(state.status);
    }
  }
  return { state, events, statuses };
}

describe('decide: properties over random histories', () => {
  it('never returns events that evolve into an unknown status', () => {
    fc.assert(
      fc.property(history, policy, (steps, p) => {
        const { statuses } = play(steps, p);
        for (const s of statuses.slice(1)) expect(CALL_STATUSES).toContain(s);
      }),
      { numRuns: 500 },
    );
  });

  it('counts one version per event', () => {
    fc.assert(
      fc.property(history, policy, (steps, p) => {
        const { state, events } = play(steps, p);
        expect(state.version).toBe(events.length);
      }),
    );
  });

  it('never changes a call once it has ended', () => {
    fc.assert(
      fc.property(history, policy, (steps, p) => {
        const { statuses } = play(steps, p);
        const end = statuses.findIndex((s) => s !== 'new' && isTerminal(s));
        if (end >= 0) expect(statuses.length).toBe(end + 1);
      }),
      { numRuns: 500 },
    );
  });

  it('never starts more than maxAttempts attempts', () => {
    fc.assert(
      fc.property(history, policy, (steps, p) => {
        const { events } = play(steps, p);
        // An operator's dispatch-anyway opens a new round; automatic retries stop at maxAttempts.
        const starts = events.filter((e) => e.type === 'CallDispatchStarted' || (e.type === 'CallRescheduled' && e.data.reason === 'dispatch-anyway'));
        let round = 0;
        for (const e of starts) {
          round = e.type === 'CallRescheduled' ? 0 : round + 1;
          expect(round).toBeLessThanOrEqual(p.maxAttempts);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('with a non-idempotent provider, gives every attempt a key never used before', () => {
    fc.assert(
      fc.property(history, policy, (steps, p) => {
        const { events } = play(steps, { ...p, idempotentProvider: false });
        const keys = events.flatMap((e) => (e.type === 'CallDispatchStarted' ? [e.data.idempotencyKey] : []));
        expect(new Set(keys).size).toBe(keys.length);
      }),
      { numRuns: 500 },
    );
  });

  it('with an idempotent provider, reuses the key of an uncertain attempt for every automatic retry after it', () => {
    fc.assert(
      fc.property(history, policy, (steps, p) => {
        const { events } = play(steps, { ...p, idempotentProvider: true });
        let mayHavePlaced: string | null = null;
        let lastKey: string | null = null;
        for (const e of events) {
          if (e.type === 'CallDispatchStarted') {
            if (mayHavePlaced) expect(e.data.idempotencyKey).toBe(mayHavePlaced);
            lastKey = e.data.idempotencyKey;
          }
          if (e.type === 'CallDispatchFailed' && !e.data.certain && e.data.retryAt !== null) mayHavePlaced ??= lastKey;
          if (e.type === 'CallDispatched' || e.type === 'CallOutcomeUnknown') mayHavePlaced = null;
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('retryDelayMs: properties', () => {
  it('stays within [ceiling/2, ceiling] where ceiling = min(max, base·2^(attempt-1))', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 3_600_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, baseMs, extra, random) => {
          const maxMs = baseMs + extra;
          const ceiling = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
          const delay = retryDelayMs(attempt, baseMs, maxMs, random);
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
          expect(delay).toBeLessThanOrEqual(ceiling);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('never shrinks as attempts grow, for the same random draw', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, random) => {
        expect(retryDelayMs(attempt + 1, 1_000, 60_000, random)).toBeGreaterThanOrEqual(retryDelayMs(attempt, 1_000, 60_000, random));
      }),
    );
  });
});
