import { RRuleTemporal } from 'rrule-temporal';
import { Temporal } from 'temporal-polyfill';
import { DomainError, DomainErrorCode } from './domain-error.js';

// RFC 5545 recurrence through rrule-temporal (Temporal-based; rrule.js computes in UTC and drifts an
// hour across DST). The rule is expanded on wall-clock time and placed in the series' zone here, so
// 09:00 stays 09:00 local across DST in every IANA zone (see occurrencesFrom).

const RULE_PARTS = new Set([
  'FREQ',
  'INTERVAL',
  'BYSECOND',
  'BYMINUTE',
  'BYHOUR',
  'BYDAY',
  'BYMONTHDAY',
  'BYYEARDAY',
  'BYWEEKNO',
  'BYMONTH',
  'BYSETPOS',
  'WKST',
]);
// A call series is not a poller: a rule more frequent than hourly is a mistake.
const ALLOWED_FREQ = new Set(['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY', 'HOURLY']);
const RANGES: Readonly<Record<string, readonly [number, number, boolean]>> = {
  // [min, max, negative allowed]
  BYSECOND: [0, 59, false],
  BYMINUTE: [0, 59, false],
  BYHOUR: [0, 23, false],
  BYMONTHDAY: [1, 31, true],
  BYYEARDAY: [1, 366, true],
  BYWEEKNO: [1, 53, true],
  BYMONTH: [1, 12, false],
  BYSETPOS: [1, 366, true],
  INTERVAL: [1, 1000, false],
};
const MAX_RULE_LENGTH = 500;

function invalid(message: string): DomainError {
  return new DomainError(DomainErrorCode.InvalidRecurrence, `rrule ${message}`, 'rrule');
}

/**
 * Checks an RRULE and returns it normalised: upper case, no `RRULE:` prefix, parts in a fixed
 * order, BYMINUTE=0 when BYHOUR is given without it and BYSECOND=0 when BYMINUTE is (RFC 5545 would
 * take them from DTSTART: "BYHOUR=9" created at 10:24 would ring at 09:24). A rule that names no
 * time of day rings at startsAt's. COUNT, UNTIL and DTSTART
 * are fields of the series, not parts of its rule.
 */
export function normaliseRrule(input: string): string {
  if (typeof input !== 'string' || input.trim() === '') throw invalid('is required, e.g. FREQ=WEEKLY;BYDAY=MO;BYHOUR=9');
  if (input.length > MAX_RULE_LENGTH) throw invalid(`must be at most ${MAX_RULE_LENGTH} characters`);
  const text = input
    .trim()
    .replace(/^RRULE:/i, '')
    .toUpperCase();
  const parts = new Map<string, string>();
  for (const part of text.split(';').filter((p) => p !== '')) {
    const [name, ...values] = part.split('=');
    const value = values.length === 1 ? values[0] : '';
    if (value === '') throw invalid(`part "${part}" is not NAME=VALUE`);
    if (name === 'COUNT' || name === 'UNTIL') throw invalid(`must not contain ${name}: give it as the series' ${name.toLowerCase()} field`);
    if (name === 'DTSTART' || name === 'TZID') throw invalid(`must not contain ${name}: give startsAt and timezone instead`);
    if (!RULE_PARTS.has(name)) throw invalid(`has an unknown part ${name}`);
    if (parts.has(name)) throw invalid(`has ${name} twice`);
    checkRange(name, value);
    parts.set(name, value);
  }
  const freq = parts.get('FREQ');
  if (freq === undefined) throw invalid('must include FREQ, e.g. FREQ=DAILY');
  if (!ALLOWED_FREQ.has(freq)) throw invalid(`FREQ=${freq} is not allowed: use HOURLY, DAILY, WEEKLY, MONTHLY or YEARLY`);
  if (parts.has('BYHOUR') && !parts.has('BYMINUTE')) parts.set('BYMINUTE', '0');
  if (parts.has('BYMINUTE') && !parts.has('BYSECOND')) parts.set('BYSECOND', '0');
  const ordered = ['FREQ', ...[...RULE_PARTS].filter((p) => p !== 'FREQ')].filter((p) => parts.has(p));
  const rule = ordered.map((p) => `${p}=${parts.get(p) ?? ''}`).join(';');
  // The library's own parser has the last word (BYDAY codes, WKST, combinations).
  try {
    new RRuleTemporal({ rruleString: rule, dtstart: Temporal.ZonedDateTime.from('2030-01-01T00:00:00[UTC]'), strict: true });
  } catch (error) {
    throw invalid(`is not valid: ${(error as Error).message}`);
  }
  return rule;
}

