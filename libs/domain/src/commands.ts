// Commands: what someone asks of a call. The decider answers each with events or a DomainError.
export interface ScheduleCall {
  type: 'ScheduleCall';
  phoneNumber: string;
  // An instant with an offset, or a local date-time in `timezone` (see parseZonedDateTime).
  scheduledAt?: string;
  timezone?: string;
  // Place it by then or record it missed; default: MISFIRE_GRACE after the first opening of its window at or after scheduledAt.
  deadline?: string;
  // The callee's calling window (parseCallingWindow); omitted = DispatchPolicy.defaultCallingWindow; "any" = any time.
  callingWindow?: string;
}
export interface RescheduleCall {
  type: 'RescheduleCall';
  // An instant with an offset, or a local date-time in the call's zone (the new one, if given).
  scheduledAt: string;
  deadline?: string;
  // The callee moved or was entered wrong: a new IANA zone (null = none). Omitted = unchanged.
  timezone?: string | null;
  // A new calling window (parseCallingWindow; "any" = any time). Omitted = unchanged.
  callingWindow?: string;
}
/** Operator: a new attempt budget for a failed, missed or untracked call, due `at` (default now). */
export interface RetryCall {
  type: 'RetryCall';
  at?: string;
  deadline?: string;
}
export interface CancelCall {
  type: 'CancelCall';
  reason?: string;
}
/** Operator: dial now (pending), or dial again after an unknown outcome (dispatch anyway). */
export interface DispatchNow {
  type: 'DispatchNow';
}
/** Dispatcher: claim the next attempt of a due call (or record it missed). */
export interface StartDispatch {
  type: 'StartDispatch';
  // The due time the dispatcher read: if the call's differs now, it was rescheduled meanwhile.
  dueAt?: string;
}
export interface RecordDispatch {
  type: 'RecordDispatch';
  providerCallId: string;
  providerStatus: string;
}
export interface RecordDispatchFailure {
  type: 'RecordDispatchFailure';
  reason: string;
  certain: boolean;
  // 4xx: the provider refused the request itself; retrying cannot help.
  retryable: boolean;
}
/** The Call API was unreachable or turned the work away: nothing was placed; try again at `retryAt`. */
export interface RecordDispatchUnavailable {
  type: 'RecordDispatchUnavailable';
  reason: string;
  retryAt: string;
}
/** Dispatcher: a pending call that could not be placed by its deadline (e.g. the Call API is down). */
export interface MissDeadline {
  type: 'MissDeadline';
  reason: string;
}
/** Recovery: an attempt was started but its answer never got on record (crash). */
export interface RecordLostAttempt {
  type: 'RecordLostAttempt';
  reason: string;
}
export interface RecordStatus {
  type: 'RecordStatus';
  providerStatus: string;
  duration?: number | null;
}
export interface LoseTracking {
  type: 'LoseTracking';
  reason: string;
}

export type CallCommand =
  | ScheduleCall
  | RescheduleCall
  | RetryCall
  | CancelCall
  | DispatchNow
  | StartDispatch
  | RecordDispatch
  | RecordDispatchFailure
  | RecordDispatchUnavailable
  | MissDeadline
  | RecordLostAttempt
  | RecordStatus
  | LoseTracking;

/** Rules that come from configuration, passed in with each decision. */
export interface DispatchPolicy {
  maxAttempts: number;
  misfireGraceMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  // The Call API honours Idempotency-Key: an uncertain attempt may be retried with the same key.
  idempotentProvider: boolean;
  // CALLING_WINDOW: the window of calls scheduled without their own (null = any time).
  defaultCallingWindow: string | null;
}

export const DEFAULT_POLICY: DispatchPolicy = {
  maxAttempts: 3,
  misfireGraceMs: 15 * 60_000,
  retryBaseMs: 1_000,
  retryMaxMs: 60_000,
  idempotentProvider: false,
  defaultCallingWindow: null,
};
