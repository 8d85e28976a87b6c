import { retryDelayMs } from './backoff.js';
import { IN_PROGRESS_STATUSES, statusFromProvider, type CallStatus } from './call-status.js';
import type { CallState } from './call-state.js';
import type { CallCommand, DispatchPolicy } from './commands.js';
import { DomainError, DomainErrorCode, IllegalTransitionError } from './domain-error.js';
import type { CallEvent, CallEventDataMap, CallEventType } from './events.js';
import { callingWindowOf, isInsideWindow, nextOpening, resolveCallingWindow, windowZone } from './calling-window.js';
import { isValidTimezone } from './instant.js';
import { formatLocalOpening, parseZonedDateTime } from './zoned-time.js';
import { formatDuration } from './format-duration.js';
import { normalisePhoneNumber } from './phone-number.js';

/**
 * The Call decider: given a command, the call's current state and the time, returns the events
 * that record the decision, or throws a DomainError. No I/O, no clock, no random source:
 * everything is passed in. `random` is a draw in [0, 1) for the jitter of a retry after a failed
 * attempt (only RecordDispatchFailure reads it); it is an input of the decision rather than a
 * field of the command because nobody asks for it: the caller draws it, as it reads the clock.
 * It defaults to 0 (the shortest delay in the jitter range) for callers that record no failures.
 */
