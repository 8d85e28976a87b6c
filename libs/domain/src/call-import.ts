import type { ScheduleCall } from './commands.js';
import { DomainError, DomainErrorCode } from './domain-error.js';

/**
 * Bulk import: one CSV record → one ScheduleCall command and its client reference. The rules of a
 * call stay the decider's (the caller runs `decide` on the command: phone number, time, a local
 * time in the callee's zone, calling window); here only what is particular to a spreadsheet:
 * header names, empty cells, the reference, "2027-03-10 09:00" with a space.
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
// "2027-03-10 09:00": spreadsheets write a space where ISO-8601 has a T.
const SPACED_DATE_TIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})/;

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

/** One data record as a ScheduleCall command and its reference; throws a DomainError naming the field. */
export function importRow(record: readonly string[], columns: ImportColumns, width: number): ImportRow {
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
  const time = cell('scheduledAt');
  if (time === undefined) throw new DomainError(DomainErrorCode.InvalidScheduledAt, 'scheduledAt is required', 'scheduledAt');
  const scheduledAt = time.replace(SPACED_DATE_TIME, '$1T$2');
  const command: ScheduleCall = { type: 'ScheduleCall', phoneNumber, scheduledAt, timezone: cell('timezone') };
  const callingWindow = cell('callingWindow');
  return { reference, command: callingWindow === undefined ? command : { ...command, callingWindow } };
}

function invalidImport(message: string, field: string): DomainError {
  return new DomainError(DomainErrorCode.InvalidImport, message, field);
}
