import fc from 'fast-check';
import { isInsideWindow, parseCallingWindow } from './calling-window.js';
import { evolve, initialState, type CallState } from './call-state.js';
import { DEFAULT_POLICY, type CallCommand, type DispatchPolicy } from './commands.js';
import { decide } from './decide.js';
import { DomainError, DomainErrorCode } from './domain-error.js';
import type { CallEvent } from './events.js';

const POLICY: DispatchPolicy = { ...DEFAULT_POLICY, defaultCallingWindow: 'Mon-Sat 08:00-21:00' };
// Tuesday 2026-12-01, 03:00 in Paris (UTC+1).
const NIGHT = new Date('2026-12-01T02:00:00Z');

function apply(state: CallState, events: CallEvent[]): CallState {
  return events.reduce(evolve, state);
}

function scheduled(command: Partial<Extract<CallCommand, { type: 'ScheduleCall' }>> = {}, now = NIGHT, policy = POLICY) {
  const events = decide({ type: 'ScheduleCall', phoneNumber: '+33 1 44 55 66 77', timezone: 'Europe/Paris', ...command }, initialState('c'), now, policy);
  return { events, state: apply(initialState('c'), events) };
}

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected a DomainError');
}

describe('decide: callee time zone', () => {
  it('reads a local date-time without offset in the callee zone', () => {
    const { state } = scheduled({ scheduledAt: '2026-12-01T09:30' });
    expect(state.scheduledAt).toBe('2026-12-01T08:30:00.000Z');
  });

  it('moves a local time in a spring-forward gap forward, and takes the earlier of a repeated one', () => {
    const gap = scheduled({ scheduledAt: '2027-03-28T02:30', callingWindow: 'any' }, new Date('2027-03-27T12:00:00Z'));
    expect(gap.state.scheduledAt).toBe('2027-03-28T01:30:00.000Z'); // 03:30 CEST
    const overlap = scheduled({ scheduledAt: '2027-10-31T02:30', callingWindow: 'any' }, new Date('2027-10-30T12:00:00Z'));
    expect(overlap.state.scheduledAt).toBe('2027-10-31T00:30:00.000Z'); // the first 02:30, CEST
  });

  it('refuses an offset that contradicts the zone, naming both fields', () => {
    const error = errorOf(() => scheduled({ scheduledAt: '2026-12-01T09:30:00+02:00' }));
    expect(error.code).toBe(DomainErrorCode.InvalidScheduledAt);
    expect(error.field).toBe('scheduledAt');
    expect(error.otherFields).toEqual(['timezone']);
    expect(error.message).toContain('timezone Europe/Paris');
    expect(error.message).toContain('+02:00');
  });

  it("accepts the zone's own offset and Z", () => {
    expect(scheduled({ scheduledAt: '2026-12-01T09:30:00+01:00' }).state.scheduledAt).toBe('2026-12-01T08:30:00.000Z');
    expect(scheduled({ scheduledAt: '2026-12-01T08:30:00Z' }).state.scheduledAt).toBe('2026-12-01T08:30:00.000Z');
  });

  it('refuses a local time without a zone, naming both fields', () => {
    const error = errorOf(() => scheduled({ scheduledAt: '2026-12-01T09:30', timezone: undefined }));
    expect(error.field).toBe('scheduledAt');
    expect(error.otherFields).toEqual(['timezone']);
  });
});

