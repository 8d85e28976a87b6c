import { evolve, foldEvents, initialState } from './call-state.js';
import { toCallView } from './call-view.js';
import type { CallEvent } from './events.js';

const ID = 'call-7';
const T = (minute: number) => new Date(Date.UTC(2026, 2, 1, 9, minute)).toISOString();

const scheduled: CallEvent = {
  type: 'CallScheduled',
  data: { phoneNumber: '+442079460958', scheduledAt: T(30), timezone: 'Europe/London', deadline: null, callingWindow: null },
  occurredAt: T(0),
};
const started: CallEvent = { type: 'CallDispatchStarted', data: { attempt: 1, idempotencyKey: `${ID}:1`, latenessMs: 0 }, occurredAt: T(30) };
const dispatched: CallEvent = {
  type: 'CallDispatched',
  data: { attempt: 1, providerCallId: 'p-9', providerStatus: 'initiated', latenessMs: 250 },
  occurredAt: T(31),
};
const ringing: CallEvent = {
  type: 'CallStatusChanged',
  data: { from: 'dispatched', to: 'ringing', providerStatus: 'ringing', duration: null },
  occurredAt: T(32),
};
const completed: CallEvent = {
  type: 'CallStatusChanged',
  data: { from: 'ringing', to: 'completed', providerStatus: 'completed', duration: 42 },
  occurredAt: T(40),
};

describe('evolve', () => {
  it('starts from an empty state at version 0 with status new', () => {
    expect(initialState(ID)).toMatchObject({ id: ID, version: 0, status: 'new', attempts: 0, createdAt: '', dispatchedAt: null, endedAt: null });
  });

  it('sets createdAt from the CallScheduled event and keeps it afterwards', () => {
    const state = foldEvents(ID, [scheduled, started, dispatched, ringing, completed]);
    expect(state.createdAt).toBe(T(0));
  });

  it('makes a scheduled call pending and due at its scheduled time', () => {
    expect(foldEvents(ID, [scheduled])).toMatchObject({
      status: 'pending',
      phoneNumber: '+442079460958',
      scheduledAt: T(30),
      timezone: 'Europe/London',
      dueAt: T(30),
      version: 1,
      updatedAt: T(0),
    });
  });

  it('sets dispatchedAt from the CallDispatched event', () => {
    const state = foldEvents(ID, [scheduled, started, dispatched]);
    expect(state).toMatchObject({ status: 'dispatched', dispatchedAt: T(31), providerCallId: 'p-9', latenessMs: 250, endedAt: null });
  });

  it('leaves endedAt null while the call is in progress', () => {
    expect(foldEvents(ID, [scheduled, started, dispatched, ringing]).endedAt).toBeNull();
  });

  it('sets endedAt when the call reaches a terminal status, with the duration', () => {
    const state = foldEvents(ID, [scheduled, started, dispatched, ringing, completed]);
    expect(state).toMatchObject({ status: 'completed', endedAt: T(40), duration: 42, dispatchedAt: T(31), dueAt: null });
  });

  it('sets endedAt when a call is cancelled', () => {
    expect(foldEvents(ID, [scheduled, { type: 'CallCancelled', data: { reason: 'x' }, occurredAt: T(5) }])).toMatchObject({
      status: 'cancelled',
      endedAt: T(5),
      dueAt: null,
    });
  });

  it('leaves endedAt null for an unknown outcome, which an operator may still dial', () => {
    const state = foldEvents(ID, [scheduled, started, { type: 'CallOutcomeUnknown', data: { attempt: 1, reason: 'timeout' }, occurredAt: T(31) }]);
    expect(state).toMatchObject({ status: 'outcome-unknown', endedAt: null, lastError: 'timeout' });
  });

  it('bumps the version and updatedAt with every event', () => {
    const events = [scheduled, started, dispatched, ringing, completed];
    let state = initialState(ID);
    events.forEach((event, i) => {
      state = evolve(state, event);
      expect(state.version).toBe(i + 1);
      expect(state.updatedAt).toBe(event.occurredAt);
    });
  });

  it('returns a retrying call to pending, due at retryAt', () => {
    const failed: CallEvent = { type: 'CallDispatchFailed', data: { attempt: 1, reason: 'HTTP 503', certain: true, retryAt: T(33) }, occurredAt: T(31) };
    expect(foldEvents(ID, [scheduled, started, failed])).toMatchObject({ status: 'pending', dueAt: T(33), attempts: 1, lastError: 'HTTP 503', endedAt: null });
  });

  it('does not change the state it is given', () => {
    const before = foldEvents(ID, [scheduled]);
    const copy = structuredClone(before);
    evolve(before, started);
    expect(before).toEqual(copy);
  });

  it('folds the same events into the same state every time', () => {
    const events = [scheduled, started, dispatched, ringing, completed];
    expect(foldEvents(ID, events)).toEqual(foldEvents(ID, [...events]));
  });
});

describe('toCallView', () => {
  it('exposes the due time as nextAttemptAt and hides internal fields', () => {
    const view = toCallView(foldEvents(ID, [scheduled]));
    expect(view).toMatchObject({ id: ID, status: 'pending', nextAttemptAt: T(30), version: 1, createdAt: T(0) });
    expect(view).not.toHaveProperty('retryKey');
    expect(view).not.toHaveProperty('dueAt');
  });
});
