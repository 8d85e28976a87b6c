import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { DomainError } from './domain-error.js';
import { normaliseRrule, occurrencesFrom } from './recurrence.js';

const ZONES = Intl.supportedValuesOf('timeZone');

describe('normaliseRrule', () => {
  it.each([
    ['FREQ=DAILY;BYHOUR=9;BYMINUTE=0', 'FREQ=DAILY;BYSECOND=0;BYMINUTE=0;BYHOUR=9'],
    ['rrule:freq=weekly;byday=MO;byhour=9', 'FREQ=WEEKLY;BYSECOND=0;BYMINUTE=0;BYHOUR=9;BYDAY=MO'],
    ['FREQ=MONTHLY;BYMONTHDAY=-1', 'FREQ=MONTHLY;BYMONTHDAY=-1'],
  ])('%s → %s', (input, expected) => {
    expect(normaliseRrule(input)).toBe(expected);
  });

  it.each([
    ['', 'is required'],
    ['BYHOUR=9', 'must include FREQ'],
    ['FREQ=FOO', 'FREQ=FOO is not allowed'],
    ['FREQ=MINUTELY', 'FREQ=MINUTELY is not allowed'],
    ['FREQ=DAILY;BYHOUR=99', 'BYHOUR=99 is out of range'],
    ['FREQ=DAILY;BYMINUTE=-5', 'BYMINUTE=-5 is out of range'],
    ['FREQ=DAILY;COUNT=3', 'COUNT'],
    ['FREQ=DAILY;UNTIL=20270101T000000Z', 'UNTIL'],
    ['FREQ=DAILY;DTSTART=20270101T000000Z', 'DTSTART'],
    ['FREQ=DAILY;FOO=1', 'unknown part FOO'],
    ['FREQ=DAILY;FREQ=WEEKLY', 'FREQ twice'],
    ['FREQ=WEEKLY;BYDAY=XX', 'Invalid BYDAY value: XX'],
    ['FREQ=DAILY;INTERVAL', 'is not NAME=VALUE'],
  ])('refuses %j naming rrule (%s)', (input, reason) => {
    const error = catchError(() => normaliseRrule(input));
    expect(error).toBeInstanceOf(DomainError);
    expect(error.field).toBe('rrule');
    expect(error.message).toContain(reason);
  });
});

