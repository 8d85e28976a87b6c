import { CALL_STATUSES, type CallStatus } from './call-status.js';
import { evolve, initialState, type CallState } from './call-state.js';
import { DEFAULT_POLICY, type CallCommand, type DispatchPolicy } from './commands.js';
import { decide } from './decide.js';
import { DomainError, DomainErrorCode, IllegalTransitionError } from './domain-error.js';
import type { CallEvent } from './events.js';

const ID = 'call-1';
const T0 = new Date('2026-03-01T09:00:00.000Z');
const POLICY: DispatchPolicy = { ...DEFAULT_POLICY, maxAttempts: 3, misfireGraceMs: 15 * 60_000, retryBaseMs: 1_000, retryMaxMs: 60_000 };
const IDEMPOTENT: DispatchPolicy = { ...POLICY, idempotentProvider: true };

const at = (ms: number) => new Date(T0.getTime() + ms);
const minutes = (n: number) => n * 60_000;

interface Step {
  command: CallCommand;
  now?: Date;
  // The decider's random draw (retry jitter); mid-range unless a test picks one.
  random?: number;
}

/** Runs commands through decide + evolve, the way the application service does. */
function run(steps: Step[], policy = POLICY, from = initialState(ID)): { state: CallState; events: CallEvent[] } {
  let state = from;
  const events: CallEvent[] = [];
  for (const { command, now = T0, random = 0.5 } of steps) {
    const produced = decide(command, state, now, policy, random);
    events.push(...produced);
    state = produced.reduce(evolve, state);
  }
  return { state, events };
}

function decideIn(state: CallState, command: CallCommand, now = T0, policy = POLICY): CallEvent[] {
  return decide(command, state, now, policy);
}

const schedule: CallCommand = { type: 'ScheduleCall', phoneNumber: '+1 415 555 0100' };
const start: CallCommand = { type: 'StartDispatch' };
const dispatched = (providerStatus = 'initiated'): CallCommand => ({ type: 'RecordDispatch', providerCallId: 'prov-1', providerStatus });
const status = (providerStatus: string, duration?: number | null): CallCommand => ({ type: 'RecordStatus', providerStatus, duration });
const failure = (certain: boolean, retryable = true): CallCommand => ({
  type: 'RecordDispatchFailure',
  reason: certain ? 'HTTP 503' : 'timeout',
  certain,
  retryable,
});

// The shortest history that puts a call in each status.
const PATH_TO: Record<CallStatus | 'new', Step[]> = {
  new: [],
  pending: [{ command: schedule }],
  dispatching: [{ command: schedule }, { command: start }],
  dispatched: [{ command: schedule }, { command: start }, { command: dispatched() }],
  ringing: [{ command: schedule }, { command: start }, { command: dispatched() }, { command: status('ringing') }],
  connected: [{ command: schedule }, { command: start }, { command: dispatched() }, { command: status('ringing') }, { command: status('connected') }],
  completed: [{ command: schedule }, { command: start }, { command: dispatched() }, { command: status('connected') }, { command: status('completed', 10) }],
  busy: [{ command: schedule }, { command: start }, { command: dispatched() }, { command: status('busy') }],
  'no-answer': [{ command: schedule }, { command: start }, { command: dispatched() }, { command: status('ringing') }, { command: status('no-answer') }],
  failed: [{ command: schedule }, { command: start }, { command: failure(true, false) }],
  cancelled: [{ command: schedule }, { command: { type: 'CancelCall' } }],
  missed: [{ command: schedule }, { command: start, now: at(minutes(60)) }],
  'outcome-unknown': [{ command: schedule }, { command: start }, { command: failure(false) }],
  untracked: [{ command: schedule }, { command: start }, { command: dispatched() }, { command: { type: 'LoseTracking', reason: 'provider answers 404' } }],
};

const stateIn = (s: CallStatus | 'new') => run(PATH_TO[s]).state;
const ALL_STATUSES: (CallStatus | 'new')[] = ['new', ...CALL_STATUSES];

