import { foldEvents } from './call-state.js';
import { CALL_EVENT_TYPES, SCHEMA_VERSIONS, type CallEvent } from './events.js';
import { MissingUpcasterError, upcast, UPCASTERS } from './upcasters.js';

const v1Scheduled = { phoneNumber: '+442079460958', scheduledAt: '2026-03-01T09:30:00.000Z' };

describe('upcast', () => {
  it('writes CallScheduled at v4, CallRescheduled at v3 and every other type at version 1', () => {
    expect(SCHEMA_VERSIONS.CallScheduled).toBe(4);
    expect(SCHEMA_VERSIONS.CallRescheduled).toBe(3);
    for (const type of CALL_EVENT_TYPES.filter((t) => t !== 'CallScheduled' && t !== 'CallRescheduled')) expect(SCHEMA_VERSIONS[type]).toBe(1);
  });

  it('lifts a version-1 CallScheduled to version 4 with timezone, deadline and calling window null', () => {
    expect(upcast('CallScheduled', 1, v1Scheduled)).toEqual({
      schemaVersion: 4,
      data: { ...v1Scheduled, timezone: null, deadline: null, callingWindow: null },
    });
  });

  it('keeps a timezone that a version-1 row already carried', () => {
    const data = { ...v1Scheduled, timezone: 'Europe/London' };
    expect(upcast('CallScheduled', 1, data).data).toEqual({ ...data, deadline: null, callingWindow: null });
  });

  it('lifts a version-3 CallScheduled (no calling window) to a call that rings at any time', () => {
    const v3 = { ...v1Scheduled, timezone: 'Europe/Paris', deadline: '2026-03-01T09:45:00.000Z' };
    expect(upcast('CallScheduled', 3, v3)).toEqual({ schemaVersion: 4, data: { ...v3, callingWindow: null } });
  });

  it('lifts a version-1 CallRescheduled: the call was due at the time it moved to', () => {
    const v1 = { scheduledAt: '2026-03-01T10:00:00.000Z', previousScheduledAt: '2026-03-01T09:30:00.000Z', reason: 'dispatch-now' };
    expect(upcast('CallRescheduled', 1, v1)).toEqual({ schemaVersion: 3, data: { ...v1, dueAt: v1.scheduledAt, deadline: null } });
  });

  it('reads a version-2 CallRescheduled as v3 without zone or window: it changed neither', () => {
    const v2 = {
      scheduledAt: '2026-03-01T10:00:00.000Z',
      previousScheduledAt: '2026-03-01T09:30:00.000Z',
      dueAt: '2026-03-01T10:00:00.000Z',
      deadline: null,
      reason: 'reschedule',
    };
    const lifted = upcast('CallRescheduled', 2, v2);
    expect(lifted).toEqual({ schemaVersion: 3, data: v2 });
    expect(lifted.data).not.toHaveProperty('timezone');
  });

  it('does not mutate the stored payload (upcasters are pure)', () => {
    const stored = Object.freeze({ ...v1Scheduled });
    const result = upcast('CallScheduled', 1, stored);
    expect(stored).toEqual(v1Scheduled);
    expect(result.data).not.toBe(stored);
  });

  it('gives the same answer for the same input every time', () => {
    expect(upcast('CallScheduled', 1, v1Scheduled)).toEqual(upcast('CallScheduled', 1, v1Scheduled));
  });

  it('returns a payload at the current version unchanged', () => {
    const data = { ...v1Scheduled, timezone: 'Asia/Tokyo', deadline: null, callingWindow: 'Mon-Fri 09:00-17:00' };
    const result = upcast('CallScheduled', 4, data);
    expect(result).toEqual({ schemaVersion: 4, data });
    expect(result.data).toBe(data);
    expect(upcast('CallCancelled', 1, { reason: 'x' })).toEqual({ schemaVersion: 1, data: { reason: 'x' } });
  });

  it('leaves unknown types and versions newer than the code as stored', () => {
    expect(upcast('SomethingNew', 1, { a: 1 })).toEqual({ schemaVersion: 1, data: { a: 1 } });
    expect(upcast('CallScheduled', 5, { a: 1 })).toEqual({ schemaVersion: 5, data: { a: 1 } });
  });

  it("has an upcaster for every version below each type's current one", () => {
    for (const type of CALL_EVENT_TYPES) {
      for (let v = 1; v < SCHEMA_VERSIONS[type]; v++) expect(UPCASTERS[type]?.[v]).toEqual(expect.any(Function));
    }
  });

  it('names the type and version when a step of the chain is missing', () => {
    expect(() => upcast('CallScheduled', 0, {})).toThrow(MissingUpcasterError);
    expect(() => upcast('CallScheduled', 0, {})).toThrow('no upcaster for CallScheduled from schema version 0');
  });

  it('lets a version-1 CallScheduled fold into a pending call without a timezone', () => {
    const { data } = upcast('CallScheduled', 1, v1Scheduled);
    const event = { type: 'CallScheduled', data, occurredAt: '2026-03-01T09:00:00.000Z' } as unknown as CallEvent;
    expect(foldEvents('c-1', [event])).toMatchObject({ status: 'pending', timezone: null, scheduledAt: v1Scheduled.scheduledAt });
  });
});
