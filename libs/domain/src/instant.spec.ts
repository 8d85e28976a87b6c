import { DomainError, DomainErrorCode } from './domain-error.js';
import { isValidTimezone, parseInstant } from './instant.js';

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
  ])('refuses %s (%j), naming scheduledAt', (_what, value) => {
    const error = errorOf(value);
    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe(DomainErrorCode.InvalidScheduledAt);
    expect(error.field).toBe('scheduledAt');
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