describe('decide: which commands each status allows', () => {
  it.each(ALL_STATUSES)('reaches status %s through the decider', (s) => {
    expect(stateIn(s).status).toBe(s);
  });

  const SAMPLE: Record<CallCommand['type'], CallCommand> = {
    ScheduleCall: schedule,
    RescheduleCall: { type: 'RescheduleCall', scheduledAt: '2026-03-01T12:00:00Z' },
    CancelCall: { type: 'CancelCall' },
    DispatchNow: { type: 'DispatchNow' },
    StartDispatch: start,
    RecordDispatch: dispatched(),
    RecordDispatchFailure: failure(true),
    RecordLostAttempt: { type: 'RecordLostAttempt', reason: 'crashed mid-dial' },
    RetryCall: { type: 'RetryCall' },
    RecordDispatchUnavailable: { type: 'RecordDispatchUnavailable', reason: 'ECONNREFUSED', retryAt: '2026-03-01T12:00:00Z' },
    MissDeadline: { type: 'MissDeadline', reason: 'Call API unavailable' },
    RecordStatus: status('completed'),
    LoseTracking: { type: 'LoseTracking', reason: 'provider forgot the call' },
  };
  const VERB: Record<CallCommand['type'], string> = {
    ScheduleCall: 'schedule',
    RescheduleCall: 'reschedule',
    CancelCall: 'cancel',
    DispatchNow: 'dispatch now',
    StartDispatch: 'start dispatching',
    RecordDispatch: 'record a dispatch of',
    RecordDispatchFailure: 'record a dispatch failure of',
    RecordLostAttempt: 'record a lost attempt of',
    RetryCall: 'retry',
    RecordDispatchUnavailable: 'RecordDispatchUnavailable',
    MissDeadline: 'MissDeadline',
    RecordStatus: 'record a provider status for',
    LoseTracking: 'lose tracking of',
  };
  const ALLOWED: Record<CallCommand['type'], (CallStatus | 'new')[]> = {
    ScheduleCall: ['new'],
    RescheduleCall: ['pending'],
    CancelCall: ['pending', 'outcome-unknown'],
    DispatchNow: ['pending', 'outcome-unknown'],
    StartDispatch: ['pending'],
    RecordDispatch: ['dispatching'],
    RecordDispatchFailure: ['dispatching'],
    RecordLostAttempt: ['dispatching'],
    RetryCall: ['failed', 'missed', 'untracked'],
    RecordDispatchUnavailable: ['dispatching'],
    MissDeadline: ['pending'],
    RecordStatus: ['dispatched', 'ringing', 'connected'],
    LoseTracking: ['dispatched', 'ringing', 'connected'],
  };

  describe.each(Object.keys(SAMPLE) as CallCommand['type'][])('%s', (type) => {
    const allowed = ALLOWED[type];
    const refused = ALL_STATUSES.filter((s) => !allowed.includes(s));

    it.each(allowed)(`accepts it for a %s call and records at least one event`, (s) => {
      // A deadline can only be missed once it has passed.
      const now = type === 'MissDeadline' ? at(minutes(16)) : T0;
      expect(decideIn(stateIn(s), SAMPLE[type], now).length).toBeGreaterThan(0);
    });

    it.each(refused)(`refuses to ${VERB[type]} a %s call`, (s) => {
      const state = stateIn(s);
      let thrown: unknown;
      try {
        decideIn(state, SAMPLE[type]);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(IllegalTransitionError);
      expect(thrown).toMatchObject({ code: DomainErrorCode.IllegalTransition, status: s });
      expect((thrown as Error).message).toContain(s);
    });
  });
});

describe('decide: scheduling', () => {
  it('records the phone number in E.164 and the time in UTC', () => {
    const events = decideIn(initialState(ID), {
      type: 'ScheduleCall',
      phoneNumber: '+44 20-7946-0958',
      scheduledAt: '2026-03-01T11:30:00+01:00',
      timezone: 'Europe/Paris',
    });
    expect(events).toEqual([
      {
        type: 'CallScheduled',
        data: {
          phoneNumber: '+442079460958',
          scheduledAt: '2026-03-01T10:30:00.000Z',
          timezone: 'Europe/Paris',
          deadline: '2026-03-01T10:45:00.000Z',
          callingWindow: null,
        },
        occurredAt: T0.toISOString(),
      },
    ]);
  });

  it('schedules for now when scheduledAt is omitted', () => {
    const [event] = decideIn(initialState(ID), schedule);
    expect(event).toMatchObject({ type: 'CallScheduled', data: { scheduledAt: T0.toISOString(), timezone: null } });
  });

  it('refuses an invalid phone number, naming the field', () => {
    expect(() => decideIn(initialState(ID), { type: 'ScheduleCall', phoneNumber: '4155550100' })).toThrow(
      expect.objectContaining({ code: DomainErrorCode.InvalidPhoneNumber, field: 'phoneNumber' }),
    );
  });

  it('refuses a scheduledAt without an offset, naming the field', () => {
    expect(() => decideIn(initialState(ID), { ...schedule, scheduledAt: '2026-03-01T10:00:00' })).toThrow(
      expect.objectContaining({ code: DomainErrorCode.InvalidScheduledAt, field: 'scheduledAt' }),
    );
  });

  it('refuses a scheduledAt further in the past than the misfire grace', () => {
    const scheduledAt = at(-POLICY.misfireGraceMs - 1).toISOString();
    expect(() => decideIn(initialState(ID), { ...schedule, scheduledAt })).toThrow(
      expect.objectContaining({ code: DomainErrorCode.InvalidScheduledAt, field: 'scheduledAt' }),
    );
  });

  it('accepts a scheduledAt slightly in the past, within the misfire grace', () => {
    const scheduledAt = at(-minutes(1)).toISOString();
    expect(decideIn(initialState(ID), { ...schedule, scheduledAt })[0]).toMatchObject({ data: { scheduledAt } });
  });

  it('refuses a scheduledAt more than 10 years from now, naming the field', () => {
    const tenYears = new Date(T0);
    tenYears.setUTCFullYear(T0.getUTCFullYear() + 10);
    expect(decideIn(initialState(ID), { ...schedule, scheduledAt: tenYears.toISOString() })[0].type).toBe('CallScheduled');
    for (const scheduledAt of [new Date(tenYears.getTime() + 1).toISOString(), '9999-12-31T23:59:59.999Z']) {
      expect(() => decideIn(initialState(ID), { ...schedule, scheduledAt })).toThrow(
        expect.objectContaining({ code: DomainErrorCode.InvalidScheduledAt, field: 'scheduledAt', message: 'scheduledAt must be within 10 years from now' }),
      );
    }
  });

  it('refuses a timezone that is not an IANA name, naming the field', () => {
    expect(() => decideIn(initialState(ID), { ...schedule, timezone: 'Mars/Olympus_Mons' })).toThrow(
      expect.objectContaining({ code: DomainErrorCode.InvalidTimezone, field: 'timezone' }),
    );
  });

  it('refuses to schedule a call id that already exists', () => {
    expect(() => decideIn(stateIn('pending'), schedule)).toThrow(IllegalTransitionError);
  });
});

describe('decide: rescheduling and cancelling', () => {
  it('records the new and the previous time when rescheduling', () => {
    const { state, events } = run([{ command: schedule }, { command: { type: 'RescheduleCall', scheduledAt: '2026-03-02T08:00:00-05:00' } }]);
    expect(events[1]).toMatchObject({
      type: 'CallRescheduled',
      data: { scheduledAt: '2026-03-02T13:00:00.000Z', previousScheduledAt: T0.toISOString(), reason: 'reschedule' },
    });
    expect(state).toMatchObject({ status: 'pending', scheduledAt: '2026-03-02T13:00:00.000Z', dueAt: '2026-03-02T13:00:00.000Z' });
  });

  it('refuses to reschedule into the past', () => {
    expect(() => decideIn(stateIn('pending'), { type: 'RescheduleCall', scheduledAt: '2026-03-01T06:00:00Z' })).toThrow(
      expect.objectContaining({ code: DomainErrorCode.InvalidScheduledAt, field: 'scheduledAt' }),
    );
  });

  it('refuses to reschedule more than 10 years from now', () => {
    expect(() => decideIn(stateIn('pending'), { type: 'RescheduleCall', scheduledAt: '2036-03-01T09:00:00.001Z' })).toThrow(
      expect.objectContaining({ code: DomainErrorCode.InvalidScheduledAt, field: 'scheduledAt', message: 'scheduledAt must be within 10 years from now' }),
    );
    expect(decideIn(stateIn('pending'), { type: 'RescheduleCall', scheduledAt: '2036-03-01T09:00:00.000Z' })[0].type).toBe('CallRescheduled');
  });

  it('refuses to reschedule to a time without an offset', () => {
    expect(() => decideIn(stateIn('pending'), { type: 'RescheduleCall', scheduledAt: '2026-03-02T08:00' })).toThrow(DomainError);
  });

  it('cancels a pending call with the default reason', () => {
    const { state, events } = run([{ command: schedule }, { command: { type: 'CancelCall' } }]);
    expect(events[1]).toMatchObject({ type: 'CallCancelled', data: { reason: 'cancelled by operator' } });
    expect(state).toMatchObject({ status: 'cancelled', dueAt: null, endedAt: T0.toISOString() });
  });

  it('records the reason given for a cancellation, trimmed', () => {
    expect(decideIn(stateIn('pending'), { type: 'CancelCall', reason: '  customer asked  ' })[0]).toMatchObject({ data: { reason: 'customer asked' } });
  });

  it('uses the default reason when the given one is blank', () => {
    expect(decideIn(stateIn('pending'), { type: 'CancelCall', reason: '   ' })[0]).toMatchObject({ data: { reason: 'cancelled by operator' } });
  });

  it('lets an operator close a call whose outcome is unknown by cancelling it', () => {
    expect(run([{ command: { type: 'CancelCall' } }], POLICY, stateIn('outcome-unknown')).state.status).toBe('cancelled');
  });
});

describe('decide: DispatchNow', () => {
  it('dials a pending call now, recorded as dispatch-now, and keeps the time it was scheduled for', () => {
    const later = run([{ command: { ...schedule, scheduledAt: '2026-03-01T15:00:00Z' } }]).state;
    const { state, events } = run([{ command: { type: 'DispatchNow' }, now: at(5_000) }], POLICY, later);
    expect(events).toEqual([
      {
        type: 'CallRescheduled',
        data: {
          scheduledAt: '2026-03-01T15:00:00.000Z',
          previousScheduledAt: '2026-03-01T15:00:00.000Z',
          dueAt: at(5_000).toISOString(),
          deadline: '2026-03-01T15:15:00.000Z',
          reason: 'dispatch-now',
        },
        occurredAt: at(5_000).toISOString(),
      },
    ]);
    expect(state).toMatchObject({ status: 'pending', scheduledAt: '2026-03-01T15:00:00.000Z', dueAt: at(5_000).toISOString() });
  });

  it('measures the lateness of a dial-now against the moment it was asked for, not the later scheduled time', () => {
    const later = run([{ command: { ...schedule, scheduledAt: '2026-03-01T15:00:00Z' } }]).state;
    const { events } = run(
      [
        { command: { type: 'DispatchNow' }, now: at(5_000) },
        { command: start, now: at(5_030) },
      ],
      POLICY,
      later,
    );
    expect(events[1]).toMatchObject({ type: 'CallDispatchStarted', data: { latenessMs: 30 } });
  });

  it('dials a call whose outcome is unknown again, recorded as dispatch-anyway', () => {
    const { state, events } = run([{ command: { type: 'DispatchNow' }, now: at(minutes(90)) }], POLICY, stateIn('outcome-unknown'));
    expect(events[0]).toMatchObject({
      type: 'CallRescheduled',
      data: { reason: 'dispatch-anyway', scheduledAt: T0.toISOString(), dueAt: at(minutes(90)).toISOString() },
    });
    expect(state).toMatchObject({ status: 'pending', scheduledAt: T0.toISOString(), dueAt: at(minutes(90)).toISOString() });
  });

  it('starts the next attempt, not a missed call, when an unknown outcome is dialled anyway hours later', () => {
    const { events } = run(
      [
        { command: { type: 'DispatchNow' }, now: at(minutes(180)) },
        { command: start, now: at(minutes(180) + 10) },
      ],
      POLICY,
      stateIn('outcome-unknown'),
    );
    expect(events[1]).toMatchObject({ type: 'CallDispatchStarted', data: { attempt: 2, idempotencyKey: `${ID}:2` } });
  });
});

describe('decide: StartDispatch and the misfire policy', () => {
  it('starts attempt 1 with the key <id>:1 for a call that is due', () => {
    expect(decideIn(stateIn('pending'), start, at(2_000))).toEqual([
      { type: 'CallDispatchStarted', data: { attempt: 1, idempotencyKey: `${ID}:1`, latenessMs: 2_000 }, occurredAt: at(2_000).toISOString() },
    ]);
  });

  it('starts a call that is late but within the misfire grace', () => {
    expect(decideIn(stateIn('pending'), start, at(POLICY.misfireGraceMs))[0]).toMatchObject({ type: 'CallDispatchStarted' });
  });

  it('records a call more than the misfire grace late as missed, with its lateness', () => {
    const late = POLICY.misfireGraceMs + 1;
    const { state, events } = run([{ command: start, now: at(late) }], POLICY, stateIn('pending'));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'CallMissed', data: { latenessMs: late } });
    expect((events[0].data as { reason: string }).reason).toMatch(/deadline/);
    expect(state).toMatchObject({ status: 'missed', latenessMs: late, dueAt: null, endedAt: at(late).toISOString() });
  });

  it('honours the misfire grace the policy passes in (the default deadline)', () => {
    const strict = { ...POLICY, misfireGraceMs: 1_000 };
    const pending = run(PATH_TO.pending, strict).state;
    expect(decideIn(pending, start, at(1_000), strict)[0].type).toBe('CallDispatchStarted');
    expect(decideIn(pending, start, at(1_001), strict)[0].type).toBe('CallMissed');
  });

  it('applies the misfire grace to calls recorded before deadlines existed (deadline null)', () => {
    const strict = { ...POLICY, misfireGraceMs: 1_000 };
    const old = { ...stateIn('pending'), deadline: null };
    expect(decideIn(old, start, at(1_001), strict)[0].type).toBe('CallMissed');
    expect(decideIn(old, start, at(999), strict)[0].type).toBe('CallDispatchStarted');
  });

  it('dials up to a per-call deadline later than the grace, and records it missed after', () => {
    const deadline = at(minutes(60)).toISOString();
    const pending = run([{ command: { ...schedule, deadline } }]).state;
    expect(pending.deadline).toBe(deadline);
    expect(decideIn(pending, start, at(minutes(59)))[0].type).toBe('CallDispatchStarted');
    expect(decideIn(pending, start, at(minutes(60) + 1))[0].type).toBe('CallMissed');
  });

  it('refuses a deadline before the call is due, naming the field', () => {
    expect(() => decideIn(initialState(ID), { ...schedule, scheduledAt: at(minutes(10)).toISOString(), deadline: at(minutes(5)).toISOString() })).toThrow(
      expect.objectContaining({ code: DomainErrorCode.InvalidScheduledAt, field: 'deadline' }),
    );
  });

  it('numbers the next attempt n+1 with the key <id>:<n+1> after a certain failure', () => {
    const { events } = run([{ command: failure(true) }, { command: start, now: at(10_000) }], POLICY, stateIn('dispatching'));
    expect(events[1]).toMatchObject({ type: 'CallDispatchStarted', data: { attempt: 2, idempotencyKey: `${ID}:2` } });
  });

  it('starts the call when the due time the dispatcher read is the same instant, however it is spelled', () => {
    // T0 is due 2026-03-01T09:00:00.000Z; the same instant written with an offset, without millis.
    for (const dueAt of [T0.toISOString(), '2026-03-01T10:00:00+01:00', '2026-03-01T09:00:00Z']) {
      expect({ dueAt, events: decideIn(stateIn('pending'), { type: 'StartDispatch', dueAt }, at(1_000)).map((e) => e.type) }).toEqual({
        dueAt,
        events: ['CallDispatchStarted'],
      });
    }
  });

  it('starts nothing when the call is now due at another instant than the dispatcher read', () => {
    expect(decideIn(stateIn('pending'), { type: 'StartDispatch', dueAt: at(-1).toISOString() }, at(1_000))).toEqual([]);
    expect(decideIn(stateIn('pending'), { type: 'StartDispatch', dueAt: 'not a time' }, at(1_000))).toEqual([]);
  });

  it('marks the call dispatching with no due time while the attempt is in flight', () => {
    expect(stateIn('dispatching')).toMatchObject({ status: 'dispatching', attempts: 1, dueAt: null });
  });
});

