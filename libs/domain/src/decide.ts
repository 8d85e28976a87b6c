import { retryDelayMs } from './backoff.js';
import { IN_PROGRESS_STATUSES, statusFromProvider, type CallStatus } from './call-status.js';
import type { CallState } from './call-state.js';
import type { CallCommand, DispatchPolicy } from './commands.js';
import { DomainError, DomainErrorCode, IllegalTransitionError } from './domain-error.js';
import type { CallEvent, CallEventDataMap, CallEventType } from './events.js';
import { isValidTimezone, parseInstant } from './instant.js';
import { formatDuration } from './format-duration.js';
import { normalisePhoneNumber } from './phone-number.js';

/**
 * The Call decider: given a command, the call's current state and the time, returns the events
 * that record the decision, or throws a DomainError. No I/O, no clock: everything is passed in.
 */
export function decide(command: CallCommand, state: CallState, now: Date, policy: DispatchPolicy): CallEvent[] {
  const at = now.toISOString();
  const event = <K extends CallEventType>(type: K, data: CallEventDataMap[K]) =>
    ({ type, data, occurredAt: at }) as CallEvent;
  const require = (allowed: readonly (CallStatus | 'new')[]) => {
    if (!allowed.includes(state.status)) throw new IllegalTransitionError(describe(command.type), state.status);
  };

  switch (command.type) {
    case 'ScheduleCall': {
      require(['new']);
      const phoneNumber = normalisePhoneNumber(command.phoneNumber);
      const scheduledAt = command.scheduledAt === undefined ? now : parseInstant(command.scheduledAt);
      rejectOutOfRange(scheduledAt, now, policy);
      const timezone = command.timezone ?? null;
      if (timezone !== null && !isValidTimezone(timezone)) {
        throw new DomainError(DomainErrorCode.InvalidTimezone, `timezone ${timezone} is not an IANA time zone name`, 'timezone');
      }
      return [event('CallScheduled', { phoneNumber, scheduledAt: scheduledAt.toISOString(), timezone })];
    }
    case 'RescheduleCall': {
      require(['pending']);
      const scheduledAt = parseInstant(command.scheduledAt);
      rejectOutOfRange(scheduledAt, now, policy);
      return [
        event('CallRescheduled', { scheduledAt: scheduledAt.toISOString(), previousScheduledAt: state.scheduledAt, reason: 'reschedule' }),
      ];
    }
    case 'CancelCall':
      // An unknown outcome is closed by an operator the same way: nothing more will be dialled.
      require(['pending', 'outcome-unknown']);
      return [event('CallCancelled', { reason: command.reason?.trim() || 'cancelled by operator' })];
    case 'DispatchNow':
      require(['pending', 'outcome-unknown']);
      return [
        event('CallRescheduled', {
          scheduledAt: at,
          previousScheduledAt: state.scheduledAt,
          reason: state.status === 'pending' ? 'dispatch-now' : 'dispatch-anyway',
        }),
      ];
    case 'StartDispatch': {
      require(['pending']);
      // The dispatcher read the call as due at `dueAt` a moment (or a rate-limit wait) ago. If the
      // due time has changed since (an operator rescheduled it), it may not be due: start nothing.
      // Compared as instants, not as text: one instant has many ISO spellings.
      if (command.dueAt !== undefined && (state.dueAt === null || Date.parse(state.dueAt) !== Date.parse(command.dueAt))) return [];
      const latenessMs = now.getTime() - Date.parse(state.scheduledAt);
      if (latenessMs > policy.misfireGraceMs) {
        return [
          event('CallMissed', {
            reason: `due ${formatDuration(latenessMs)} ago, more than the misfire grace of ${formatDuration(policy.misfireGraceMs)}`,
            latenessMs,
          }),
        ];
      }
      const attempt = state.attempts + 1;
      return [event('CallDispatchStarted', { attempt, idempotencyKey: state.retryKey ?? `${state.id}:${attempt}`, latenessMs })];
    }
    case 'RecordDispatch':
      require(['dispatching']);
      return [
        event('CallDispatched', {
          attempt: state.attempts,
          providerCallId: command.providerCallId,
          providerStatus: command.providerStatus,
          latenessMs: state.latenessMs ?? now.getTime() - Date.parse(state.scheduledAt),
        }),
      ];
    case 'RecordDispatchFailure': {
      require(['dispatching']);
      if (!command.certain && !policy.idempotentProvider) {
        return [event('CallOutcomeUnknown', { attempt: state.attempts, reason: command.reason })];
      }
      const canRetry = command.retryable && state.attempts < policy.maxAttempts;
      const retryAt = canRetry
        ? new Date(now.getTime() + retryDelayMs(state.attempts, policy.retryBaseMs, policy.retryMaxMs, command.random)).toISOString()
        : null;
      return [event('CallDispatchFailed', { attempt: state.attempts, reason: command.reason, certain: command.certain, retryAt })];
    }
    case 'RecordLostAttempt':
      // The answer was lost (crash): exactly an uncertain failure. An idempotent provider lets us
      // retry with the same key; otherwise an operator decides.
      return decide({ type: 'RecordDispatchFailure', reason: command.reason, certain: false, retryable: true, random: 0 }, state, now, policy);
    case 'RecordStatus': {
      require(IN_PROGRESS_STATUSES);
      const current = state.status as CallStatus;
      const mapped = statusFromProvider(command.providerStatus);
      const rank = (s: CallStatus) => IN_PROGRESS_STATUSES.indexOf(s);
      // A late answer from an earlier poll ('ringing' after 'connected') must not move the call back.
      const to = mapped === null || (rank(mapped) >= 0 && rank(mapped) < rank(current)) ? current : mapped;
      const duration = command.duration ?? null;
      if (command.providerStatus === state.providerStatus && to === current) return [];
      return [event('CallStatusChanged', { from: current, to, providerStatus: command.providerStatus, duration })];
    }
    case 'LoseTracking':
      require(IN_PROGRESS_STATUSES);
      return [event('CallTrackingLost', { reason: command.reason })];
  }
}

/** How far ahead a call may be scheduled. */
export const MAX_YEARS_AHEAD = 10;

function rejectOutOfRange(scheduledAt: Date, now: Date, policy: DispatchPolicy): void {
  // A time further back than the misfire grace would be recorded as missed at once: refuse it instead.
  if (now.getTime() - scheduledAt.getTime() > policy.misfireGraceMs) {
    throw new DomainError(DomainErrorCode.InvalidScheduledAt, 'scheduledAt is in the past', 'scheduledAt');
  }
  const latest = new Date(now.getTime());
  latest.setUTCFullYear(latest.getUTCFullYear() + MAX_YEARS_AHEAD);
  if (scheduledAt.getTime() > latest.getTime()) {
    throw new DomainError(DomainErrorCode.InvalidScheduledAt, `scheduledAt must be within ${MAX_YEARS_AHEAD} years from now`, 'scheduledAt');
  }
}

const COMMAND_VERBS: Partial<Record<CallCommand['type'], string>> = {
  ScheduleCall: 'schedule',
  RescheduleCall: 'reschedule',
  CancelCall: 'cancel',
  DispatchNow: 'dispatch',
  StartDispatch: 'start dispatching',
  RecordStatus: 'record a provider status for',
};

function describe(type: CallCommand['type']): string {
  return COMMAND_VERBS[type] ?? type;
}
