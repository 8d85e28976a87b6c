import { eventTypesOf, type DomainEventOf } from './event-envelope.js';

// A recurring call: its own event stream (`series-<uuid>`) beside the calls it creates.

/** A series' stream id: the prefix keeps series streams apart from call streams (plain UUIDs) and `call-api`. */
export const SERIES_STREAM_PREFIX = 'series-';

export function isSeriesStream(streamId: string): boolean {
  return streamId.startsWith(SERIES_STREAM_PREFIX);
}

/** What a series is: who to call, in which zone, by which rule, until when, and in which window. */
export interface SeriesDefinition {
  phoneNumber: string;
  // IANA zone the rule is evaluated in ("09:00 every Monday" is 09:00 there, across DST).
  timezone: string;
  // RFC 5545 RRULE parts without DTSTART, COUNT and UNTIL (those are fields of their own), normalised.
  rrule: string;
  // The rule's DTSTART (UTC ISO-8601): its anchor, and the earliest occurrence.
  startsAt: string;
  until: string | null;
  // Occurrences in the whole life of the series (materialised and skipped), across edits.
  count: number | null;
  // The calls' calling window (e.g. "Mon-Fri 09:00-17:00" in the series' zone); null = the default.
  callingWindow: string | null;
}

export type SeriesCreatedData = SeriesDefinition;
export interface SeriesEditedData {
  // Only the fields that changed.
  changes: Partial<SeriesDefinition>;
  // The edit applies to occurrences at or after this instant that were not materialised yet.
  from: string;
}
export interface SeriesPausedData {
  reason: string;
}
export interface SeriesResumedData {
  // Occurrences that fell in the pause are not made up for: the next one is at or after this.
  from: string;
}
export interface SeriesEndedData {
  reason: string;
}
/** An occurrence became a call (the call's id is derived from the series id and `at`). */
export interface SeriesOccurrenceScheduledData {
  at: string;
  callId: string;
}
/** An occurrence that could no longer be placed (the service was down past its deadline). */
export interface SeriesOccurrenceSkippedData {
  at: string;
  reason: string;
}

export interface SeriesEventDataMap {
  SeriesCreated: SeriesCreatedData;
  SeriesEdited: SeriesEditedData;
  SeriesPaused: SeriesPausedData;
  SeriesResumed: SeriesResumedData;
  SeriesEnded: SeriesEndedData;
  SeriesOccurrenceScheduled: SeriesOccurrenceScheduledData;
  SeriesOccurrenceSkipped: SeriesOccurrenceSkippedData;
}
export type SeriesEventType = keyof SeriesEventDataMap;
/** The schema version each series event type is written at today (see SCHEMA_VERSIONS in events.ts). */
export const SERIES_SCHEMA_VERSIONS: Readonly<Record<SeriesEventType, number>> = {
  SeriesCreated: 1,
  SeriesEdited: 1,
  SeriesPaused: 1,
  SeriesResumed: 1,
  SeriesEnded: 1,
  SeriesOccurrenceScheduled: 1,
  SeriesOccurrenceSkipped: 1,
};
export const SERIES_EVENT_TYPES = eventTypesOf(SERIES_SCHEMA_VERSIONS);

export type SeriesEvent = DomainEventOf<SeriesEventDataMap>;

/** The stream a series' events are appended to. */
export function seriesStreamId(seriesId: string): string {
  return `${SERIES_STREAM_PREFIX}${seriesId}`;
}