describe('decide: recording the dispatch', () => {
  it('records the provider call id, its first status, the attempt and the lateness of the dial itself', () => {
    // The request went out 1.2 s late; its answer took 0.3 s more. Lateness is the dial's, not the answer's.
    const dispatching = run([{ command: start, now: at(1_200) }], POLICY, stateIn('pending')).state;
    const { state, events } = run([{ command: dispatched('initiated'), now: at(1_500) }], POLICY, dispatching);
    expect(events).toEqual([
      {
        type: 'CallDispatched',
        data: { attempt: 1, providerCallId: 'prov-1', providerStatus: 'initiated', latenessMs: 1_200 },
        occurredAt: at(1_500).toISOString(),
      },
    ]);
    expect(state).toMatchObject({ status: 'dispatched', providerCallId: 'prov-1', providerStatus: 'initiated', latenessMs: 1_200 });
  });

  it('retries a lost attempt with the same key when the provider is idempotent', () => {
    const dispatching = run(PATH_TO.dispatching, IDEMPOTENT).state;
    const { state, events } = run(
      [{ command: { type: 'RecordLostAttempt', reason: 'restarted mid-dial' } }, { command: start, now: at(5_000) }],
      IDEMPOTENT,
      dispatching,
    );
    expect(events[0]).toMatchObject({ type: 'CallDispatchFailed', data: { attempt: 1, certain: false, reason: 'restarted mid-dial' } });
    expect(events[1]).toMatchObject({ type: 'CallDispatchStarted', data: { attempt: 2, idempotencyKey: `${ID}:1` } });
    expect(state.status).toBe('dispatching');
  });

  it('records a crash between start and answer as an unknown outcome', () => {
    const { state, events } = run([{ command: { type: 'RecordLostAttempt', reason: 'restarted mid-dial' } }], POLICY, stateIn('dispatching'));
    expect(events[0]).toMatchObject({ type: 'CallOutcomeUnknown', data: { attempt: 1, reason: 'restarted mid-dial' } });
    expect(state).toMatchObject({ status: 'outcome-unknown', dueAt: null, endedAt: null, lastError: 'restarted mid-dial' });
  });
});