export function decide(command: CallCommand, state: CallState, now: Date, policy: DispatchPolicy, random = 0): CallEvent[] {
  const at = now.toISOString();
  const event = <K extends CallEventType>(type: K, data: CallEventDataMap[K]) => ({ type, data, occurredAt: at }) as CallEvent;

  switch (command.type) {
    case 'ScheduleCall': {
      requireStatus(state, ['new'], command);
      const phoneNumber = normalisePhoneNumber(command.phoneNumber);
      const timezone = knownZone(command.timezone ?? null);
      const scheduledAt = command.scheduledAt === undefined ? now : parseZonedDateTime(command.scheduledAt, timezone);
      rejectOutOfRange(scheduledAt, now, policy);
      const callingWindow = resolveCallingWindow(command.callingWindow, policy.defaultCallingWindow);
      const deadline = deadlineFor(scheduledAt, command.deadline, policy, { timezone, callingWindow });
      return [event('CallScheduled', { phoneNumber, scheduledAt: scheduledAt.toISOString(), timezone, deadline, callingWindow })];
    }
    case 'RescheduleCall': {
      requireStatus(state, ['pending'], command);
      const timezone = knownZone(command.timezone === undefined ? state.timezone : command.timezone);
      const callingWindow = command.callingWindow === undefined ? state.callingWindow : resolveCallingWindow(command.callingWindow, null);
      const scheduledAt = parseZonedDateTime(command.scheduledAt, timezone);
      rejectOutOfRange(scheduledAt, now, policy);
      const iso = scheduledAt.toISOString();
      const deadline = deadlineFor(scheduledAt, command.deadline, policy, { timezone, callingWindow });
      return [
        event('CallRescheduled', {
          scheduledAt: iso,
          previousScheduledAt: state.scheduledAt,
          dueAt: iso,
          deadline,
          reason: 'reschedule',
          ...(timezone !== state.timezone && { timezone }),
          ...(callingWindow !== state.callingWindow && { callingWindow }),
        }),
      ];
    }
    case 'RetryCall': {
      requireStatus(state, ['failed', 'missed', 'untracked'], command);
      const due = command.at === undefined ? now : parseZonedDateTime(command.at, state.timezone, 'at');
      rejectOutOfRange(due, now, policy, 'at');
      const deadline = deadlineFor(due, command.deadline, policy, state);
      return [event('CallRetried', { previousStatus: state.status, at: due.toISOString(), deadline })];
    }
    case 'CancelCall':
      // An unknown outcome is closed by an operator the same way: nothing more will be dialled.
      requireStatus(state, ['pending', 'outcome-unknown'], command);
      return [event('CallCancelled', { reason: command.reason?.trim() || 'cancelled by operator' })];
    case 'DispatchNow': {
      requireStatus(state, ['pending', 'outcome-unknown'], command);
      const closed = callingWindowOf(state);
      if (closed && !isInsideWindow(closed, windowZone(state.timezone), now)) {
        const opens = nextOpening(closed, windowZone(state.timezone), now);
        throw new DomainError(
          DomainErrorCode.OutsideCallingWindow,
          `the callee's calling window (${closed.text}, ${windowZone(state.timezone)}) is closed until ${formatLocalOpening(opens, windowZone(state.timezone))}: reschedule the call instead`,
          'callingWindow',
        );
      }
      // The call keeps showing the time it was scheduled for; only when to dial moves. An operator
      // asking for it now also gives it a full grace from now to be placed.
      const deadline = new Date(Math.max(effectiveDeadline(state, policy), now.getTime() + policy.misfireGraceMs)).toISOString();
      return [
        event('CallRescheduled', {
          scheduledAt: state.scheduledAt,
          previousScheduledAt: state.scheduledAt,
          dueAt: at,
          deadline,
          reason: state.status === 'pending' ? 'dispatch-now' : 'dispatch-anyway',
        }),
      ];
    }
    case 'StartDispatch': {
      requireStatus(state, ['pending'], command);
      // The dispatcher read the call as due at `dueAt` a moment (or a rate-limit wait) ago. If the
      // due time has changed since (an operator rescheduled it), it may not be due: start nothing.
      // Compared as instants, not as text: one instant has many ISO spellings.
      if (command.dueAt !== undefined && (state.dueAt === null || Date.parse(state.dueAt) !== Date.parse(command.dueAt))) return [];
      // Late against the earliest moment it was wanted: its time, or an operator's "now" before it.
      const wanted = Math.min(Date.parse(state.scheduledAt), Date.parse(state.dueAt ?? state.scheduledAt));
      const latenessMs = now.getTime() - wanted;
      if (now.getTime() > effectiveDeadline(state, policy)) {
        return [event('CallMissed', { reason: `due ${formatDuration(latenessMs)} ago and not placed by its deadline`, latenessMs })];
      }
      const window = callingWindowOf(state);
      const zone = windowZone(state.timezone);
      if (window && !isInsideWindow(window, zone, now)) {
        const until = nextOpening(window, zone, now);
        const closed = `outside its calling window ${window.text} (${zone})`;
        if (until.getTime() > effectiveDeadline(state, policy)) {
          return [event('CallMissed', { reason: `${closed}, which opens at ${formatLocalOpening(until, zone)}, after its deadline`, latenessMs })];
        }
        return [
          event('CallDeferredToWindow', { until: until.toISOString(), reason: `${closed}: waits for ${formatLocalOpening(until, zone)}, callee's time` }),
        ];
      }
      const attempt = state.attempts + 1;
      return [event('CallDispatchStarted', { attempt, idempotencyKey: state.retryKey ?? `${state.id}:${attempt}`, latenessMs })];
    }
    case 'RecordDispatch':
      requireStatus(state, ['dispatching'], command);
      return [
        event('CallDispatched', {
          attempt: state.attempts,
          providerCallId: command.providerCallId,
          providerStatus: command.providerStatus,
          latenessMs: state.latenessMs ?? now.getTime() - Date.parse(state.scheduledAt),
        }),
      ];
    case 'RecordDispatchFailure': {
      requireStatus(state, ['dispatching'], command);
      if (!command.certain && !policy.idempotentProvider) {
        return [event('CallOutcomeUnknown', { attempt: state.attempts, reason: command.reason })];
      }
      const canRetry = command.retryable && state.attempts - state.attemptBase < policy.maxAttempts;
      // A retry never rings outside the calling window: it waits for the next opening instead.
      const retryAt = canRetry ? inWindow(state, new Date(now.getTime() + retryDelayMs(state.attempts, policy.retryBaseMs, policy.retryMaxMs, random))) : null;
      return [event('CallDispatchFailed', { attempt: state.attempts, reason: command.reason, certain: command.certain, retryAt })];
    }
    case 'RecordDispatchUnavailable':
      requireStatus(state, ['dispatching'], command);
      return [event('CallDispatchDeferred', { attempt: state.attempts, reason: command.reason, retryAt: inWindow(state, new Date(command.retryAt)) })];
    case 'MissDeadline': {
      requireStatus(state, ['pending'], command);
      if (now.getTime() <= effectiveDeadline(state, policy)) return [];
      const latenessMs = now.getTime() - Date.parse(state.scheduledAt);
      return [event('CallMissed', { reason: command.reason, latenessMs })];
    }
    case 'RecordLostAttempt':
      // The answer was lost (crash): exactly an uncertain failure. An idempotent provider lets us
      // retry with the same key; otherwise an operator decides.
      return decide({ type: 'RecordDispatchFailure', reason: command.reason, certain: false, retryable: true }, state, now, policy, 0);
    case 'RecordStatus': {
      requireStatus(state, IN_PROGRESS_STATUSES, command);
      const current = state.status;
      const mapped = statusFromProvider(command.providerStatus);
      const rank = (s: CallStatus) => IN_PROGRESS_STATUSES.indexOf(s);
      // A late answer from an earlier poll ('ringing' after 'connected') must not move the call back.
      const to = mapped === null || (rank(mapped) >= 0 && rank(mapped) < rank(current)) ? current : mapped;
      const duration = command.duration ?? null;
      if (command.providerStatus === state.providerStatus && to === current) return [];
      return [event('CallStatusChanged', { from: current, to, providerStatus: command.providerStatus, duration })];
    }
    case 'LoseTracking':
      requireStatus(state, IN_PROGRESS_STATUSES, command);
      return [event('CallTrackingLost', { reason: command.reason })];
  }
}

