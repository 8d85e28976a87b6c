import { eventTypesOf, type DomainEventOf } from './event-envelope.js';

// The Call API's availability, as the dispatchers saw it: a stream of its own beside the calls', so
// an auditor can see why calls were late, and instances sharing one log agree on the circuit state.

/** The stream the circuit breaker's events are appended to. No call id can take this name (ids are UUIDs). */
export const CALL_API_STREAM = 'call-api';

export interface CallApiUnavailableData {
  reason: string;
  // The first failure of the run that opened the circuit.
  since: string;
  failures: number;
}
export interface CallApiRecoveredData {
  since: string;
  recoveredAt: string;
  downtimeMs: number;
}

export interface CallApiEventDataMap {
  CallApiUnavailable: CallApiUnavailableData;
  CallApiRecovered: CallApiRecoveredData;
}
export type CallApiEventType = keyof CallApiEventDataMap;
/** The schema version each Call API event type is written at today (see SCHEMA_VERSIONS in events.ts). */
export const CALL_API_SCHEMA_VERSIONS: Readonly<Record<CallApiEventType, number>> = { CallApiUnavailable: 1, CallApiRecovered: 1 };
export const CALL_API_EVENT_TYPES = eventTypesOf(CALL_API_SCHEMA_VERSIONS);

export type CallApiEvent = DomainEventOf<CallApiEventDataMap>;

/** What the log says of the Call API: down since when, or up. */
export interface CallApiAvailability {
  up: boolean;
  since: string | null;
  reason: string | null;
  version: number;
}

export function callApiAvailability(events: readonly CallApiEvent[]): CallApiAvailability {
  const last = events.at(-1);
  if (!last || last.type === 'CallApiRecovered') return { up: true, since: null, reason: null, version: events.length };
  return { up: false, since: last.data.since, reason: last.data.reason, version: events.length };
}