describe('decide: failed attempts and retries', () => {
  it('retries a certain, retryable failure below maxAttempts at now + backoff', () => {
    const { state, events } = run([{ command: failure(true, true), now: at(100), random: 0.5 }], POLICY, stateIn('dispatching'));
    // attempt 1: ceiling = base = 1000 ms; random 0.5 → 750 ms.
    const retryAt = at(100 + 750).toISOString();
    expect(events).toEqual([
      { type: 'CallDispatchFailed', data: { attempt: 1, reason: 'HTTP 503', certain: true, retryAt }, occurredAt: at(100).toISOString() },
    ]);
    expect(state).toMatchObject({ status: 'pending', dueAt: retryAt, lastError: 'HTTP 503', retryKey: null, endedAt: null });
  });

  it('takes the jitter from the random draw passed in, not from the command', () => {
    const retryAt = (random: number) => run([{ command: failure(true, true), now: at(100), random }], POLICY, stateIn('dispatching')).state.dueAt;
    // attempt 1: ceiling 1000 ms; the delay is 500 + 500·random.
    expect(retryAt(0)).toBe(at(100 + 500).toISOString());
    expect(retryAt(0.99)).toBe(at(100 + 995).toISOString());
  });

  it('backs off exponentially: the second failure waits within [base, 2·base]', () => {
    const { events } = run(
      [{ command: failure(true) }, { command: start, now: at(2_000) }, { command: failure(true, true), now: at(3_000), random: 0.999 }],
      POLICY,
      stateIn('dispatching'),
    );
    const delay = Date.parse((events[2].data as { retryAt: string }).retryAt) - at(3_000).getTime();
    expect(delay).toBeGreaterThanOrEqual(1_000);
    expect(delay).toBeLessThanOrEqual(2_000);
  });

  it('gives up at maxAttempts: retryAt is null and the call is failed', () => {
    let state = stateIn('dispatching');
    for (let n = 1; n < POLICY.maxAttempts; n++) {
      state = run([{ command: failure(true) }, { command: start, now: at(n * 10_000) }], POLICY, state).state;
    }
    expect(state.attempts).toBe(POLICY.maxAttempts);
    const { state: after, events } = run([{ command: failure(true), now: at(60_000) }], POLICY, state);
    expect(events[0]).toMatchObject({ type: 'CallDispatchFailed', data: { attempt: POLICY.maxAttempts, retryAt: null } });
    expect(after).toMatchObject({ status: 'failed', dueAt: null, endedAt: at(60_000).toISOString() });
  });

  it('fails a call at once on a non-retryable (4xx) answer', () => {
    const { state, events } = run([{ command: failure(true, false) }], POLICY, stateIn('dispatching'));
    expect(events[0]).toMatchObject({ type: 'CallDispatchFailed', data: { attempt: 1, retryAt: null } });
    expect(state).toMatchObject({ status: 'failed', endedAt: T0.toISOString() });
  });

  it('records an uncertain failure towards a non-idempotent provider as an unknown outcome, never a retry', () => {
    const { state, events } = run([{ command: failure(false) }], POLICY, stateIn('dispatching'));
    expect(events).toEqual([{ type: 'CallOutcomeUnknown', data: { attempt: 1, reason: 'timeout' }, occurredAt: T0.toISOString() }]);
    expect(state).toMatchObject({ status: 'outcome-unknown', dueAt: null });
  });

  it('retries an uncertain failure towards an idempotent provider with the same idempotency key', () => {
    const dispatching = run(PATH_TO.dispatching, IDEMPOTENT).state;
    const { state, events } = run([{ command: failure(false) }, { command: start, now: at(5_000) }], IDEMPOTENT, dispatching);
    expect(events[0]).toMatchObject({ type: 'CallDispatchFailed', data: { certain: false } });
    expect((events[0].data as { retryAt: string | null }).retryAt).not.toBeNull();
    expect(events[1]).toMatchObject({ type: 'CallDispatchStarted', data: { attempt: 2, idempotencyKey: `${ID}:1` } });
    expect(state.attempts).toBe(2);
  });

  it('keeps reusing the first uncertain attempt key after a second uncertain failure', () => {
    const dispatching = run(PATH_TO.dispatching, { ...IDEMPOTENT, maxAttempts: 5 }).state;
    const { events } = run(
      [{ command: failure(false) }, { command: start, now: at(5_000) }, { command: failure(false), now: at(6_000) }, { command: start, now: at(20_000) }],
      { ...IDEMPOTENT, maxAttempts: 5 },
      dispatching,
    );
    expect(events[3]).toMatchObject({ type: 'CallDispatchStarted', data: { attempt: 3, idempotencyKey: `${ID}:1` } });
  });

  it('keeps reusing an uncertain attempt key even after a later certain failure', () => {
    const policy = { ...IDEMPOTENT, maxAttempts: 5 };
    const { events } = run(
      [{ command: failure(false) }, { command: start, now: at(5_000) }, { command: failure(true), now: at(6_000) }, { command: start, now: at(20_000) }],
      policy,
      run(PATH_TO.dispatching, policy).state,
    );
    expect(events[3]).toMatchObject({ type: 'CallDispatchStarted', data: { attempt: 3, idempotencyKey: `${ID}:1` } });
  });

  it('gives up on an uncertain failure towards an idempotent provider at maxAttempts', () => {
    const policy = { ...IDEMPOTENT, maxAttempts: 1 };
    const { state, events } = run([{ command: failure(false) }], policy, run(PATH_TO.dispatching, policy).state);
    expect(events[0]).toMatchObject({ type: 'CallDispatchFailed', data: { retryAt: null } });
    expect(state.status).toBe('failed');
  });

  it('forgets the reused key once a dispatch succeeds', () => {
    const dispatching = run(PATH_TO.dispatching, IDEMPOTENT).state;
    const { state } = run([{ command: failure(false) }, { command: start }, { command: dispatched() }], IDEMPOTENT, dispatching);
    expect(state).toMatchObject({ status: 'dispatched', retryKey: null });
  });
});

