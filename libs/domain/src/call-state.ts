import { isTerminal, type CallStatus } from './call-status.js';
import type { CallEvent } from './events.js';

/**
 * Everything the decider needs to know about one call, folded from its events. `S` narrows the
 * status once it is known (the decider's status checks do it): CallState<'pending'> and so on;
 * 'new' is the state before the first event, which no stored call is ever in.
 */
export interface CallState<S extends CallStatus | 'new' = CallStatus | 'new'> {
  id: string;
  version: number;
  status: S;
  phoneNumber: string;
  scheduledAt: string;
  timezone: string | null;
  // When the callee may be rung (CallingWindow text; null = any time), on `timezone`'s wall clock.
  callingWindow: string | null;
  // Set while the call waits for its calling window to open (CallDeferredToWindow): that opening.
  windowOpensAt: string | null;
  // When the provider reported the call connected: the duration of a call whose provider gives none.
  connectedAt: string | null;
  // When the dispatcher should next act: scheduledAt, or a retry time after a failed attempt.
  dueAt: string | null;
  // The last moment to place it (null on calls recorded before deadlines: scheduledAt + misfire grace).
  deadline: string | null;
  // Attempts so far, over the call's whole life: idempotency keys are numbered by it, never reused.
  attempts: number;
  // `attempts` when an operator last retried the call: MAX_ATTEMPTS counts the attempts since.
  attemptBase: number;
  // Set after an uncertain failure towards an idempotent provider: the retry reuses this key.
  retryKey: string | null;
  providerCallId: string | null;
  providerStatus: string | null;
  lastError: string | null;
  latenessMs: number | null;
  duration: number | null;
  createdAt: string;
  updatedAt: string;
  dispatchedAt: string | null;
  endedAt: string | null;
}

export function initialState(id: string): CallState {
  return {
    id,
    version: 0,
    status: 'new',
    phoneNumber: '',
    scheduledAt: '',
    timezone: null,
    callingWindow: null,
    windowOpensAt: null,
    connectedAt: null,
    dueAt: null,
    deadline: null,
    attempts: 0,
    attemptBase: 0,
    retryKey: null,
    providerCallId: null,
    providerStatus: null,
    lastError: null,
    latenessMs: null,
    duration: null,
    createdAt: '',
    updatedAt: '',
    dispatchedAt: null,
    endedAt: null,
  };
}

/** A call that has been scheduled (every stored call): its status is a CallStatus. */
export function isScheduled(state: CallState): state is CallState<CallStatus> {
  return state.status !== 'new';
}

function ended(state: CallState, status: CallStatus, at: string): Pick<CallState, 'status' | 'dueAt' | 'endedAt'> {
  return { status, dueAt: null, endedAt: isTerminal(status) ? at : state.endedAt };
}

/** Applies one event. Pure and total: replaying the same events always gives the same state. */
export function evolve(state: CallState, event: CallEvent): CallState {
  // Only CallDeferredToWindow leaves a call waiting for its window; anything after it ends the wait.
  const base = { ...state, version: state.version + 1, updatedAt: event.occurredAt, windowOpensAt: null };
  switch (event.type) {
    case 'CallScheduled':
      return {
        ...base,
        status: 'pending',
        phoneNumber: event.data.phoneNumber,
        scheduledAt: event.data.scheduledAt,
        timezone: event.data.timezone,
        callingWindow: event.data.callingWindow,
        dueAt: event.data.scheduledAt,
        deadline: event.data.deadline,
        createdAt: event.occurredAt,
      };
    case 'CallRescheduled':
      return {
        ...base,
        status: 'pending',
        scheduledAt: event.data.scheduledAt,
        dueAt: event.data.dueAt,
        deadline: event.data.deadline,
        ...(event.data.timezone !== undefined && { timezone: event.data.timezone }),
        ...(event.data.callingWindow !== undefined && { callingWindow: event.data.callingWindow }),
      };
    case 'CallRetried':
      return {
        ...base,
        status: 'pending',
        dueAt: event.data.at,
        deadline: event.data.deadline,
        attemptBase: state.attempts,
        retryKey: null,
        lastError: null,
        endedAt: null,
      };
    case 'CallDispatchDeferred':
      // Nothing was placed: the attempt is given back (its number, and so its key, is used again).
      return { ...base, status: 'pending', attempts: event.data.attempt - 1, dueAt: event.data.retryAt, lastError: event.data.reason };
    case 'CallDeferredToWindow':
      return { ...base, status: 'pending', dueAt: event.data.until, windowOpensAt: event.data.until };
    case 'CallCancelled':
      return { ...base, ...ended(state, 'cancelled', event.occurredAt), lastError: state.lastError };
    case 'CallDispatchStarted':
      return { ...base, status: 'dispatching', attempts: event.data.attempt, dueAt: null, latenessMs: event.data.latenessMs ?? state.latenessMs };
    case 'CallDispatched':
      return {
        ...base,
        status: 'dispatched',
        retryKey: null,
        lastError: null,
        providerCallId: event.data.providerCallId,
        providerStatus: event.data.providerStatus,
        latenessMs: event.data.latenessMs,
        dispatchedAt: event.occurredAt,
      };
    case 'CallDispatchFailed': {
      const retrying = event.data.retryAt !== null;
      return {
        ...base,
        ...(retrying ? { status: 'pending' as const, dueAt: event.data.retryAt } : ended(state, 'failed', event.occurredAt)),
        lastError: event.data.reason,
        // Once an attempt may have reached the provider (uncertain failure), every retry reuses the key
        // that attempt was sent with, even after a later certain failure: the provider may hold that call.
        retryKey: retrying ? (event.data.certain ? state.retryKey : (state.retryKey ?? `${state.id}:${event.data.attempt}`)) : null,
      };
    }
    case 'CallOutcomeUnknown':
      return { ...base, status: 'outcome-unknown', dueAt: null, lastError: event.data.reason };
    case 'CallStatusChanged': {
      const connectedAt = event.data.to === 'connected' ? (state.connectedAt ?? event.occurredAt) : state.connectedAt;
      // The provider's duration when it gives one; otherwise connected → ended, measured on our clock.
      const measured = isTerminal(event.data.to) && connectedAt ? Math.round((Date.parse(event.occurredAt) - Date.parse(connectedAt)) / 1000) : null;
      return {
        ...base,
        ...ended(state, event.data.to, event.occurredAt),
        providerStatus: event.data.providerStatus,
        connectedAt,
        duration: event.data.duration ?? state.duration ?? measured,
      };
    }
    case 'CallMissed':
      return { ...base, ...ended(state, 'missed', event.occurredAt), latenessMs: event.data.latenessMs, lastError: event.data.reason };
    case 'CallTrackingLost':
      return { ...base, ...ended(state, 'untracked', event.occurredAt), lastError: event.data.reason };
  }
}

export function foldEvents(id: string, events: readonly CallEvent[]): CallState {
  return events.reduce(evolve, initialState(id));
}
