import { DomainError, DomainErrorCode } from './domain-error.js';
import { EARLIEST_INSTANT_MS, LATEST_INSTANT_MS, isValidTimezone, parseInstant } from './instant.js';

function errorOf(value: string, field?: string): DomainError {
  try {
    parseInstant(value, field);
  } catch (error) {
    return error as DomainError;
  }
  throw new Error(`expected ${JSON.stringify(value)} to be refused`);
}

describe('parseInstant', () => {
  it.each([
    ['2026-03-01T09:00:00Z', '2026-03-01T09:00:00.000Z'],
    ['2026-03-01T09:00:00.250Z', '2026-03-01T09:00:00.250Z'],
    ['2026-03-01T10:00:00+01:00', '2026-03-01T09:00:00.000Z'],
    ['2026-03-01T04:00:00-05:00', '2026-03-01T09:00:00.000Z'],
    ['2026-03-01T10:00+01:00', '2026-03-01T09:00:00.000Z'],
    ['2026-03-01T14:30:00+0530', '2026-03-01T09:00:00.000Z'],
    ['2024-02-29T09:00:00Z', '2024-02-29T09:00:00.000Z'],
    ['2026-03-01T09:00:00.123456789Z', '2026-03-01T09:00:00.123Z'],
    ['2026-03-01t09:00:00z', '2026-03-01T09:00:00.000Z'],
    ['2026-03-01T23:00:00+14:00', '2026-03-01T09:00:00.000Z'],
    ['2026-02-28T21:00:00-12:00', '2026-03-01T09:00:00.000Z'],
    ['2026-03-01T09:00:00-00:00', '2026-03-01T09:00:00.000Z'],
    ['2026-03-01T23:59:59.999Z', '2026-03-01T23:59:59.999Z'],
    ['2000-01-01T00:00:00Z', '2000-01-01T00:00:00.000Z'],
    ['2000-01-01T05:00:00+05:00', '2000-01-01T00:00:00.000Z'],
    ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
    ['9999-12-31T23:59:59-00:00', '9999-12-31T23:59:59.000Z'],
    ['2000-02-29T09:00:00Z', '2000-02-29T09:00:00.000Z'],
  ])('reads %s as the instant %s', (value, iso) => {
    expect(parseInstant(value).toISOString()).toBe(iso);
  });

  it.each([
    ['without an offset', '2026-03-01T09:00:00'],
    ['a date only', '2026-03-01'],
    ['garbage', 'tomorrow at nine'],
    ['an empty string', ''],
    ['a space instead of T', '2026-03-01 09:00:00Z'],
    ['month 13', '2026-13-01T09:00:00Z'],
    ['February 30th', '2026-02-30T09:00:00Z'],
    ['February 29th in a common year', '2026-02-29T09:00:00Z'],
    ['April 31st', '2026-04-31T09:00:00Z'],
    ['hour 25', '2026-03-01T25:00:00Z'],
    ['an impossible offset', '2026-03-01T09:00:00+99:99'],
    ['hour 24', '2026-03-01T24:00:00Z'],
    ['hour 24 without seconds', '2026-03-01T24:00Z'],
    ['minute 60', '2026-03-01T09:60:00Z'],
    ['second 60', '2026-03-01T09:00:60Z'],
    ['day 0', '2026-03-00T09:00:00Z'],
    ['month 0', '2026-00-10T09:00:00Z'],
    ['February 29th in 1900-style century year', '2100-02-29T09:00:00Z'],
  ])('refuses %s (%j), naming scheduledAt', (_what, value) => {
    const error = errorOf(value);
    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe(DomainErrorCode.InvalidScheduledAt);
    expect(error.field).toBe('scheduledAt');
  });

  it.each([
    ['23:59 west', '2026-03-01T09:00:00-23:59'],
    ['23:59 west on the last day of 9999 (the fuzzing finding: stored as year 10000)', '9999-12-31T23:59:59-23:59'],
    ['12:01 west', '2026-03-01T09:00:00-12:01'],
    ['14:01 east', '2026-03-01T09:00:00+14:01'],
    ['15:00 east', '2026-03-01T09:00:00+1500'],
    ['minutes past 59', '2026-03-01T09:00:00+05:60'],
  ])('refuses an offset of %s (%j): real offsets run from -12:00 to +14:00', (_what, value) => {
    expect(errorOf(value)).toMatchObject({
      code: DomainErrorCode.InvalidScheduledAt,
      field: 'scheduledAt',
      message: 'scheduledAt has an offset outside -12:00 to +14:00',
    });
  });

  it.each([
    ['year 10000 by a legal offset', '9999-12-31T23:00:00-12:00'],
    ['1999 in UTC', '1999-12-31T23:59:59.999Z'],
    ['2000 locally but 1999 in UTC', '2000-01-01T00:30:00+01:00'],
    ['year 0', '0000-01-01T00:00:00Z'],
    ['year 50 (which Date.UTC would read as 1950)', '0050-01-01T00:00:00Z'],
  ])('refuses %s (%j): accepted instants lie between the years 2000 and 9999 (UTC)', (_what, value) => {
    expect(errorOf(value)).toMatchObject({
      code: DomainErrorCode.InvalidScheduledAt,
      field: 'scheduledAt',
      message: 'scheduledAt must be between the years 2000 and 9999 (UTC)',
    });
  });

  it('only returns instants whose ISO text sorts in time order (fixed width, Z)', () => {
    const isoOf = (value: string) => parseInstant(value).toISOString();
    const texts = ['2000-01-01T00:00:00Z', '2026-03-01T09:00:00+01:00', '2026-03-01T09:00:00Z', '9999-12-31T23:59:59.999Z'].map(isoOf);
    for (const text of texts) expect(text).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect([...texts].sort()).toEqual(texts);
    expect(EARLIEST_INSTANT_MS).toBe(Date.parse('2000-01-01T00:00:00.000Z'));
    expect(new Date(LATEST_INSTANT_MS).toISOString()).toBe('9999-12-31T23:59:59.999Z');
  });

  it('names the field it was given in the error', () => {
    const error = errorOf('2026-03-01T09:00:00', 'notBefore');
    expect(error.field).toBe('notBefore');
    expect(error.message).toContain('notBefore');
  });

  it('refuses a value that is not a string', () => {
    expect(errorOf(1_772_355_600_000 as unknown as string).field).toBe('scheduledAt');
  });
});

describe('isValidTimezone', () => {
  it.each(['Europe/London', 'America/New_York', 'Asia/Kolkata', 'UTC'])('accepts the IANA zone %s', (zone) => {
    expect(isValidTimezone(zone)).toBe(true);
  });

  it.each(['', 'Mars/Olympus_Mons', 'Europe/Londn', 'not a zone'])('refuses %j', (zone) => {
    expect(isValidTimezone(zone)).toBe(false);
  });
});