describe('decide: provider statuses', () => {
  // A dispatched call whose first provider status was 'queued', so every mapped status is news.
  const queued = () => run([{ command: schedule }, { command: start }, { command: dispatched('queued') }]).state;

  it.each([
    ['initiated', 'dispatched'],
    ['ringing', 'ringing'],
    ['connected', 'connected'],
    ['completed', 'completed'],
    ['busy', 'busy'],
    ['no-answer', 'no-answer'],
    ['failed', 'failed'],
  ] as const)('maps the provider status %s to %s', (providerStatus, to) => {
    const { state, events } = run([{ command: status(providerStatus), now: at(3_000) }], POLICY, queued());
    expect(events).toEqual([
      { type: 'CallStatusChanged', data: { from: 'dispatched', to, providerStatus, duration: null }, occurredAt: at(3_000).toISOString() },
    ]);
    expect(state).toMatchObject({ status: to, providerStatus });
  });

  it('records an unknown provider status with our status unchanged', () => {
    const { state, events } = run([{ command: status('voicemail') }], POLICY, stateIn('ringing'));
    expect(events).toEqual([
      { type: 'CallStatusChanged', data: { from: 'ringing', to: 'ringing', providerStatus: 'voicemail', duration: null }, occurredAt: T0.toISOString() },
    ]);
    expect(state).toMatchObject({ status: 'ringing', providerStatus: 'voicemail', endedAt: null });
  });

  it('records nothing when the provider repeats the status it last reported', () => {
    expect(decideIn(stateIn('ringing'), status('ringing'))).toEqual([]);
  });

  it('records nothing when the first poll repeats the status the dispatch answered with', () => {
    expect(decideIn(stateIn('dispatched'), status('initiated'))).toEqual([]);
  });

  it('records the duration the provider reports when the call ends', () => {
    const { state, events } = run([{ command: status('completed', 10) }], POLICY, stateIn('connected'));
    expect(events[0]).toMatchObject({ data: { from: 'connected', to: 'completed', duration: 10 } });
    expect(state).toMatchObject({ status: 'completed', duration: 10, endedAt: T0.toISOString() });
  });

  it('does not move a call back when a stale provider status arrives late', () => {
    const { state, events } = run([{ command: status('ringing') }], POLICY, stateIn('connected'));
    expect(events[0]).toMatchObject({ type: 'CallStatusChanged', data: { from: 'connected', to: 'connected', providerStatus: 'ringing' } });
    expect(state.status).toBe('connected');
  });

  it('refuses a provider status for a call that has ended', () => {
    expect(() => decideIn(stateIn('completed'), status('ringing'))).toThrow(IllegalTransitionError);
  });

  it('records lost tracking of an in-progress call as untracked, with the reason', () => {
    const { state, events } = run([{ command: { type: 'LoseTracking', reason: 'provider restarted' }, now: at(9_000) }], POLICY, stateIn('connected'));
    expect(events).toEqual([{ type: 'CallTrackingLost', data: { reason: 'provider restarted' }, occurredAt: at(9_000).toISOString() }]);
    expect(state).toMatchObject({ status: 'untracked', lastError: 'provider restarted', endedAt: at(9_000).toISOString() });
  });
});