describe('decide: calling windows', () => {
  it('records the default window, or the call’s own, or none for "any"', () => {
    expect(scheduled().state.callingWindow).toBe('Mon-Sat 08:00-21:00');
    expect(scheduled({ callingWindow: '09:00-17:00' }).state.callingWindow).toBe('09:00-17:00');
    expect(scheduled({ callingWindow: 'any' }).state.callingWindow).toBeNull();
  });

  it('refuses a bad window naming callingWindow', () => {
    const error = errorOf(() => scheduled({ callingWindow: 'tomorrow-ish' }));
    expect(error).toMatchObject({ code: DomainErrorCode.InvalidCallingWindow, field: 'callingWindow' });
  });

  it('gives a call due at 03:00 a default deadline after the window opens, not after 03:00', () => {
    expect(scheduled().state.deadline).toBe('2026-12-01T07:15:00.000Z');
  });

  it('refuses a deadline before the window first opens', () => {
    const error = errorOf(() => scheduled({ deadline: '2026-12-01T05:00' }));
    expect(error).toMatchObject({ field: 'deadline', otherFields: ['callingWindow'] });
  });

  it('defers a call due outside its window to the next opening, once, then dials it there', () => {
    const { state } = scheduled();
    const deferred = decide({ type: 'StartDispatch' }, state, NIGHT, POLICY);
    expect(deferred).toEqual([
      {
        type: 'CallDeferredToWindow',
        data: {
          until: '2026-12-01T07:00:00.000Z',
          reason: "outside its calling window Mon-Sat 08:00-21:00 (Europe/Paris): waits for 08:00 Tue 2026-12-01, callee's time",
        },
        occurredAt: NIGHT.toISOString(),
      },
    ]);
    const waiting = apply(state, deferred);
    expect(waiting).toMatchObject({ status: 'pending', dueAt: '2026-12-01T07:00:00.000Z', windowOpensAt: '2026-12-01T07:00:00.000Z' });
    // The dispatcher read the old due time: nothing more is recorded.
    expect(decide({ type: 'StartDispatch', dueAt: NIGHT.toISOString() }, waiting, NIGHT, POLICY)).toEqual([]);
    const started = decide({ type: 'StartDispatch', dueAt: waiting.dueAt ?? undefined }, waiting, new Date('2026-12-01T07:00:00Z'), POLICY);
    expect(started.map((e) => e.type)).toEqual(['CallDispatchStarted']);
    expect(apply(waiting, started).windowOpensAt).toBeNull();
  });

  it('records missed when the window opens only after the deadline', () => {
    // Due 20:50 Paris, deadline 21:30; the dispatcher only gets to it at 21:10, after the window closed.
    const { state } = scheduled({ scheduledAt: '2026-12-01T20:50', deadline: '2026-12-01T21:30' }, new Date('2026-12-01T19:00:00Z'));
    const events = decide({ type: 'StartDispatch' }, state, new Date('2026-12-01T20:10:00Z'), POLICY);
    expect(events.map((e) => e.type)).toEqual(['CallMissed']);
  });

  it('puts a retry after a failure at the next opening when the backoff ends outside the window', () => {
    // 20:59:59.5 Paris: the retry 750 ms later (attempt 1, draw 0.5) falls after 21:00.
    const now = new Date('2026-12-01T19:59:59.500Z');
    const { state } = scheduled({ scheduledAt: '2026-12-01T20:59:59.500+01:00', deadline: '2026-12-02T12:00' }, now);
    const dialling = apply(state, decide({ type: 'StartDispatch' }, state, now, POLICY));
    const [failed] = decide({ type: 'RecordDispatchFailure', reason: 'HTTP 503', certain: true, retryable: true }, dialling, now, POLICY, 0.5);
    expect(failed).toMatchObject({ type: 'CallDispatchFailed', data: { retryAt: '2026-12-02T07:00:00.000Z' } });
  });

  it('refuses "dial now" while the window is closed', () => {
    const error = errorOf(() => decide({ type: 'DispatchNow' }, scheduled().state, NIGHT, POLICY));
    expect(error).toMatchObject({ code: DomainErrorCode.OutsideCallingWindow, field: 'callingWindow' });
    expect(error.message).toContain('08:00 Tue');
  });

  it('leaves calls without a window (and calls from before windows) to ring at any time', () => {
    const { state } = scheduled({ callingWindow: 'any' });
    expect(decide({ type: 'StartDispatch' }, state, NIGHT, POLICY).map((e) => e.type)).toEqual(['CallDispatchStarted']);
  });
});

// ---- property: whatever happens, no attempt starts outside the window ----

const ZONES = Intl.supportedValuesOf('timeZone');
const WINDOWS = ['Mon-Sat 08:00-21:00', '09:00-17:00', 'Mon-Fri 09:00-12:00, Sat 10:00-13:00', '02:00-03:30', 'Sun 01:00-02:30', 'Fri 22:00-02:00'];
const START = Date.UTC(2026, 0, 1);

const commandArb: fc.Arbitrary<CallCommand> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ type: 'StartDispatch' as const }) },
  { weight: 3, arbitrary: fc.constant({ type: 'RecordDispatch' as const, providerCallId: 'p', providerStatus: 'initiated' }) },
  {
    weight: 4,
    arbitrary: fc.record({
      type: fc.constant('RecordDispatchFailure' as const),
      reason: fc.constant('HTTP 503'),
      certain: fc.constant(true),
      retryable: fc.constant(true),
    }),
  },
  {
    weight: 3,
    arbitrary: fc
      .integer({ min: 0, max: 48 * 60 })
      .map((m) => ({ type: 'RecordDispatchUnavailable' as const, reason: 'HTTP 503', retryAt: new Date(START + m * 60_000).toISOString() })),
  },
  { weight: 1, arbitrary: fc.constant({ type: 'DispatchNow' as const }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('RecordStatus' as const), providerStatus: fc.constantFrom('completed', 'busy') }) },
  { weight: 1, arbitrary: fc.constant({ type: 'RetryCall' as const }) },
);

