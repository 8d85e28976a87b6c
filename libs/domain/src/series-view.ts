import type { CallStatus } from './call-status.js';
import type { SeriesDefinition } from './series-events.js';
import { nextOccurrence, type SeriesState, type SeriesStatus } from './series-state.js';

/** The read model of one series, as the API returns it and the dashboard shows it: its definition, and where it stands. */
export interface SeriesView extends SeriesDefinition {
  id: string;
  status: SeriesStatus;
  // The next occurrence the materialiser will turn into a call (null when paused, ended or exhausted).
  nextAt: string | null;
  // Occurrences dealt with so far (calls created plus skipped).
  occurrences: number;
  lastAt: string | null;
  createdAt: string;
  updatedAt: string;
  endedAt: string | null;
  version: number;
}

/**
 * One occurrence in GET /api/series/:id/occurrences. `status` is the call's status once the
 * occurrence became a call, `upcoming` before, `skipped` when it could not be placed.
 */
export interface OccurrenceView {
  at: string;
  callId: string | null;
  status: CallStatus | 'upcoming' | 'skipped';
  reason: string | null;
}

export function toSeriesView(state: SeriesState): SeriesView {
  if (state.status === 'new') throw new Error(`series ${state.id} has no events, so no view`);
  return {
    id: state.id,
    status: state.status,
    phoneNumber: state.phoneNumber,
    timezone: state.timezone,
    rrule: state.rrule,
    startsAt: state.startsAt,
    until: state.until,
    count: state.count,
    callingWindow: state.callingWindow,
    nextAt: state.status === 'active' ? nextOccurrence(state) : null,
    occurrences: state.occurrences.length,
    lastAt: state.occurrences.at(-1)?.at ?? null,
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
    endedAt: state.endedAt,
    version: state.version,
  };
}
