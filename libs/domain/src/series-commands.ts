// Commands on a series. The series decider answers each with events or a DomainError.

/** Fields of a new series as the API takes them (strings as given; the decider checks and normalises). */
export interface CreateSeries {
  type: 'CreateSeries';
  phoneNumber: string;
  timezone: string;
  rrule: string;
  startsAt?: string;
  until?: string;
  count?: number;
  callingWindow?: string;
}
/** Changes from the next occurrence not yet materialised; null clears an optional field. */
export interface EditSeries {
  type: 'EditSeries';
  phoneNumber?: string;
  timezone?: string;
  rrule?: string;
  startsAt?: string;
  until?: string | null;
  count?: number | null;
  callingWindow?: string | null;
}
export interface PauseSeries {
  type: 'PauseSeries';
  reason?: string;
}
export interface ResumeSeries {
  type: 'ResumeSeries';
}
export interface EndSeries {
  type: 'EndSeries';
  reason?: string;
}
/** Materialiser: the occurrence at `at` became call `callId`. A no-op unless `at` is still the next occurrence. */
export interface RecordOccurrence {
  type: 'RecordOccurrence';
  at: string;
  callId: string;
}
/** Materialiser: the occurrence at `at` can no longer be placed. */
export interface SkipOccurrence {
  type: 'SkipOccurrence';
  at: string;
  reason: string;
}

export type SeriesCommand = CreateSeries | EditSeries | PauseSeries | ResumeSeries | EndSeries | RecordOccurrence | SkipOccurrence;
