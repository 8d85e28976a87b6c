import { CALL_API_SCHEMA_VERSIONS, type CallApiEvent, type CallApiEventType } from './call-api-events.js';
import type { CallStatus } from './call-status.js';
import { eventTypesOf, type DomainEventOf } from './event-envelope.js';
import { SERIES_SCHEMA_VERSIONS, type SeriesEvent, type SeriesEventType } from './series-events.js';

// Event payloads. Times are ISO-8601 UTC strings so an event serialises to the same JSON it was made from.
export interface CallScheduledData {
  phoneNumber: string;
  scheduledAt: string;
  timezone: string | null;
  // The last moment the call may be placed; after it an unplaced call is recorded missed.
  deadline: string | null;
  // When the callee may be rung, on their wall clock (`timezone`, or UTC without one): the call's
  // own window or CALLING_WINDOW at the time it was scheduled; null = any time. See calling-window.ts.
  callingWindow: string | null;
}
export interface CallRescheduledData {
  // What the call shows as its time. A 'dispatch-now' leaves it as it was and moves only dueAt.
  scheduledAt: string;
  previousScheduledAt: string;
  // When the dispatcher should dial it.
  dueAt: string;
  deadline: string | null;
  // 'dispatch-now' and 'dispatch-anyway' are operator requests to dial at once.
  reason: 'reschedule' | 'dispatch-now' | 'dispatch-anyway';
  // Present only when the reschedule changed them (v3): the call's zone and calling window from now on.
  timezone?: string | null;
  callingWindow?: string | null;
}
/**
 * The call came due while its calling window was closed: nothing was dialled, and it waits, still
 * pending, for the window's next opening `until` (recorded once; the dispatcher acts at `until`).
 */
export interface CallDeferredToWindowData {
  until: string;
  reason: string;
}
export interface CallCancelledData {
  reason: string;
}
/** Recorded before the Call API request: a crash after it leaves proof that we may have dialled. */
export interface CallDispatchStartedData {
  attempt: number;
  idempotencyKey: string;
  // Dial time minus scheduledAt: measured when the request goes out, not when the answer comes back.
  // Absent from events written before it was recorded.
  latenessMs?: number;
}
export interface CallDispatchedData {
  attempt: number;
  providerCallId: string;
  providerStatus: string;
  latenessMs: number;
}
export interface CallDispatchFailedData {
  attempt: number;
  reason: string;
  // certain = the provider surely placed nothing (refused connection, 503, 429, 4xx).
  certain: boolean;
  retryAt: string | null;
}
/**
 * The Call API could not be reached or turned the work away (refused, 502/503/504, 429): nothing was
 * placed, so the attempt does not count. The call waits, pending, until `retryAt`.
 */
export interface CallDispatchDeferredData {
  attempt: number;
  reason: string;
  retryAt: string;
}
/** An operator gave a failed, missed or untracked call a new attempt budget. */
export interface CallRetriedData {
  previousStatus: CallStatus;
  at: string;
  deadline: string;
}
export interface CallOutcomeUnknownData {
  attempt: number;
  reason: string;
}
export interface CallStatusChangedData {
  from: CallStatus;
  to: CallStatus;
  providerStatus: string;
  duration: number | null;
}
export interface CallMissedData {
  reason: string;
  latenessMs: number;
}
export interface CallTrackingLostData {
  reason: string;
}

export interface CallEventDataMap {
  CallScheduled: CallScheduledData;
  CallRescheduled: CallRescheduledData;
  CallCancelled: CallCancelledData;
  CallDeferredToWindow: CallDeferredToWindowData;
  CallDispatchStarted: CallDispatchStartedData;
  CallDispatched: CallDispatchedData;
  CallDispatchFailed: CallDispatchFailedData;
  CallDispatchDeferred: CallDispatchDeferredData;
  CallRetried: CallRetriedData;
  CallOutcomeUnknown: CallOutcomeUnknownData;
  CallStatusChanged: CallStatusChangedData;
  CallMissed: CallMissedData;
  CallTrackingLost: CallTrackingLostData;
}

export type CallEventType = keyof CallEventDataMap;

/** A call's domain event: what happened, and when (the decider's `now`). */
export type CallEvent = DomainEventOf<CallEventDataMap>;

/**
 * The schema version each call event type is written at today. Raise a type's number when its payload
 * changes, and add the upcaster from the previous version in upcasters.ts.
 * CallScheduled v1 had no `timezone`; v2 has it (null when none was given); v3 adds `deadline`;
 * v4 adds `callingWindow`.
 * CallRescheduled v2 adds `dueAt` and `deadline`; v3 may carry `timezone` and `callingWindow`
 * (present when the reschedule changed them, so a v2 payload reads as "unchanged" as it is).
 */
export const CALL_SCHEMA_VERSIONS: Readonly<Record<CallEventType, number>> = {
  CallScheduled: 4,
  CallRescheduled: 3,
  CallCancelled: 1,
  CallDeferredToWindow: 1,
  CallDispatchStarted: 1,
  CallDispatched: 1,
  CallDispatchFailed: 1,
  CallDispatchDeferred: 1,
  CallRetried: 1,
  CallOutcomeUnknown: 1,
  CallStatusChanged: 1,
  CallMissed: 1,
  CallTrackingLost: 1,
};
export const CALL_EVENT_TYPES = eventTypesOf(CALL_SCHEMA_VERSIONS);

/** Every event the log stores, whichever stream it belongs to: a call's, the Call API's, a series'. */
export type LogEvent = CallEvent | CallApiEvent | SeriesEvent;

/** The schema version of every event type in the log, whichever stream it belongs to (written with each row). */
export const SCHEMA_VERSIONS: Readonly<Record<CallEventType | CallApiEventType | SeriesEventType, number>> = {
  ...CALL_SCHEMA_VERSIONS,
  ...CALL_API_SCHEMA_VERSIONS,
  ...SERIES_SCHEMA_VERSIONS,
};

/** @deprecated Versions are per event type now: use SCHEMA_VERSIONS[type]. */
export const CURRENT_SCHEMA_VERSION = 1;
