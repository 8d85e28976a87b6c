import type { CallStatus } from './call-status.js';
import { isScheduled, type CallState } from './call-state.js';

/** The read model of one call, as the API returns it and the dashboard shows it. */
export interface CallView {
  id: string;
  phoneNumber: string;
  scheduledAt: string;
  timezone: string | null;
  status: CallStatus;
  attempts: number;
  providerCallId: string | null;
  providerStatus: string | null;
  lastError: string | null;
  latenessMs: number | null;
  duration: number | null;
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
    status: state.status,
    attempts: state.attempts,
    providerCallId: state.providerCallId,
    providerStatus: state.providerStatus,
    lastError: state.lastError,
    latenessMs: state.latenessMs,
    duration: state.duration,
    nextAttemptAt: state.dueAt,
    deadline: state.deadline,
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
    dispatchedAt: state.dispatchedAt,
    endedAt: state.endedAt,
    version: state.version,
  };
}
