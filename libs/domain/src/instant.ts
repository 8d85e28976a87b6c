import { DomainError, DomainErrorCode } from './domain-error.js';

// An instant must say which instant it is: "2026-01-02T09:00" is ambiguous without an offset.
const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):?(\d{2}))$/i;

// Real UTC offsets run from -12:00 to +14:00.
const MAX_OFFSET_WEST_MINUTES = 12 * 60;
const MAX_OFFSET_EAST_MINUTES = 14 * 60;

// Every accepted instant lies between the years 2000 and 9999 (UTC). In that range
// Date#toISOString() always gives the fixed-width YYYY-MM-DDTHH:mm:ss.sssZ, never the expanded
// "+010000-01-01T…" form, so the stored ISO strings compare as text in time order. The database
// compares due times as text (`due_at <= :now`): "+010000-…" sorts before "2026-…", and a call for
// year 10000 was dialled at once.
export const EARLIEST_INSTANT_MS = Date.UTC(2000, 0, 1);
export const LATEST_INSTANT_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Parses ISO-8601 with an explicit offset into a Date; throws a DomainError with `code`, naming `field`, otherwise. */
export function parseInstant(value: string, field = 'scheduledAt', code = DomainErrorCode.InvalidScheduledAt): Date {
  const match = typeof value === 'string' ? ISO_WITH_OFFSET.exec(value) : null;
  if (!match) {
    throw new DomainError(code, `${field} must be an ISO-8601 date-time with an offset, e.g. 2026-01-02T09:00:00+01:00 or ...Z`, field);
  }
  const [, y, mo, d, h, mi, s = '0', fraction = '', sign, offsetH, offsetM] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number);
  // Checked field by field: Date would roll 2026-02-30 over to March 2nd and T24:00 to the next day.
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    throw new DomainError(code, `${field} is not a real date-time`, field);
  }
  let offsetMinutes = 0;
  if ((sign as string | undefined) !== undefined) {
    // an optional group is undefined when absent
    const minutes = Number(offsetH) * 60 + Number(offsetM);
    offsetMinutes = sign === '-' ? -minutes : minutes;
    if (Number(offsetM) > 59 || offsetMinutes < -MAX_OFFSET_WEST_MINUTES || offsetMinutes > MAX_OFFSET_EAST_MINUTES) {
      throw new DomainError(code, `${field} has an offset outside -12:00 to +14:00`, field);
    }
  }
  const local = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads the years 0–99 as 1900–1999.
  local.setUTCFullYear(year, month - 1, day);
  local.setUTCHours(hour, minute, second, Number(fraction.padEnd(3, '0').slice(0, 3)));
  const instant = local.getTime() - offsetMinutes * 60_000;
  if (instant < EARLIEST_INSTANT_MS || instant > LATEST_INSTANT_MS) {
    throw new DomainError(code, `${field} must be between the years 2000 and 9999 (UTC)`, field);
  }
  return new Date(instant);
}

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

/** True when `zone` is an IANA time zone name this runtime knows. */
export function isValidTimezone(zone: string): boolean {
  // Building a DateTimeFormat costs tens of µs; the set of zone names is small and fixed.
  const known = zoneCache.get(zone);
  if (known !== undefined) return known;
  let valid: boolean;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    valid = zone.length > 0;
  } catch {
    valid = false;
  }
  // Only valid names are remembered, so junk input cannot grow the cache.
  if (valid) zoneCache.set(zone, true);
  return valid;
}

const zoneCache = new Map<string, boolean>();
