import { Temporal } from 'temporal-polyfill';

/**
 * A zone whose wall clock reads between 02:00 and 05:59 `seconds` from now, and that local time
 * without offset: a time outside any day-time calling window, hours before its 08:00 opening.
 * Four whole hours are wide enough that some real zone (not `Etc/…`) is in them at any instant;
 * one hour is not (at xx:58 UTC no zone reads 03:00–03:57, which once failed CI).
 */
export function zoneInTheNight(seconds: number): { zone: string; local: string } {
  const at = Temporal.Now.instant().add({ seconds });
  const zone = Intl.supportedValuesOf('timeZone').find((z) => {
    const { hour } = at.toZonedDateTimeISO(z);
    return hour >= 2 && hour <= 5 && z.includes('/') && !z.startsWith('Etc/');
  });
  if (!zone) throw new Error(`no zone reads 02:00-05:59 at ${at.toString()}`);
  return { zone, local: at.toZonedDateTimeISO(zone).toPlainDateTime().toString({ smallestUnit: 'second' }) };
}
