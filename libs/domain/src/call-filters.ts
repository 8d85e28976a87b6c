import { parseIncompletePhoneNumber } from 'libphonenumber-js';
import { CALL_STATUSES, IN_PROGRESS_STATUSES, TERMINAL_STATUSES, type CallStatus } from './call-status.js';
import { DomainError, DomainErrorCode } from './domain-error.js';

/** Names for several statuses at once in `?status=`: what people mean by "in progress" and so on. */
export const STATUS_GROUPS = {
  // Being dialled or on the line: from the claim to the end of the call.
  'in-progress': ['dispatching', ...IN_PROGRESS_STATUSES],
  // Nothing more will happen to these.
  ended: TERMINAL_STATUSES,
  // Ended without a conversation, or not known to have had one.
  unsuccessful: ['busy', 'no-answer', 'failed', 'missed', 'untracked', 'outcome-unknown'],
} as const satisfies Record<string, readonly CallStatus[]>;

export type StatusGroup = keyof typeof STATUS_GROUPS;

const filterError = (field: string, message: string) => new DomainError(DomainErrorCode.InvalidFilter, `${field} ${message}`, field);

/**
 * `?status=completed,failed` or `?status=in-progress`: a comma-separated list of statuses and
 * STATUS_GROUPS names, expanded to the statuses (deduplicated, in CALL_STATUSES order). `allowed`
 * narrows what this listing can hold (history has no pending calls); anything else throws a
 * DomainError naming `field`.
 */
export function parseStatusFilter(text: string, allowed: readonly CallStatus[] = CALL_STATUSES, field = 'status'): CallStatus[] {
  const words = typeof text === 'string' ? text.split(',').map((w) => w.trim().toLowerCase()) : [];
  if (words.length === 0 || words.some((w) => w === '')) throw filterError(field, 'must list statuses separated by commas, e.g. completed,failed');
  const chosen = new Set<CallStatus>();
  for (const word of words) {
    const group = Object.hasOwn(STATUS_GROUPS, word) ? STATUS_GROUPS[word as StatusGroup] : null;
    const statuses: readonly CallStatus[] = group ?? (CALL_STATUSES.includes(word as CallStatus) ? [word as CallStatus] : []);
    const usable = statuses.filter((s) => allowed.includes(s));
    if (usable.length === 0) {
      const names = [...allowed, ...Object.keys(STATUS_GROUPS)].join(', ');
      throw filterError(field, `has "${word}", which is not one of ${names}`);
    }
    for (const status of usable) chosen.add(status);
  }
  return CALL_STATUSES.filter((s) => chosen.has(s));
}

const PHONE_SEARCH_CHARS = /^\+?[\d\s().-]+$/;
const MIN_SEARCH_DIGITS = 3;

/**
 * `?phone=`: a whole or partial number, international ("+44 20 7946") or national ("020 7946
 * 0958", "(415) 555-01"). Returns the digit strings that a stored E.164 number must contain for
 * a match: the digits typed, and for a national number with a leading trunk 0 also the digits
 * without it (E.164 drops it: 020 7946 0958 is +44 20 7946 0958). Throws naming `field` for
 * anything that is not a number or has fewer than 3 digits.
 */
export function phoneSearchDigits(text: string, field = 'phone'): string[] {
  const trimmed = typeof text === 'string' ? text.trim() : '';
  if (!PHONE_SEARCH_CHARS.test(trimmed)) throw filterError(field, 'may contain only digits, spaces, dashes, dots, parentheses and a leading +');
  // libphonenumber's own reading of typed input: separators dropped, a leading + kept.
  const normalised = parseIncompletePhoneNumber(trimmed);
  const digits = normalised.replace(/^\+/, '');
  if (digits.length < MIN_SEARCH_DIGITS) throw filterError(field, `needs at least ${MIN_SEARCH_DIGITS} digits`);
  const international = normalised.startsWith('+');
  const withoutTrunk = digits.replace(/^0+/, '');
  return !international && withoutTrunk !== digits && withoutTrunk.length >= MIN_SEARCH_DIGITS ? [digits, withoutTrunk] : [digits];
}
