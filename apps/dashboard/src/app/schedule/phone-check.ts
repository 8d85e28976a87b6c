import { parsePhoneNumberFromString } from 'libphonenumber-js';

// `country`: ISO 3166 code of the number's country (none for non-geographic numbers).
export type PhoneCheck = { valid: true; e164: string; country?: string } | { valid: false; error: string };

/** The API's rule, checked as the user types: international form with a +, valid for its country. */
export function checkPhone(raw: string): PhoneCheck {
  const value = raw.trim();
  if (!value) return { valid: false, error: 'Enter a phone number.' };
  if (!value.startsWith('+')) {
    return { valid: false, error: 'Start with + and the country code, e.g. +14155550123.' };
  }
  const parsed = parsePhoneNumberFromString(value);
  if (!parsed?.isValid()) {
    return { valid: false, error: `${value} is not a valid phone number (E.164, e.g. +14155550123).` };
  }
  return { valid: true, e164: parsed.number, ...(parsed.country ? { country: parsed.country } : {}) };
}