describe('decide: never dials outside the calling window (property, every IANA zone)', () => {
  it('starts attempts, and schedules retries and deferrals, only inside the window', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.constantFrom(...WINDOWS),
        fc.integer({ min: 0, max: 365 * 24 * 60 }),
        fc.array(fc.tuple(commandArb, fc.integer({ min: 0, max: 6 * 60 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })), {
          minLength: 1,
          maxLength: 40,
        }),
        (zone, text, offsetMinutes, steps) => {
          const window = parseCallingWindow(text)!;
          let now = START + offsetMinutes * 60_000;
          const policy: DispatchPolicy = { ...DEFAULT_POLICY, defaultCallingWindow: text, misfireGraceMs: 7 * 24 * 3_600_000 };
          let state = apply(
            initialState('c'),
            decide({ type: 'ScheduleCall', phoneNumber: '+14155550100', timezone: zone }, initialState('c'), new Date(now), policy),
          );
          for (const [command, advance, random] of steps) {
            // The dispatcher only claims a call that is due: jump to its due time, as its timer does.
            now = command.type === 'StartDispatch' && state.dueAt ? Math.max(now, Date.parse(state.dueAt)) : now + advance * 60_000;
            let events: CallEvent[];
            try {
              events = decide(command, state, new Date(now), policy, random);
            } catch (error) {
              if (!(error instanceof DomainError)) throw error;
              continue;
            }
            for (const event of events) {
              if (event.type === 'CallDispatchStarted') expect(isInsideWindow(window, zone, new Date(event.occurredAt))).toBe(true);
              if (event.type === 'CallDeferredToWindow') expect(isInsideWindow(window, zone, new Date(event.data.until))).toBe(true);
              if ((event.type === 'CallDispatchFailed' || event.type === 'CallDispatchDeferred') && event.data.retryAt !== null) {
                expect(isInsideWindow(window, zone, new Date(event.data.retryAt))).toBe(true);
              }
            }
            state = apply(state, events);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('decide: rescheduling to another zone or window', () => {
  it('reads the new local time in the new zone, moves the window with it, and records only what changed', () => {
    const { state } = scheduled({ scheduledAt: '2026-12-01T09:30' });
    const events = decide({ type: 'RescheduleCall', scheduledAt: '2026-12-01T09:30', timezone: 'America/New_York' }, state, NIGHT, POLICY);
    expect(events).toHaveLength(1);
    expect(events[0].data).toMatchObject({ scheduledAt: '2026-12-01T14:30:00.000Z', timezone: 'America/New_York' });
    expect(events[0].data).not.toHaveProperty('callingWindow');
    const next = apply(state, events);
    expect(next).toMatchObject({ timezone: 'America/New_York', callingWindow: 'Mon-Sat 08:00-21:00', scheduledAt: '2026-12-01T14:30:00.000Z' });
  });

  it('changes the calling window alone ("any" = any time), keeping the zone; the deadline follows the new window', () => {
    const { state } = scheduled({ scheduledAt: '2026-12-01T09:30' });
    const evening = decide({ type: 'RescheduleCall', scheduledAt: '2026-12-01T09:30', callingWindow: '18:00-20:00' }, state, NIGHT, POLICY);
    expect(evening[0].data).toMatchObject({ callingWindow: '18:00-20:00' });
    expect(evening[0].data).not.toHaveProperty('timezone');
    // Due 09:30 Paris, the window opens at 18:00 Paris (17:00 UTC): the grace runs from the opening.
    expect(evening[0].data).toMatchObject({ deadline: new Date(Date.parse('2026-12-01T17:00:00Z') + POLICY.misfireGraceMs).toISOString() });
    const anyTime = decide({ type: 'RescheduleCall', scheduledAt: '2026-12-01T09:30', callingWindow: 'any' }, state, NIGHT, POLICY);
    expect(apply(state, anyTime)).toMatchObject({ callingWindow: null, timezone: 'Europe/Paris' });
  });

  it('leaves zone and window as they were when the reschedule does not name them (a v2 payload reads the same)', () => {
    const { state } = scheduled({ scheduledAt: '2026-12-01T09:30' });
    const events = decide({ type: 'RescheduleCall', scheduledAt: '2026-12-01T10:30' }, state, NIGHT, POLICY);
    expect(events[0].data).not.toHaveProperty('timezone');
    expect(events[0].data).not.toHaveProperty('callingWindow');
    expect(apply(state, events)).toMatchObject({ timezone: 'Europe/Paris', callingWindow: 'Mon-Sat 08:00-21:00' });
  });

  it('refuses an unknown zone or a bad window naming the field, and a local time once the zone is removed', () => {
    const { state } = scheduled({ scheduledAt: '2026-12-01T09:30' });
    const zone = errorOf(() => decide({ type: 'RescheduleCall', scheduledAt: '2026-12-01T09:30', timezone: 'Mars/Olympus' }, state, NIGHT, POLICY));
    expect(zone).toMatchObject({ code: DomainErrorCode.InvalidTimezone, field: 'timezone' });
    const window = errorOf(() => decide({ type: 'RescheduleCall', scheduledAt: '2026-12-01T09:30', callingWindow: '25:00-26:00' }, state, NIGHT, POLICY));
    expect(window).toMatchObject({ field: 'callingWindow' });
    const noZone = errorOf(() => decide({ type: 'RescheduleCall', scheduledAt: '2026-12-01T09:30', timezone: null }, state, NIGHT, POLICY));
    expect(noZone).toBeInstanceOf(DomainError);
    expect(noZone.field).toBe('scheduledAt');
  });
});
