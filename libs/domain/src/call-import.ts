import { Temporal } from 'temporal-polyfill';
import type { ScheduleCall } from './commands.js';
import { DomainError, DomainErrorCode } from './domain-error.js';
import { isValidTimezone } from './instant.js';

/**
 * Bulk import: one CSV record → one ScheduleCall command and its client reference. The rules of a
 * call stay the decider's (the caller runs `decide` on the command); here only what is particular
 * to a spreadsheet: header names, empty cells, and a local time in the callee's zone.
 */

export const IMPORT_COLUMNS = ['phoneNumber', 'scheduledAt', 'timezone', 'callingWindow', 'reference'] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];
const REQUIRED_COLUMNS: readonly ImportColumn[] = ['phoneNumber', 'scheduledAt', 'reference'];

// Header names are compared lower-case with spaces, dashes and underscores removed, so
// "Phone number", "phone_number" and "PHONENUMBER" are one column; a few common shorter names too.
const HEADER_NAMES: Record<string, ImportColumn> = {
  phonenumber: 'phoneNumber',
  phone: 'phoneNumber',
  scheduledat: 'scheduledAt',
  time: 'scheduledAt',
  timezone: 'timezone',
  zone: 'timezone',
  callingwindow: 'callingWindow',
  window: 'callingWindow',
  reference: 'reference',
  clientreference: 'reference',
};

/** Where each known column sits in a record. */
export type ImportColumns = Partial<Record<ImportColumn, number>>;

export interface ImportRow {
  reference: string;
  command: ScheduleCall;
}

// The same alphabet and length as an Idempotency-Key header: the reference is used as one.
const REFERENCE = /^[\x21-\x7e]{1,255}$/;
// A wall-clock time without an offset: read in the row's time zone.
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?$/i;

/** Maps the header record to columns; throws a DomainError (400) naming the column at fault. */
export function importColumns(header: readonly string[]): ImportColumns {
  const columns: ImportColumns = {};
  header.forEach((name, index) => {
    const column = HEADER_NAMES[name.toLowerCase().replace(/[\s_-]/g, '')] as ImportColumn | undefined;
    if (!column) {
      throw invalidImport(`unknown column "${name}": the columns are ${IMPORT_COLUMNS.join(', ')} (case-insensitive)`, name || `column ${index + 1}`);
    }
    if (columns[column] !== undefined) throw invalidImport(`column ${column} appears twice in the header`, column);
    columns[column] = index;
  });
  const missing = REQUIRED_COLUMNS.filter((c) => columns[c] === undefined);
  if (missing.length > 0) throw invalidImport(`the header lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, missing[0]);
  return columns;
}

/**
 * One data record as a ScheduleCall command and its reference; throws a DomainError naming the
 * field. `callingWindow` is set only when the column has a value (the command carries it once
 * calling windows exist).
 */
export function importRow(record: readonly string[], columns: ImportColumns, width: number): ImportRow & { callingWindow?: string } {
  if (record.length !== width) throw invalidImport(`the row has ${record.length} fields, the header ${width}`, 'row');
  const cell = (column: ImportColumn): string | undefined => {
    const index = columns[column];
    const value = index === undefined ? '' : record[index].trim();
    return value === '' ? undefined : value;
  };
  const reference = cell('reference');
  if (reference === undefined) throw invalidImport('reference is required (it makes a repeated import harmless)', 'reference');
  if (!REFERENCE.test(reference)) throw invalidImport('reference must be 1 to 255 visible ASCII characters', 'reference');
  const phoneNumber = cell('phoneNumber');
  if (phoneNumber === undefined) throw new DomainError(DomainErrorCode.InvalidPhoneNumber, 'phoneNumber is required', 'phoneNumber');
  const timezone = cell('timezone');
  const time = cell('scheduledAt');
  if (time === undefined) throw new DomainError(DomainErrorCode.InvalidScheduledAt, 'scheduledAt is required', 'scheduledAt');
  const scheduledAt = LOCAL_DATE_TIME.test(time) ? localToInstant(time, timezone) : time;
  const callingWindow = cell('callingWindow');
  return { reference, command: { type: 'ScheduleCall', phoneNumber, scheduledAt, timezone }, ...(callingWindow ? { callingWindow } : {}) };
}

/**
 * "2027-03-10 09:00" in `timezone` as ISO-8601 with that zone's offset then. A time the clocks
 * skip (spring forward) is refused; a time they pass twice (fall back) is the earlier one.
 */
export function localToInstant(local: string, timezone: string | undefined): string {
  if (timezone === undefined) {
    throw new DomainError(
      DomainErrorCode.InvalidScheduledAt,
      `scheduledAt ${local} has no offset: give the row a timezone, or an offset such as Z or +01:00`,
      'scheduledAt',
    );
  }
  if (!isValidTimezone(timezone)) throw new DomainError(DomainErrorCode.InvalidTimezone, `timezone ${timezone} is not an IANA time zone name`, 'timezone');
  let wall: Temporal.PlainDateTime;
  try {
    wall = Temporal.PlainDateTime.from(local.replace(' ', 'T'), { overflow: 'reject' });
  } catch {
    throw new DomainError(DomainErrorCode.InvalidScheduledAt, `scheduledAt ${local} is not a real date-time`, 'scheduledAt');
  }
  const zoned = wall.toZonedDateTime(timezone, { disambiguation: 'earlier' });
  if (!zoned.toPlainDateTime().equals(wall)) {
    throw new DomainError(DomainErrorCode.InvalidScheduledAt, `scheduledAt ${local} does not exist in ${timezone}: the clocks skip it`, 'scheduledAt');
  }
  return zoned.toString({ timeZoneName: 'never', smallestUnit: 'second' });
}

function invalidImport(message: string, field: string): DomainError {
  return new DomainError(DomainErrorCode.InvalidImport, message, field);
}
