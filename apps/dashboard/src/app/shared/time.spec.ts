import { describeZone, formatCountdown, formatInstant, formatMs, formatOffset, instantToWallTime, wallTimeToIso, zoneOffsetMinutes } from './time';

describe('time in the user zone', () => {
  it('turns a Paris wall time in winter into an instant with +01:00', () => {
    expect(wallTimeToIso('2026-01-15', '09:30', 'Europe/Paris')).toBe('2026-01-15T09:30:00+01:00');
  });

  it('uses the summer offset after the DST change', () => {
    expect(wallTimeToIso('2026-07-01', '09:30:15', 'Europe/Paris')).toBe('2026-07-01T09:30:15+02:00');
  });

  it('handles zones west of UTC and half-hour offsets', () => {
    expect(wallTimeToIso('2026-01-15', '23:00', 'America/New_York')).toBe('2026-01-15T23:00:00-05:00');
    expect(wallTimeToIso('2026-01-15', '08:00', 'Asia/Kolkata')).toBe('2026-01-15T08:00:00+05:30');
  });

  it('produces an instant that names the wall time it came from', () => {
    const iso = wallTimeToIso('2026-03-29', '03:30:00', 'Europe/Paris')!;
    expect(new Date(iso).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(instantToWallTime(new Date(iso), 'Europe/Paris')).toEqual({ date: '2026-03-29', time: '03:30:00' });
  });

  it('refuses inputs that are not a date and a time', () => {
    expect(wallTimeToIso('', '09:00', 'UTC')).toBeNull();
    expect(wallTimeToIso('2026-01-15', '9am', 'UTC')).toBeNull();
  });

  it('reads offsets and describes the zone', () => {
    expect(zoneOffsetMinutes(new Date('2026-01-15T00:00:00Z'), 'UTC')).toBe(0);
    expect(formatOffset(-210)).toBe('-03:30');
    expect(describeZone('Europe/Paris', new Date('2026-07-01T00:00:00Z'))).toBe('Europe/Paris (UTC+02:00)');
  });

  it('formats instants in the zone it is given, not the machine zone', () => {
    const text = formatInstant('2026-01-15T08:00:00Z', 'Asia/Tokyo', 'en-GB');
    expect(text).toContain('17:00:00');
    expect(formatInstant(null, 'UTC')).toBe('—');
  });

  it('counts down in words', () => {
    expect(formatCountdown(3_400)).toBe('in 3s');
    expect(formatCountdown(65_000)).toBe('in 1m 05s');
    expect(formatCountdown(2 * 3600_000 + 3 * 60_000)).toBe('in 2h 03m');
    expect(formatCountdown(200)).toBe('due now');
    expect(formatCountdown(-12_000)).toBe('12s overdue');
  });

  it('formats milliseconds for people', () => {
    expect(formatMs(850)).toBe('850 ms');
    expect(formatMs(2400)).toBe('2.4 s');
    expect(formatMs(null)).toBe('—');
  });
});
