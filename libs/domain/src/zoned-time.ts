import { Temporal } from 'temporal-polyfill';
import { DomainError, DomainErrorCode } from './domain-error.js';
import { parseInstant } from './instant.js';

const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?$/;
const NUMERIC_OFFSET = /([+-])(\d{2}):?(\d{2})$/;

/**
 * Reads a time given for a callee: either an instant (ISO-8601 with an offset, as parseInstant
 * takes) or a local date-time without an offset ("2026-12-01T09:30"), read on the wall clock of
 * `zone`. A numeric offset must be the zone's own offset at that instant: "09:30+02:00" for
 * Europe/Paris in December contradicts it (400 naming both fields); "Z" names the instant in UTC
 * and contradicts no zone.
 *
 * Local times the zone's clock skips or repeats (DST) follow Temporal's 'compatible' rule: a time
 * in a spring-forward gap moves forward by the gap (02:30 → 03:30), a time in a fall-back overlap
 * takes the earlier of its two instants (the first 01:30).
 */
export function parseZonedDateTime(value: string, zone: string | null, field = 'scheduledAt', zoneField = 'timezone'): Date {
  if (typeof value === 'string' && LOCAL_DATE_TIME.test(value)) {
    if (zone === null) {
      throw new DomainError(
        DomainErrorCode.InvalidScheduledAt,
        `${field} ${value} has no offset: give ${zoneField} (an IANA zone it is local to) or an offset, e.g. ${value}+01:00`,
        field,
        [zoneField],
      );
    }
    // The calendar checks (2026-02-30, T24:00) and the year range, as for an instant.
    parseInstant(`${value}Z`, field);
    const zoned = Temporal.PlainDateTime.from(value).toZonedDateTime(zone, { disambiguation: 'compatible' });
    return new Date(zoned.epochMilliseconds);
  }
  const instant = parseInstant(value, field);
  const offset = NUMERIC_OFFSET.exec(value);
  if (zone !== null && offset) {
    const [, sign, hours, minutes] = offset;
    const given = (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
    const local = Temporal.Instant.fromEpochMilliseconds(instant.getTime()).toZonedDateTimeISO(zone);
    const actual = local.offsetNanoseconds / 60e9;
    if (given !== actual) {
      throw new DomainError(
        DomainErrorCode.InvalidScheduledAt,
        `${field} has the offset ${sign}${hours}:${minutes}, but ${zoneField} ${zone} is at ${local.offset} then: ` +
          `give the local time without an offset, or the zone's offset`,
        field,
        [zoneField],
      );
    }
  }
  return instant;
}

/**
 * Checks only the form parseZonedDateTime takes (an instant with an offset, or a local date-time),
 * calendar included, throwing a DomainError naming `field`: for request validation before the
 * zone is known.
 */
export function checkZonedDateTimeForm(value: string, field = 'scheduledAt'): void {
  if (typeof value === 'string' && LOCAL_DATE_TIME.test(value)) parseInstant(`${value}Z`, field);
  else parseInstant(value, field);
}

/** `instant` on the wall clock of `zone`: "2026-12-01T09:30:00+01:00[Europe/Paris]" without the zone, to the minute. */
export function localDateTime(instant: Date, zone: string): string {
  return Temporal.Instant.fromEpochMilliseconds(instant.getTime()).toZonedDateTimeISO(zone).toPlainDateTime().toString({ smallestUnit: 'minute' });
}

/** "08:00 Tue" in `zone`: how a waiting call names the opening it waits for. */
export function formatLocalOpening(instant: Date, zone: string): string {
  const local = Temporal.Instant.fromEpochMilliseconds(instant.getTime()).toZonedDateTimeISO(zone);
  const day = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][local.dayOfWeek - 1];
  return `${String(local.hour).padStart(2, '0')}:${String(local.minute).padStart(2, '0')} ${day} ${local.toPlainDate().toString()}`;
}