describe('decide: the Call API is unavailable', () => {
  const unavailable = (retryAt: Date): CallCommand => ({ type: 'RecordDispatchUnavailable', reason: 'ECONNREFUSED', retryAt: retryAt.toISOString() });

  it('keeps the call pending until retryAt, with the reason, and does not count the attempt', () => {
    const { state, events } = run([{ command: unavailable(at(30_000)), now: at(1_000) }], POLICY, stateIn('dispatching'));
    expect(events).toEqual([
      { type: 'CallDispatchDeferred', data: { attempt: 1, reason: 'ECONNREFUSED', retryAt: at(30_000).toISOString() }, occurredAt: at(1_000).toISOString() },
    ]);
    expect(state).toMatchObject({ status: 'pending', attempts: 0, dueAt: at(30_000).toISOString(), lastError: 'ECONNREFUSED' });
  });

  it('never fails a call however often the Call API is unreachable: the next attempt reuses the number and key', () => {
    const steps: Step[] = [];
    for (let i = 0; i < 10; i++) steps.push({ command: start, now: at(i * 1000) }, { command: unavailable(at(i * 1000 + 500)), now: at(i * 1000 + 1) });
    const { state, events } = run([...steps, { command: start, now: at(11_000) }], POLICY, stateIn('pending'));
    expect(state).toMatchObject({ status: 'dispatching', attempts: 1 });
    expect(events.at(-1)).toMatchObject({ type: 'CallDispatchStarted', data: { attempt: 1, idempotencyKey: `${ID}:1` } });
  });

  it('records a pending call missed once its deadline passes, with the reason given', () => {
    const { state, events } = run(
      [{ command: { type: 'MissDeadline', reason: 'Call API unavailable since 09:00:00Z' }, now: at(minutes(16)) }],
      POLICY,
      stateIn('pending'),
    );
    expect(events[0]).toMatchObject({ type: 'CallMissed', data: { reason: 'Call API unavailable since 09:00:00Z', latenessMs: minutes(16) } });
    expect(state.status).toBe('missed');
  });

  it('records nothing for a call whose deadline has not passed (it may have been rescheduled meanwhile)', () => {
    expect(decideIn(stateIn('pending'), { type: 'MissDeadline', reason: 'x' }, at(minutes(15)))).toEqual([]);
  });
});

