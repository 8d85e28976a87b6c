import { DomainError, DomainErrorCode } from './domain-error.js';
import type { SeriesCommand } from './series-commands.js';
import { decideSeries } from './series-decide.js';
import { evolveSeries, initialSeriesState, nextOccurrence, upcomingOccurrences, type SeriesState } from './series-state.js';
import { toSeriesView } from './series-view.js';

const NY = { type: 'CreateSeries' as const, phoneNumber: '+14155550100', timezone: 'America/New_York', rrule: 'FREQ=DAILY;BYHOUR=9;BYMINUTE=0' };

function apply(state: SeriesState, command: SeriesCommand, now: string): SeriesState {
  return decideSeries(command, state, new Date(now)).reduce(evolveSeries, state);
}

function created(command: SeriesCommand = NY, now = '2027-03-10T12:00:00Z'): SeriesState {
  return apply(initialSeriesState('s1'), command, now);
}

describe('decideSeries', () => {
  it("the issue's case: created on 2027-03-10, 09:00 New York lists 14:00Z until 03-13 and 13:00Z from 03-14", () => {
    // Created at 07:00 New York on 2027-03-10 with no startsAt: it starts at the next whole minute.
    const state = created(NY, '2027-03-10T12:00:00Z');
    expect(state.startsAt).toBe('2027-03-10T12:00:00.000Z');
    expect(upcomingOccurrences(state, 6)).toEqual([
      '2027-03-10T14:00:00.000Z',
      '2027-03-11T14:00:00.000Z',
      '2027-03-12T14:00:00.000Z',
      '2027-03-13T14:00:00.000Z',
      '2027-03-14T13:00:00.000Z',
      '2027-03-15T13:00:00.000Z',
    ]);
  });

  it('starts at the next whole minute by default, and a rule with no time of day rings at startsAt’s', () => {
    const state = created({ ...NY, rrule: 'FREQ=DAILY' }, '2027-03-10T12:00:30.250Z');
    expect(upcomingOccurrences(state, 2)).toEqual(['2027-03-10T12:01:00.000Z', '2027-03-11T12:01:00.000Z']);
  });

  it.each([
    [{ ...NY, rrule: 'FREQ=DAILY;BYHOUR=25' }, 'rrule'],
    [{ ...NY, timezone: 'Nowhere/Land' }, 'timezone'],
    [{ ...NY, count: 0 }, 'count'],
    [{ ...NY, count: 1.5 }, 'count'],
    [{ ...NY, startsAt: 'tomorrow' }, 'startsAt'],
    [{ ...NY, until: '2027-03-01T00:00:00Z' }, 'until'],
    [{ ...NY, phoneNumber: '123' }, undefined],
    [{ ...NY, callingWindow: 'Mon-Fri 25:00-26:00' }, 'callingWindow'],
  ])('refuses %j naming the field', (command, field) => {
    let error: unknown;
    try {
      created(command);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    if (field) expect((error as DomainError).field).toBe(field);
  });

  it('count runs across edits: occurrences already made count', () => {
    let state = created({ ...NY, count: 3 });
    for (const at of upcomingOccurrences(state, 2)) state = apply(state, { type: 'RecordOccurrence', at, callId: at }, '2027-03-10T12:00:00Z');
    expect(upcomingOccurrences(state, 5)).toEqual(['2027-03-12T14:00:00.000Z']);
    state = apply(state, { type: 'EditSeries', rrule: 'FREQ=DAILY;BYHOUR=10' }, '2027-03-10T12:05:00Z');
    // The last one made was 03-11 09:00 New York: 10:00 that day is after it, so it is the next.
    expect(upcomingOccurrences(state, 5)).toEqual(['2027-03-11T15:00:00.000Z']);
    expect(() => apply(state, { type: 'EditSeries', count: 1 }, '2027-03-10T12:06:00Z')).toThrow('count must be at least 2');
  });

  it('an edit applies from the next occurrence not yet materialised, never bringing back one already made', () => {
    let state = created();
    const first = nextOccurrence(state) ?? '';
    state = apply(state, { type: 'RecordOccurrence', at: first, callId: 'c1' }, '2027-03-10T13:30:00Z');
    // Moving the time earlier the same day: 08:00 New York on 03-10 is before the call already made.
    state = apply(state, { type: 'EditSeries', rrule: 'FREQ=DAILY;BYHOUR=8' }, '2027-03-10T13:31:00Z');
    expect(upcomingOccurrences(state, 2)).toEqual(['2027-03-11T13:00:00.000Z', '2027-03-12T13:00:00.000Z']);
  });

  it('a paused series materialises nothing; resumed, it does not make up for the pause', () => {
    let state = apply(created(), { type: 'PauseSeries' }, '2027-03-10T12:10:00Z');
    expect(toSeriesView(state)).toMatchObject({ status: 'paused', nextAt: null });
    expect(() => apply(state, { type: 'RecordOccurrence', at: '2027-03-10T14:00:00.000Z', callId: 'c' }, '2027-03-10T13:00:00Z')).toThrow(
      expect.objectContaining({ code: DomainErrorCode.IllegalTransition }) as Error,
    );
    state = apply(state, { type: 'ResumeSeries' }, '2027-03-12T20:00:00Z');
    expect(toSeriesView(state).nextAt).toBe('2027-03-13T14:00:00.000Z');
  });

  it('records an occurrence only if it is still the next one (stale after an edit: no event)', () => {
    const state = created();
    expect(decideSeries({ type: 'RecordOccurrence', at: '2027-03-11T14:00:00Z', callId: 'c' }, state, new Date('2027-03-10T13:00:00Z'))).toEqual([]);
    expect(decideSeries({ type: 'RecordOccurrence', at: '2027-03-10T14:00:00Z', callId: 'c' }, state, new Date('2027-03-10T13:00:00Z'))).toHaveLength(1);
  });

  it('an ended series has no next occurrence and refuses pause, resume and edit', () => {
    const state = apply(created(), { type: 'EndSeries', reason: 'done' }, '2027-03-10T12:10:00Z');
    expect(upcomingOccurrences(state, 3)).toEqual([]);
    for (const command of [{ type: 'PauseSeries' }, { type: 'ResumeSeries' }, { type: 'EditSeries', count: 3 }] as SeriesCommand[]) {
      expect(() => apply(state, command, '2027-03-10T12:11:00Z')).toThrow('that is ended');
    }
  });

  it('an unknown series is not found', () => {
    expect(() => decideSeries({ type: 'PauseSeries' }, initialSeriesState('x'), new Date())).toThrow(
      expect.objectContaining({ code: DomainErrorCode.SeriesNotFound }) as Error,
    );
  });
});
