import type { CallStatus } from './call-status.js';
import { isScheduled, type CallState } from './call-state.js';

/** The read model of one call, as the API returns it and the dashboard shows it. */
export interface CallView {
  id: string;
  phoneNumber: string;
  scheduledAt: string;
  // The callee's IANA time zone (null: none given; windows are then read in UTC).
  timezone: string | null;
  // When the callee may be rung, in `timezone` (e.g. "Mon-Sat 08:00-21:00"); null = any time.
  callingWindow: string | null;
  // While the call waits for its window to open: that opening (also its nextAttemptAt).
  windowOpensAt: string | null;
  status: CallStatus;
  attempts: number;
  providerCallId: string | null;
  providerStatus: string | null;
  lastError: string | null;
  latenessMs: number | null;
  // Seconds connected → ended (the provider's figure when it gives one).
  duration: number | null;
  connectedAt: string | null;
  nextAttemptAt: string | null;
  // Unplaced by then, the call is recorded missed (null on calls from before deadlines).
  deadline: string | null;
  createdAt: string;
  updatedAt: string;
  dispatchedAt: string | null;
  endedAt: string | null;
  version: number;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** One stored event as the API shows it (audit trail). */
export interface StoredEventView {
  position: number;
  streamId: string;
  version: number;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  occurredAt: string;
  schemaVersion: number;
}

/** The API's view of a stored call; a state before its first event has none. */
export function toCallView(state: CallState): CallView {
  if (!isScheduled(state)) throw new Error(`call ${state.id} has no events, so no view`);
  return {
    id: state.id,
    phoneNumber: state.phoneNumber,
    scheduledAt: state.scheduledAt,
    timezone: state.timezone,
    callingWindow: state.callingWindow,
    windowOpensAt: state.windowOpensAt,
    status: state.status,
    attempts: state.attempts,
    providerCallId: state.providerCallId,
    providerStatus: state.providerStatus,
    lastError: state.lastError,
    latenessMs: state.latenessMs,
    duration: state.duration,
    connectedAt: state.connectedAt,
    nextAttemptAt: state.dueAt,
    deadline: state.deadline,
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
    dispatchedAt: state.dispatchedAt,
    endedAt: state.endedAt,
    version: state.version,
  };
}
