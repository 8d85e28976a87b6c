import { DomainError, DomainErrorCode } from './domain-error.js';

// An instant must say which instant it is: "2026-01-02T09:00" is ambiguous without an offset.
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** Parses ISO-8601 with an explicit offset into a Date; throws naming `field` otherwise. */
export function parseInstant(value: string, field = 'scheduledAt'): Date {
  if (typeof value !== 'string' || !ISO_WITH_OFFSET.test(value)) {
    throw new DomainError(
      DomainErrorCode.InvalidScheduledAt,
      `${field} must be an ISO-8601 date-time with an offset, e.g. 2026-01-02T09:00:00+01:00 or ...Z`,
      field,
    );
  }
  const date = new Date(value);
  // Date rolls an impossible day over (2026-02-30 → March 2nd): check the day against its month.
  const [year, month, day] = value.slice(0, 10).split('-').map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (Number.isNaN(date.getTime()) || day > daysInMonth) {
    throw new DomainError(DomainErrorCode.InvalidScheduledAt, `${field} is not a real date-time`, field);
  }
  return date;
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
