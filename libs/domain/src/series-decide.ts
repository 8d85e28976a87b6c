import { DomainError, DomainErrorCode, SeriesNotFoundError } from './domain-error.js';
import { isValidTimezone, parseInstant } from './instant.js';
import { normalisePhoneNumber } from './phone-number.js';
import { normaliseRrule, occurrencesFrom } from './recurrence.js';
import { parseCallingWindow } from './calling-window.js';
import type { SeriesCommand } from './series-commands.js';
import type { SeriesDefinition, SeriesEvent, SeriesEventDataMap, SeriesEventType } from './series-events.js';
import { nextOccurrence, type SeriesState, type SeriesStatus } from './series-state.js';

/** A series may run up to this many occurrences (a daily call for ten years is ~3,650). */
export const MAX_SERIES_COUNT = 10_000;
const MINUTE_MS = 60_000;

/**
 * The series decider: command + state + now → events, or a DomainError naming the field. Pure.
 */
export function decideSeries(command: SeriesCommand, state: SeriesState, now: Date): SeriesEvent[] {
  const at = now.toISOString();
  const event = <K extends SeriesEventType>(type: K, data: SeriesEventDataMap[K]) => ({ type, data, occurredAt: at }) as SeriesEvent;

  switch (command.type) {
    case 'CreateSeries': {
      requireSeriesStatus(state, ['new'], 'create');
      // Default start: the next whole minute, so a rule without BYHOUR rings at a round time.
      const startsAt =
        command.startsAt === undefined
          ? new Date(Math.ceil(now.getTime() / MINUTE_MS) * MINUTE_MS).toISOString()
          : wholeSeconds(checkedInstant(command.startsAt, 'startsAt'));
      const definition: SeriesDefinition = {
        phoneNumber: normalisePhoneNumber(command.phoneNumber),
        timezone: checkedZone(command.timezone),
        rrule: normaliseRrule(command.rrule),
        startsAt,
        until: command.until === undefined ? null : checkedInstant(command.until, 'until'),
        count: command.count === undefined ? null : checkedCount(command.count),
        callingWindow: command.callingWindow === undefined ? null : checkedWindow(command.callingWindow),
      };
      requireAnOccurrence(definition, later(startsAt, at));
      return [event('SeriesCreated', definition)];
    }
    case 'EditSeries': {
      requireSeriesStatus(state, ['active', 'paused'], 'edit');
      const changes: Partial<SeriesDefinition> = {};
      if (command.phoneNumber !== undefined) changes.phoneNumber = normalisePhoneNumber(command.phoneNumber);
      if (command.timezone !== undefined) changes.timezone = checkedZone(command.timezone);
      if (command.rrule !== undefined) changes.rrule = normaliseRrule(command.rrule);
      if (command.startsAt !== undefined) changes.startsAt = wholeSeconds(checkedInstant(command.startsAt, 'startsAt'));
      if (command.until !== undefined) changes.until = command.until === null ? null : checkedInstant(command.until, 'until');
      if (command.count !== undefined) changes.count = command.count === null ? null : checkedCount(command.count, state.occurrences.length);
      if (command.callingWindow !== undefined) changes.callingWindow = command.callingWindow === null ? null : checkedWindow(command.callingWindow);
      const changed = (Object.keys(changes) as (keyof SeriesDefinition)[]).filter((k) => changes[k] !== state[k]);
      if (changed.length === 0) return [];
      const edited = { ...state, ...changes };
      if (changes.rrule !== undefined || changes.timezone !== undefined || changes.startsAt !== undefined || changes.until !== undefined) {
        requireAnOccurrence(edited, later(edited.startsAt, at));
      }
      return [event('SeriesEdited', { changes: Object.fromEntries(changed.map((k) => [k, changes[k]])), from: at })];
    }
    case 'PauseSeries':
      requireSeriesStatus(state, ['active'], 'pause');
      return [event('SeriesPaused', { reason: command.reason?.trim() || 'paused by operator' })];
    case 'ResumeSeries':
      requireSeriesStatus(state, ['paused'], 'resume');
      return [event('SeriesResumed', { from: at })];
    case 'EndSeries':
      requireSeriesStatus(state, ['active', 'paused'], 'end');
      return [event('SeriesEnded', { reason: command.reason?.trim() || 'ended by operator' })];
    case 'RecordOccurrence':
    case 'SkipOccurrence': {
      requireSeriesStatus(state, ['active'], 'materialise an occurrence of');
      // Decided against the state as it is now: after an edit or a pause meanwhile, `at` is stale.
      const next = nextOccurrence(state);
      if (next === null || Date.parse(next) !== Date.parse(command.at)) return [];
      return command.type === 'RecordOccurrence'
        ? [event('SeriesOccurrenceScheduled', { at: next, callId: command.callId })]
        : [event('SeriesOccurrenceSkipped', { at: next, reason: command.reason })];
    }
  }
}

function requireSeriesStatus(state: SeriesState, allowed: readonly (SeriesStatus | 'new')[], verb: string): void {
  if (!allowed.includes(state.status)) {
    if (state.status === 'new') throw new SeriesNotFoundError(state.id);
    throw new DomainError(DomainErrorCode.IllegalTransition, `cannot ${verb} a series that is ${state.status}`);
  }
}

function checkedZone(zone: string): string {
  if (typeof zone !== 'string' || !isValidTimezone(zone)) {
    throw new DomainError(DomainErrorCode.InvalidTimezone, `timezone ${zone} is not an IANA time zone name`, 'timezone');
  }
  return zone;
}

/** The calls' own window rules; "any" (no window, overriding CALLING_WINDOW) is kept as "any". */
function checkedWindow(window: string): string {
  return parseCallingWindow(window)?.text ?? 'any';
}

function checkedInstant(value: string, field: string): string {
  return parseInstant(value, field).toISOString();
}

// The rule's anchor in whole seconds: its sub-second part would be carried into every occurrence.
function wholeSeconds(iso: string): string {
  return new Date(Math.floor(Date.parse(iso) / 1000) * 1000).toISOString();
}

function checkedCount(count: number, done = 0): number {
  if (!Number.isInteger(count) || count < 1 || count > MAX_SERIES_COUNT) {
    throw new DomainError(DomainErrorCode.InvalidRecurrence, `count must be an integer from 1 to ${MAX_SERIES_COUNT}`, 'count');
  }
  if (count < done) throw new DomainError(DomainErrorCode.InvalidRecurrence, `count must be at least ${done}, the occurrences already made`, 'count');
  return count;
}

/** A series that would never ring is refused, naming what makes it empty. */
function requireAnOccurrence(definition: SeriesDefinition, from: string): void {
  if (definition.until !== null && Date.parse(definition.until) < Date.parse(from)) {
    throw new DomainError(DomainErrorCode.InvalidRecurrence, 'until must be after startsAt and after now', 'until');
  }
  if (occurrencesFrom(definition, from, 1, definition.until).length === 0) {
    throw new DomainError(
      DomainErrorCode.InvalidRecurrence,
      'rrule has no occurrence between startsAt (or now) and until',
      definition.until === null ? 'rrule' : 'until',
    );
  }
}

const later = (a: string, b: string) => (Date.parse(a) >= Date.parse(b) ? a : b);
