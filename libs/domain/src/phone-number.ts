import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { DomainError, DomainErrorCode } from './domain-error.js';

// Numbers already checked, raw text to E.164: the API's validation and the decider both check the
// number of every request, and the same numbers come back (a business calls its customers again).
// Valid ones only, so junk cannot grow it; bounded, oldest forgotten first.
const checked = new Map<string, string>();
const CHECKED_MAX = 10_000;

/**
 * Validates a phone number in international form ("+44 20 7946 0958", "+1-415-555-0100") and
 * returns it in E.164 ("+442079460958"). Throws a DomainError naming `phoneNumber` otherwise.
 */
export function normalisePhoneNumber(raw: string): string {
  const known = checked.get(raw);
  if (known !== undefined) return known;
  const e164 = parseE164(raw);
  const oldest = checked.size >= CHECKED_MAX ? checked.keys().next() : null;
  if (oldest && !oldest.done) checked.delete(oldest.value);
  checked.set(raw, e164);
  return e164;
}

function parseE164(raw: string): string {
  const trimmed = typeof raw === 'string' ? raw.trim() : '';
  if (!trimmed.startsWith('+')) {
    throw new DomainError(
      DomainErrorCode.InvalidPhoneNumber,
      'phoneNumber must be in international format starting with + and the country code, e.g. +14155550100',
      'phoneNumber',
    );
  }
  // libphonenumber finds a number inside any text ("+1 415 555 0100 please", "… ext. 5") and drops
  // the rest: accept only digits and the usual separators, so nothing the caller wrote is ignored.
  if (!/^\+[\d\s().-]+$/.test(trimmed)) {
    throw new DomainError(
      DomainErrorCode.InvalidPhoneNumber,
      'phoneNumber may contain only digits, spaces, dashes, dots and parentheses after the +',
      'phoneNumber',
    );
  }
  const parsed = parsePhoneNumberFromString(trimmed);
  if (!parsed?.isValid()) {
    throw new DomainError(DomainErrorCode.InvalidPhoneNumber, `phoneNumber ${trimmed} is not a valid phone number`, 'phoneNumber');
  }
  return parsed.number;
}
