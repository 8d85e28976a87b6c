import type { CallView, StoredEventView } from '@call-scheduler/domain/call-view';
import type { CallChange } from '../app/live/live.service';

let seq = 0;

/** A call view with sensible defaults; override what the test is about. */
export function makeCall(overrides: Partial<CallView> = {}): CallView {
  seq += 1;
  const scheduledAt = overrides.scheduledAt ?? '2030-01-01T10:00:00.000Z';
  return {
    id: `call-${seq}`,
    phoneNumber: '+14155550100',
    scheduledAt,
    timezone: 'Europe/Paris',
    callingWindow: null,
    windowOpensAt: null,
    status: 'pending',
    attempts: 0,
    providerCallId: null,
    providerStatus: null,
    lastError: null,
    latenessMs: null,
    duration: null,
    connectedAt: null,
    nextAttemptAt: scheduledAt,
    deadline: null,
    createdAt: '2029-12-31T10:00:00.000Z',
    updatedAt: '2029-12-31T10:00:00.000Z',
    dispatchedAt: null,
    endedAt: null,
    version: 1,
    ...overrides,
  };
}

export function makeEvent(overrides: Partial<StoredEventView> = {}): StoredEventView {
  return {
    position: 1,
    streamId: 'call-1',
    version: 1,
    type: 'CallScheduled',
    data: {},
    metadata: { actor: 'api' },
    occurredAt: '2030-01-01T09:00:00.000Z',
    schemaVersion: 1,
    ...overrides,
  };
}

export function makeChange(call: CallView, event: Partial<StoredEventView> = {}): CallChange {
  const position = event.position ?? call.version;
  return { position, call, event: makeEvent({ streamId: call.id, version: call.version, position, ...event }) };
}
