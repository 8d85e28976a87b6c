import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { isInsideWindow, nextOpening, parseCallingWindow, type CallingWindow } from './calling-window.js';
import { DomainError } from './domain-error.js';

const window = (text: string) => parseCallingWindow(text)!;
const at = (iso: string) => new Date(iso);

describe('parseCallingWindow', () => {
  it.each([
    ['09:00-17:00', 1, [[540, 1020]]],
    ['Mon-Sat 08:00-21:00', 6, [[480, 1260]]],
    ['Mon-Sat 08:00-21:00', 7, []],
    ['Mon-Fri 09:00-12:00, Sat 10:00-13:00', 6, [[600, 780]]],
    ['Mon, Wed 09:00-12:00', 3, [[540, 720]]],
    ['Mon, Wed 09:00-12:00', 2, []],
    ['Fri-Mon 10:00-11:00', 1, [[600, 660]]],
    ['Fri 22:00-02:00', 5, [[1320, 1440]]],
    ['Fri 22:00-02:00', 6, [[0, 120]]],
    ['Sunday 00:00-24:00', 7, [[0, 1440]]],
    ['09:00-12:00; 11:00-14:00', 4, [[540, 840]]],
  ])('%s on ISO weekday %d opens %j', (text, day, ranges) => {
    expect(window(text).days[day]).toEqual(ranges);
  });

  it('keeps the text, spaces collapsed, and reads "any" as no window', () => {
    expect(window('  Mon-Fri   09:00-17:00 ').text).toBe('Mon-Fri 09:00-17:00');
    expect(parseCallingWindow('any')).toBeNull();
    expect(parseCallingWindow('Always')).toBeNull();
  });

  it.each(['', '9-5', 'Mon-Fri', '25:00-26:00', '09:60-10:00', '10:00-10:00', 'Funday 09:00-10:00', '24:00-10:00', 'Mon 09:00-10:00, Tue'])(
    'refuses %j naming the field',
    (text) => {
      expect(() => parseCallingWindow(text, 'callingWindow')).toThrow(DomainError);
      try {
        parseCallingWindow(text, 'callingWindow');
      } catch (error) {
        expect((error as DomainError).field).toBe('callingWindow');
        expect((error as DomainError).message).toContain('callingWindow');
      }
    },
  );
});

describe('nextOpening: examples', () => {
  it('is the instant itself inside the window', () => {
    expect(nextOpening(window('09:00-17:00'), 'Europe/Paris', at('2026-12-01T10:00:00Z')).toISOString()).toBe('2026-12-01T10:00:00.000Z');
  });

  it('waits from 03:00 for 08:00 in the callee zone', () => {
    // 03:00 in Paris (UTC+1) is 02:00Z; it opens at 08:00 Paris = 07:00Z.
    expect(nextOpening(window('Mon-Sat 08:00-21:00'), 'Europe/Paris', at('2026-12-01T02:00:00Z')).toISOString()).toBe('2026-12-01T07:00:00.000Z');
  });

  it('skips the closed day: Saturday 22:00 waits for Monday 08:00', () => {
    // 2026-12-05 is a Saturday; Monday 2026-12-07 08:00 in New York (UTC-5) is 13:00Z.
    expect(nextOpening(window('Mon-Sat 08:00-21:00'), 'America/New_York', at('2026-12-06T03:00:00Z')).toISOString()).toBe('2026-12-07T13:00:00.000Z');
  });

  it('opens at the jump when the window starts inside a spring-forward gap', () => {
    // New York, 2026-03-08: 02:00 EST jumps to 03:00 EDT at 07:00Z. A window from 02:30 opens at 03:00 EDT.
    expect(nextOpening(window('02:30-04:00'), 'America/New_York', at('2026-03-08T06:00:00Z')).toISOString()).toBe('2026-03-08T07:00:00.000Z');
  });

  it('takes the first 01:30 on a fall-back day', () => {
    // New York, 2026-11-01: 01:30 EDT is 05:30Z (the later 01:30 EST is 06:30Z).
    expect(nextOpening(window('01:30-01:45'), 'America/New_York', at('2026-11-01T04:00:00Z')).toISOString()).toBe('2026-11-01T05:30:00.000Z');
  });

  it('re-opens when the clock steps back into the window', () => {
    // After 01:45 EDT (05:45Z) the window is closed until the clock falls back to 01:00 EST at 06:00Z, then 01:30 EST = 06:30Z.
    expect(nextOpening(window('01:30-01:45'), 'America/New_York', at('2026-11-01T05:50:00Z')).toISOString()).toBe('2026-11-01T06:30:00.000Z');
  });

  it('never opens on a day a zone skipped (Pacific/Apia had no 2011-12-30; it was at +14:00 then)', () => {
    expect(nextOpening(window('Fri 09:00-10:00'), 'Pacific/Apia', at('2011-12-29T00:00:00Z')).toISOString()).toBe('2012-01-05T19:00:00.000Z');
  });
});

// ---- properties over every zone this runtime knows, dates with DST transitions weighted in ----

const ZONES = Intl.supportedValuesOf('timeZone');
const DAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const QUARTER = 15 * 60_000;