function checkRange(name: string, value: string): void {
  const range = RANGES[name] as (typeof RANGES)[string] | undefined;
  if (!range) return;
  const [min, max, negative] = range;
  for (const item of value.split(',')) {
    const n = /^[+-]?\d{1,4}$/.test(item) ? Number(item) : NaN;
    const size = Math.abs(n);
    if (!Number.isInteger(n) || (n < 0 && !negative) || size < min || size > max) {
      throw invalid(`${name}=${item} is out of range (${negative ? '±' : ''}${min}–${max})`);
    }
  }
}

/** What an evaluation needs: the rule, its zone and anchor. */
export interface Recurrence {
  rrule: string;
  timezone: string;
  startsAt: string;
}

/**
 * Occurrences of the rule at or after `from`, in time order, at most `limit`, none after `until`
 * (UTC ISO-8601 strings). Pure: the same inputs give the same instants.
 *
 * The rule is expanded on wall-clock time (RFC 5545 defines it on local time): the library is given
 * the zone's wall times as if they were UTC, which has no DST, and each wall time it yields is then
 * placed in the zone by the installed Temporal: 'compatible', i.e. the earlier of two in a fall-back
 * overlap, and shifted forward by the gap's length in a spring-forward gap (RFC 5545 3.3.5). Both
 * matter: given the real zone, rrule-temporal 2.2.8 drops an occurrence whose time falls in a gap
 * (02:00 daily skipped 2028-03-12 in America/Kentucky/Monticello), and its bundled polyfill put
 * 2029-01-15T00:00 Africa/Casablanca at +01:00, an hour off (both found by recurrence.spec.ts).
 */
export function occurrencesFrom(recurrence: Recurrence, from: string, limit: number, until: string | null = null): string[] {
  const { timezone } = recurrence;
  const rule = buildRule(recurrence);
  const result: string[] = [];
  const end = until === null ? Infinity : Date.parse(until);
  const start = Math.max(Date.parse(from), Date.parse(recurrence.startsAt));
  let last = -Infinity;
  let cursor = new Date(floating(start, timezone));
  let inclusive = true;
  // Every step moves the cursor forward; the bound only stops a rule that yields nothing new.
  for (let steps = 0; result.length < limit && steps < limit * 4 + 100; steps++) {
    let next: { epochMilliseconds: number | bigint; toPlainDateTime(): { toString(): string } } | null;
    try {
      next = rule.next(cursor, inclusive);
    } catch (error) {
      // The library gives up on rules that never match (FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30).
      throw invalid(`has no occurrences the library can find: ${(error as Error).message}`);
    }
    if (next === null) break;
    cursor = new Date(Number(next.epochMilliseconds));
    inclusive = false;
    const at = Temporal.PlainDateTime.from(next.toPlainDateTime().toString()).toZonedDateTime(timezone, { disambiguation: 'compatible' }).epochMilliseconds;
    if (at > end) break;
    // A gap's wall times and the hour after it land on the same instants: each instant rings once.
    if (at < start || at <= last) continue;
    result.push(new Date(at).toISOString());
    last = at;
  }
  return result;
}

/** The instant's wall-clock time in `timezone`, read as UTC (epoch ms). */
function floating(ms: number, timezone: string): number {
  return Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timezone).toPlainDateTime().toZonedDateTime('UTC').epochMilliseconds;
}

function buildRule(recurrence: Recurrence): RRuleTemporal {
  // Whole seconds: the library carries DTSTART's milliseconds into every occurrence.
  const anchor = Math.floor(Date.parse(recurrence.startsAt) / 1000) * 1000;
  const dtstart = Temporal.Instant.fromEpochMilliseconds(floating(anchor, recurrence.timezone)).toZonedDateTimeISO('UTC');
  return new RRuleTemporal({ rruleString: recurrence.rrule, dtstart, strict: true });
}
