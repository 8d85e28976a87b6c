import { formatLocalOpening, localDateTime, parseZonedDateTime } from './zoned-time.js';

describe('parseZonedDateTime', () => {
  it('reads an instant with the zone’s own offset, or Z, or any offset without a zone', () => {
    expect(parseZonedDateTime('2026-07-01T09:00:00+02:00', 'Europe/Paris').toISOString()).toBe('2026-07-01T07:00:00.000Z');
    expect(parseZonedDateTime('2026-07-01T07:00:00Z', 'Europe/Paris').toISOString()).toBe('2026-07-01T07:00:00.000Z');
    expect(parseZonedDateTime('2026-07-01T09:00:00+05:00', null).toISOString()).toBe('2026-07-01T04:00:00.000Z');
  });

  it('reads a local time on the zone’s clock, with seconds or without', () => {
    expect(parseZonedDateTime('2026-07-01T09:00', 'Asia/Kolkata').toISOString()).toBe('2026-07-01T03:30:00.000Z');
    expect(parseZonedDateTime('2026-01-15T09:00:30', 'America/New_York').toISOString()).toBe('2026-01-15T14:00:30.000Z');
  });

  it('refuses a date that is not on the calendar, naming the field', () => {
    expect(() => parseZonedDateTime('2026-02-30T09:00', 'Europe/Paris', 'at')).toThrow(expect.objectContaining({ field: 'at' }) as Error);
  });

  it('names the offset the zone has when the given one contradicts it', () => {
    expect(() => parseZonedDateTime('2026-07-01T09:00:00+01:00', 'Europe/Paris')).toThrow('timezone Europe/Paris is at +02:00');
  });
});

describe('local formats', () => {
  it('shows an instant on the callee’s wall clock', () => {
    expect(localDateTime(new Date('2026-12-01T07:00:00Z'), 'Europe/Paris')).toBe('2026-12-01T08:00');
    expect(formatLocalOpening(new Date('2026-12-01T07:00:00Z'), 'Europe/Paris')).toBe('08:00 Tue 2026-12-01');
  });
});