const clock = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
// Quarter-hour range ends (every UTC offset since 2000 is a whole number of quarter hours, so the
// open/closed state only changes at quarter-hour instants: the oracle below relies on it).
const rangeArb = fc
  .record({
    first: fc.integer({ min: 0, max: 7 }), // 7 = every day
    span: fc.integer({ min: 0, max: 6 }),
    // Weighted to the small hours, where DST transitions happen.
    start: fc.oneof(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 0, max: 95 })).map((q) => q * 15),
    length: fc.integer({ min: 1, max: 95 }).map((q) => q * 15),
  })
  .map(({ first, span, start, length }) => {
    const end = (start + length) % 1440;
    const days = first === 7 ? '' : span === 0 ? `${DAY_NAMES[first]} ` : `${DAY_NAMES[first]}-${DAY_NAMES[(first + span) % 7]} `;
    return `${days}${clock(start)}-${end === 0 ? '24:00' : clock(end)}`;
  });
const windowArb = fc.array(rangeArb, { minLength: 1, maxLength: 3 }).map((ranges) => ranges.join(', '));

const zoneArb = fc.constantFrom(...ZONES);
const YEAR_2000 = Date.UTC(2000, 0, 1);
const YEAR_2040 = Date.UTC(2040, 0, 1);
/** A zone and an instant: anywhere in 2000–2040, or within hours of one of that zone's transitions. */
const caseArb = fc
  .record({
    zone: zoneArb,
    base: fc.integer({ min: YEAR_2000, max: YEAR_2040 }),
    nearTransition: fc.boolean(),
    shift: fc.integer({ min: -6 * 60, max: 6 * 60 }),
  })
  .map(({ zone, base, nearTransition, shift }) => {
    if (!nearTransition) return { zone, instant: new Date(base) };
    const transition = Temporal.Instant.fromEpochMilliseconds(base).toZonedDateTimeISO(zone).getTimeZoneTransition('next');
    return { zone, instant: new Date((transition?.epochMilliseconds ?? base) + shift * 60_000) };
  });

// The oracle reads the wall clock with Intl (not Temporal), so the two implementations check each other.
const formatters = new Map<string, Intl.DateTimeFormat>();
function wallClock(zone: string, instant: number): { day: number; minute: number } {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formatters.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
  const day = DAY_NAMES.indexOf(parts.weekday) + 1;
  return { day, minute: Number(parts.hour) * 60 + Number(parts.minute) + (Number(parts.second) + (instant % 1000) / 1000) / 60 };
}
function oracleInside(w: CallingWindow, zone: string, instant: number): boolean {
  const { day, minute } = wallClock(zone, instant);
  return w.days[day].some(([start, end]) => minute >= start && minute < end);
}

describe('nextOpening: properties over every IANA zone', () => {
  it(`is inside the window, never before the input, and skips no earlier opening (${ZONES.length} zones)`, () => {
    fc.assert(
      fc.property(windowArb, caseArb, (text, { zone, instant }) => {
        const w = window(text);
        const opening = nextOpening(w, zone, instant);
        expect(opening.getTime()).toBeGreaterThanOrEqual(instant.getTime());
        expect(oracleInside(w, zone, opening.getTime())).toBe(true);
        expect(isInsideWindow(w, zone, opening)).toBe(true);
        // No earlier opening: the instant itself, then every quarter hour before the opening, is closed.
        if (opening.getTime() > instant.getTime()) {
          expect(oracleInside(w, zone, instant.getTime())).toBe(false);
          for (let t = Math.ceil(instant.getTime() / QUARTER) * QUARTER; t < opening.getTime(); t += QUARTER) {
            if (oracleInside(w, zone, t)) throw new Error(`${text} in ${zone}: open at ${new Date(t).toISOString()}, before ${opening.toISOString()}`);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('agrees with the Intl wall clock on whether an instant is inside', () => {
    fc.assert(
      fc.property(windowArb, caseArb, (text, { zone, instant }) => {
        const w = window(text);
        expect(isInsideWindow(w, zone, instant)).toBe(oracleInside(w, zone, instant.getTime()));
      }),
      { numRuns: 1_000 },
    );
  });

  it('opens correctly around every 2026 clock change of every zone (spring forward and fall back days)', () => {
    const windows = ['02:00-03:30', '01:00-02:30', '00:00-01:00, 03:00-04:00', '23:30-00:30'].map(window);
    let checked = 0;
    for (const zone of ZONES) {
      let transition = Temporal.Instant.from('2026-01-01T00:00:00Z').toZonedDateTimeISO(zone).getTimeZoneTransition('next');
      for (let n = 0; n < 2 && transition?.year === 2026; n += 1, transition = transition.getTimeZoneTransition('next')) {
        for (const w of windows) {
          // From six hours before the change, the first opening, and nothing open before it.
          const from = transition.epochMilliseconds - 6 * 3_600_000;
          const opening = nextOpening(w, zone, new Date(from)).getTime();
          expect(oracleInside(w, zone, opening)).toBe(true);
          for (let t = from; t < opening; t += QUARTER)
            if (oracleInside(w, zone, t)) throw new Error(`${w.text} in ${zone}: open at ${new Date(t).toISOString()}`);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('covers the zones with DST in the sample (sanity: transitions exist near the chosen instants)', () => {
    const transition = Temporal.Instant.from('2026-01-01T00:00:00Z').toZonedDateTimeISO('Europe/Paris').getTimeZoneTransition('next');
    expect(transition?.toInstant().toString()).toBe('2026-03-29T01:00:00Z');
  });
});