/** Throws IllegalTransitionError unless the call is in one of `allowed`; narrows its status to them. */
function requireStatus<S extends CallStatus | 'new'>(state: CallState, allowed: readonly S[], command: CallCommand): asserts state is CallState<S> {
  if (!allowed.some((status) => status === state.status)) throw new IllegalTransitionError(describe(command.type), state.status);
}

/** How far ahead a call may be scheduled. */
export const MAX_YEARS_AHEAD = 10;

function rejectOutOfRange(scheduledAt: Date, now: Date, policy: DispatchPolicy, field = 'scheduledAt'): void {
  // A time further back than the misfire grace would be recorded as missed at once: refuse it instead.
  if (now.getTime() - scheduledAt.getTime() > policy.misfireGraceMs) {
    throw new DomainError(DomainErrorCode.InvalidScheduledAt, `${field} is in the past`, field);
  }
  const latest = new Date(now.getTime());
  latest.setUTCFullYear(latest.getUTCFullYear() + MAX_YEARS_AHEAD);
  if (scheduledAt.getTime() > latest.getTime()) {
    throw new DomainError(DomainErrorCode.InvalidScheduledAt, `${field} must be within ${MAX_YEARS_AHEAD} years from now`, field);
  }
}

/** `at`, or the next opening of the call's calling window after it, as ISO-8601. */
function inWindow(call: Pick<CallState, 'callingWindow' | 'timezone'>, at: Date): string {
  const window = callingWindowOf(call);
  return (window ? nextOpening(window, windowZone(call.timezone), at) : at).toISOString();
}

/**
 * The deadline asked for (not before the call's time, nor before its window first opens), or the
 * misfire grace after that first opening: a call scheduled for 03:00 with a window from 08:00 may
 * be placed from 08:00 to 08:15, not missed at 03:15.
 */
/** The zone a command names, if the runtime knows it (null = none); a DomainError naming `timezone` otherwise. */
function knownZone(timezone: string | null): string | null {
  if (timezone !== null && !isValidTimezone(timezone)) {
    throw new DomainError(DomainErrorCode.InvalidTimezone, `timezone ${timezone} is not an IANA time zone name`, 'timezone');
  }
  return timezone;
}

function deadlineFor(due: Date, requested: string | undefined, policy: DispatchPolicy, call: Pick<CallState, 'callingWindow' | 'timezone'>): string {
  const opens = new Date(inWindow(call, due));
  if (requested === undefined) return new Date(opens.getTime() + policy.misfireGraceMs).toISOString();
  const deadline = parseZonedDateTime(requested, call.timezone, 'deadline');
  if (deadline.getTime() < due.getTime()) {
    throw new DomainError(DomainErrorCode.InvalidScheduledAt, 'deadline must not be before the time the call is due', 'deadline');
  }
  if (deadline.getTime() < opens.getTime()) {
    throw new DomainError(
      DomainErrorCode.InvalidScheduledAt,
      `deadline is before the calling window first opens (${opens.toISOString()}): the call could never be placed`,
      'deadline',
      ['callingWindow'],
    );
  }
  return deadline.toISOString();
}

/** The last moment (ms) a pending call may still be placed. */
export function effectiveDeadline(state: Pick<CallState, 'deadline' | 'scheduledAt'>, policy: Pick<DispatchPolicy, 'misfireGraceMs'>): number {
  return state.deadline === null ? Date.parse(state.scheduledAt) + policy.misfireGraceMs : Date.parse(state.deadline);
}

const COMMAND_VERBS: Partial<Record<CallCommand['type'], string>> = {
  ScheduleCall: 'schedule',
  RescheduleCall: 'reschedule',
  CancelCall: 'cancel',
  DispatchNow: 'dispatch',
  RetryCall: 'retry',
  StartDispatch: 'start dispatching',
  RecordStatus: 'record a provider status for',
};

function describe(type: CallCommand['type']): string {
  return COMMAND_VERBS[type] ?? type;
}