describe('occurrencesFrom', () => {
  it("the issue's case: 09:00 in New York is 14:00Z until 2027-03-13 and 13:00Z from 2027-03-14 (DST starts)", () => {
    const rrule = normaliseRrule('FREQ=DAILY;BYHOUR=9;BYMINUTE=0');
    const at = occurrencesFrom({ rrule, timezone: 'America/New_York', startsAt: '2027-03-10T12:00:00.000Z' }, '2027-03-10T12:00:00.000Z', 7);
    expect(at).toEqual([
      '2027-03-10T14:00:00.000Z',
      '2027-03-11T14:00:00.000Z',
      '2027-03-12T14:00:00.000Z',
      '2027-03-13T14:00:00.000Z',
      '2027-03-14T13:00:00.000Z',
      '2027-03-15T13:00:00.000Z',
      '2027-03-16T13:00:00.000Z',
    ]);
  });

  it('every Monday at 09:00 in Paris across the October change stays 09:00 local', () => {
    const rrule = normaliseRrule('FREQ=WEEKLY;BYDAY=MO;BYHOUR=9');
    // Summer time ends on Sunday 2027-10-31.
    const at = occurrencesFrom({ rrule, timezone: 'Europe/Paris', startsAt: '2027-10-18T00:00:00Z' }, '2027-10-18T00:00:00Z', 3);
    expect(at).toEqual(['2027-10-18T07:00:00.000Z', '2027-10-25T07:00:00.000Z', '2027-11-01T08:00:00.000Z']);
  });

  it("Casablanca's Ramadan change (2029-01-14): midnight stays midnight local, where the library alone is an hour off", () => {
    const rrule = normaliseRrule('FREQ=DAILY;BYHOUR=0');
    const at = occurrencesFrom({ rrule, timezone: 'Africa/Casablanca', startsAt: '2029-01-12T00:00:00Z' }, '2029-01-12T00:00:00Z', 4);
    expect(at).toEqual(['2029-01-12T23:00:00.000Z', '2029-01-13T23:00:00.000Z', '2029-01-15T00:00:00.000Z', '2029-01-16T00:00:00.000Z']);
  });

  it('a wall time in a spring-forward gap rings once that day, shifted by the gap (RFC 5545 3.3.5), not skipped', () => {
    const rrule = normaliseRrule('FREQ=DAILY;BYHOUR=2;BYMINUTE=30');
    const at = occurrencesFrom({ rrule, timezone: 'America/New_York', startsAt: '2027-03-13T00:00:00Z' }, '2027-03-13T00:00:00Z', 3);
    // 02:30 EST, 03:30 EDT (02:30 does not exist on 03-14), 02:30 EDT.
    expect(at).toEqual(['2027-03-13T07:30:00.000Z', '2027-03-14T07:30:00.000Z', '2027-03-15T06:30:00.000Z']);
  });

  it('stops at until', () => {
    const rrule = normaliseRrule('FREQ=DAILY;BYHOUR=9');
    const at = occurrencesFrom({ rrule, timezone: 'UTC', startsAt: '2027-01-01T00:00:00Z' }, '2027-01-01T00:00:00Z', 10, '2027-01-03T09:00:00Z');
    expect(at).toEqual(['2027-01-01T09:00:00.000Z', '2027-01-02T09:00:00.000Z', '2027-01-03T09:00:00.000Z']);
  });

  // Over every zone this runtime knows and dates around the DST changes of both hemispheres.
  it('property: a daily BYHOUR/BYMINUTE series keeps its local time in its zone, one occurrence a day', () => {
    const start = Date.UTC(2026, 0, 1);
    const span = Date.UTC(2030, 0, 1) - start;
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: 0, max: span }),
        fc.integer({ min: 0, max: 23 }),
        fc.constantFrom(0, 15, 30, 45),
        (timezone, offset, hour, minute) => {
          const startsAt = new Date(start + offset).toISOString();
          const rrule = normaliseRrule(`FREQ=DAILY;BYHOUR=${hour};BYMINUTE=${minute}`);
          const at = occurrencesFrom({ rrule, timezone, startsAt }, startsAt, 20);
          expect(at).toHaveLength(20);
          let previousDate: Temporal.PlainDate | null = null;
          for (const iso of at) {
            const local = Temporal.Instant.from(iso).toZonedDateTimeISO(timezone);
            const wanted = local.toPlainDate().toPlainDateTime({ hour, minute });
            // The wall time exists that day: the occurrence is exactly it. In a spring-forward gap it
            // cannot be; then it is the instant the gap's wall time maps to (RFC 5545: shifted forward).
            const exists = wanted.toZonedDateTime(timezone, { disambiguation: 'compatible' }).toPlainDateTime().equals(wanted);
            if (exists) {
              expect(local.toPlainDateTime().equals(wanted)).toBe(true);
            } else {
              expect(local.epochMilliseconds).toBe(wanted.toZonedDateTime(timezone, { disambiguation: 'compatible' }).epochMilliseconds);
            }
            if (previousDate) expect(Temporal.PlainDate.compare(local.toPlainDate(), previousDate.add({ days: 1 }))).toBe(0);
            previousDate = local.toPlainDate();
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('property: a weekly series keeps its weekday and local time across a DST change, in zones with DST', () => {
    const dstZones = ZONES.filter((zone) => {
      const jan = Temporal.ZonedDateTime.from({ year: 2027, month: 1, day: 15, timeZone: zone }).offsetNanoseconds;
      const jul = Temporal.ZonedDateTime.from({ year: 2027, month: 7, day: 15, timeZone: zone }).offsetNanoseconds;
      return jan !== jul;
    });
    expect(dstZones.length).toBeGreaterThan(50);
    fc.assert(
      fc.property(
        fc.constantFrom(...dstZones),
        fc.constantFrom('MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'),
        fc.integer({ min: 4, max: 22 }),
        (timezone, day, hour) => {
          // 30 weeks from January cross the change of either hemisphere.
          const rrule = normaliseRrule(`FREQ=WEEKLY;BYDAY=${day};BYHOUR=${hour}`);
          const at = occurrencesFrom({ rrule, timezone, startsAt: '2027-01-01T00:00:00Z' }, '2027-01-01T00:00:00Z', 30);
          const weekday = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'].indexOf(day) + 1;
          const offsets = new Set<number>();
          for (const iso of at) {
            const local = Temporal.Instant.from(iso).toZonedDateTimeISO(timezone);
            offsets.add(local.offsetNanoseconds);
            expect(local.dayOfWeek).toBe(weekday);
            // Hours 4–22 are outside every DST gap (gaps lie between 00:00 and 03:00 local).
            expect([local.hour, local.minute]).toEqual([hour, 0]);
          }
          // The zone did change its offset in the range: the property was tested across a change.
          expect(offsets.size).toBeGreaterThan(1);
        },
      ),
      { numRuns: 200 },
    );
  });
});

function catchError(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected an error');
}
