import { occurrencesFrom } from './recurrence.js';
import type { SeriesDefinition, SeriesEvent } from './series-events.js';

export type SeriesStatus = 'active' | 'paused' | 'ended';

/** One occurrence that has been dealt with: a call was created for it, or it was skipped. */
export interface MaterialisedOccurrence {
  at: string;
  callId: string | null;
  skipped: string | null;
}

/** Everything the series decider needs, folded from the series' events. */
export interface SeriesState extends SeriesDefinition {
  id: string;
  version: number;
  status: SeriesStatus | 'new';
  // The next occurrence is at or after this (creation: startsAt; an edit or a resume: its time).
  from: string;
  occurrences: MaterialisedOccurrence[];
  createdAt: string;
  updatedAt: string;
  endedAt: string | null;
}

export function initialSeriesState(id: string): SeriesState {
  return {
    id,
    version: 0,
    status: 'new',
    phoneNumber: '',
    timezone: 'UTC',
    rrule: '',
    startsAt: '',
    until: null,
    count: null,
    callingWindow: null,
    from: '',
    occurrences: [],
    createdAt: '',
    updatedAt: '',
    endedAt: null,
  };
}

const later = (a: string, b: string) => (Date.parse(a) >= Date.parse(b) ? a : b);

/** Applies one event. Pure and total, like the call's evolve. */
export function evolveSeries(state: SeriesState, event: SeriesEvent): SeriesState {
  const base = { ...state, version: state.version + 1, updatedAt: event.occurredAt };
  switch (event.type) {
    case 'SeriesCreated':
      return { ...base, ...event.data, status: 'active', from: event.data.startsAt, createdAt: event.occurredAt };
    case 'SeriesEdited': {
      const merged = { ...base, ...event.data.changes };
      // A new startsAt moves the anchor and may move the start later; never earlier than the edit.
      return { ...merged, from: later(event.data.from, merged.startsAt) };
    }
    case 'SeriesPaused':
      return { ...base, status: 'paused' };
    case 'SeriesResumed':
      return { ...base, status: 'active', from: later(event.data.from, state.from) };
    case 'SeriesEnded':
      return { ...base, status: 'ended', endedAt: event.occurredAt };
    case 'SeriesOccurrenceScheduled':
      return { ...base, occurrences: [...state.occurrences, { at: event.data.at, callId: event.data.callId, skipped: null }] };
    case 'SeriesOccurrenceSkipped':
      return { ...base, occurrences: [...state.occurrences, { at: event.data.at, callId: null, skipped: event.data.reason }] };
  }
}

export function foldSeries(id: string, events: readonly SeriesEvent[]): SeriesState {
  return events.reduce(evolveSeries, initialSeriesState(id));
}

/**
 * The next occurrences not yet materialised, at most `limit`: after the last materialised one, at or
 * after `from`, within `until` and the remaining `count`. Empty for an ended series; a paused one
 * still shows what would come (from the time it is resumed, nothing before it is made up for).
 */
export function upcomingOccurrences(state: SeriesState, limit: number, notBefore?: string): string[] {
  if (state.status === 'new' || state.status === 'ended') return [];
  const remaining = state.count === null ? limit : Math.min(limit, state.count - state.occurrences.length);
  if (remaining <= 0) return [];
  const last = state.occurrences.at(-1);
  let from = state.from;
  if (notBefore !== undefined) from = later(from, notBefore);
  // Strictly after the last one dealt with: an edit cannot bring back an occurrence already made.
  if (last) from = later(from, new Date(Date.parse(last.at) + 1).toISOString());
  return occurrencesFrom(state, from, remaining, state.until);
}

/** The next occurrence to materialise, or null when the series has no more. */
export function nextOccurrence(state: SeriesState): string | null {
  return upcomingOccurrences(state, 1)[0] ?? null;
}
