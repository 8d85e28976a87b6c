import { stateAsOf } from './as-of.js';
import { foldEvents } from './call-state.js';
import { DomainError } from './domain-error.js';
import type { CallEvent } from './events.js';

const T = (minute: number) => new Date(Date.UTC(2026, 2, 1, 9, minute)).toISOString();
const events: CallEvent[] = [
  { type: 'CallScheduled', data: { phoneNumber: '+442079460958', scheduledAt: T(30), timezone: null, deadline: null, callingWindow: null }, occurredAt: T(0) },
  { type: 'CallRescheduled', data: { scheduledAt: T(45), previousScheduledAt: T(30), dueAt: T(45), deadline: null, reason: 'reschedule' }, occurredAt: T(10) },
  { type: 'CallDispatchStarted', data: { attempt: 1, idempotencyKey: 'c-1:1', latenessMs: 0 }, occurredAt: T(45) },
  { type: 'CallDispatched', data: { attempt: 1, providerCallId: 'p-1', providerStatus: 'initiated', latenessMs: 80 }, occurredAt: T(46) },
];

describe('stateAsOf', () => {
  it('returns null before the call was scheduled', () => {
    expect(stateAsOf('c-1', events, new Date(Date.parse(T(0)) - 1))).toBeNull();
  });

  it('includes an event that occurred exactly at the instant', () => {
    expect(stateAsOf('c-1', events, T(10))).toMatchObject({ version: 2, status: 'pending', scheduledAt: T(45) });
  });

  it('shows the call as it stood between two events', () => {
    expect(stateAsOf('c-1', events, T(5))).toMatchObject({ version: 1, status: 'pending', scheduledAt: T(30) });
    expect(stateAsOf('c-1', events, T(45))).toMatchObject({ version: 3, status: 'dispatching', attempts: 1 });
  });

  it('equals the full fold for an instant after the last event', () => {
    expect(stateAsOf('c-1', events, T(59))).toEqual(foldEvents('c-1', events));
  });

  it('accepts an ISO instant with an offset', () => {
    // 10:05+01:00 is 09:05Z: after scheduling, before the reschedule.
    expect(stateAsOf('c-1', events, '2026-03-01T10:05:00+01:00')).toMatchObject({ version: 1, scheduledAt: T(30) });
  });

  it('stops at the first later event even if an even later one carries an earlier time', () => {
    // A clock that stepped back: folding stays a prefix of the stream.
    const skewed = [events[0], { ...events[1], occurredAt: T(20) }, { ...events[2], occurredAt: T(15) }];
    expect(stateAsOf('c-1', skewed, T(16))).toMatchObject({ version: 1, status: 'pending' });
  });

  it('refuses an instant without an offset, naming asOf', () => {
    expect(() => stateAsOf('c-1', events, '2026-03-01T09:05:00')).toThrow(DomainError);
    try {
      stateAsOf('c-1', events, '2026-03-01T09:05:00');
    } catch (error) {
      expect((error as DomainError).field).toBe('asOf');
    }
    expect(() => stateAsOf('c-1', events, new Date(Number.NaN))).toThrow(DomainError);
  });
});