describe('decide: an operator retries a call', () => {
  it('gives a failed call a new attempt budget, due now, with a fresh deadline and no error shown', () => {
    const failed = run([
      { command: schedule },
      { command: start },
      { command: failure(true, true) },
      { command: start },
      { command: failure(true, true) },
      { command: start },
      { command: failure(true, true) },
    ]).state;
    expect(failed).toMatchObject({ status: 'failed', attempts: 3 });
    const { state, events } = run([{ command: { type: 'RetryCall' }, now: at(minutes(60)) }], POLICY, failed);
    expect(events).toEqual([
      {
        type: 'CallRetried',
        data: { previousStatus: 'failed', at: at(minutes(60)).toISOString(), deadline: at(minutes(75)).toISOString() },
        occurredAt: at(minutes(60)).toISOString(),
      },
    ]);
    expect(state).toMatchObject({ status: 'pending', dueAt: at(minutes(60)).toISOString(), lastError: null, endedAt: null, attempts: 3, attemptBase: 3 });
    // The next attempt is number 4 (a key never used before) and MAX_ATTEMPTS counts from the retry.
    const after = run(
      [
        { command: start, now: at(minutes(60)) },
        { command: failure(true, true), now: at(minutes(60)) },
      ],
      POLICY,
      state,
    );
    expect(after.events[0]).toMatchObject({ data: { attempt: 4, idempotencyKey: `${ID}:4` } });
    expect(after.state.status).toBe('pending');
  });

  it('retries a missed call at a given time, and refuses a time in the past naming "at"', () => {
    const { state } = run([{ command: { type: 'RetryCall', at: '2026-03-02T08:00:00+01:00' }, now: at(minutes(60)) }], POLICY, stateIn('missed'));
    expect(state).toMatchObject({ status: 'pending', dueAt: '2026-03-02T07:00:00.000Z' });
    expect(() => decideIn(stateIn('missed'), { type: 'RetryCall', at: '2026-02-01T08:00:00Z' }, at(minutes(60)))).toThrow(
      expect.objectContaining({ field: 'at' }),
    );
  });

  it('clears the error of an earlier failed attempt once a later one is dispatched', () => {
    const { state } = run(
      [{ command: failure(true, true) }, { command: start, now: at(5_000) }, { command: dispatched(), now: at(5_100) }],
      POLICY,
      stateIn('dispatching'),
    );
    expect(state).toMatchObject({ status: 'dispatched', lastError: null });
  });
});
