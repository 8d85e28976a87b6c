import { Temporal } from 'temporal-polyfill';
import { DomainError, DomainErrorCode } from './domain-error.js';

/**
 * When a callee may be rung, in their own wall-clock time: for each ISO weekday (1 = Monday … 7 =
 * Sunday) the minute ranges [start, end) of the local day that are open. Built only by
 * parseCallingWindow, so every window opens at least once a week.
 */
export interface CallingWindow {
  /** The text it was parsed from, spaces collapsed: what events and the API carry. */
  readonly text: string;
  /** days[1..7]: sorted, non-overlapping [startMinute, endMinute) ranges; days[0] is unused. */
  readonly days: readonly (readonly (readonly [number, number])[])[];
}

/** Words that mean "no window": the call may ring at any time (overrides CALLING_WINDOW). */
export const ANY_TIME_WINDOWS = ['any', 'always', 'any time', 'anytime'] as const;

const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const DAY = String.raw`(mon|tue|wed|thu|fri|sat|sun)[a-z]*`;
const DAYS_PART = new RegExp(String.raw`^${DAY}(?:\s*-\s*${DAY})?$`, 'i');
const RANGE_PART = new RegExp(String.raw`^(?:(.*?)\s+)?(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$`, 'i');
const MAX_WINDOW_TEXT = 200;
const MINUTES_PER_DAY = 24 * 60;

const windowError = (field: string, detail: string) =>
  new DomainError(
    DomainErrorCode.InvalidCallingWindow,
    `${field} ${detail}; expected e.g. "Mon-Sat 08:00-21:00", "09:00-17:00" (every day) or "Mon-Fri 09:00-12:00, Sat 10:00-13:00"`,
    field,
  );

/**
 * Parses a calling window: comma- (or semicolon-) separated ranges `[days] HH:MM-HH:MM`, where days
 * is a day or a span of days (`Mon`, `Mon-Fri`, `Fri-Mon` wraps) and several day specs may precede
 * one range (`Mon, Wed 09:00-12:00`). No days = every day. `24:00` may end a range; a range whose
 * end is before its start runs past midnight into the next day (`Fri 22:00-02:00`).
 * Returns null for "any time" (ANY_TIME_WINDOWS). Throws a DomainError naming `field` otherwise.
 */
export function parseCallingWindow(text: string, field = 'callingWindow'): CallingWindow | null {
  if (typeof text !== 'string' || text.trim() === '') throw windowError(field, 'is empty');
  if (text.length > MAX_WINDOW_TEXT) throw windowError(field, `is longer than ${MAX_WINDOW_TEXT} characters`);
  const normalised = text.trim().replace(/\s+/g, ' ');
  if ((ANY_TIME_WINDOWS as readonly string[]).includes(normalised.toLowerCase())) return null;
  const days: [number, number][][] = Array.from({ length: 8 }, () => []);
  let pendingDays: number[] = [];
  for (const piece of normalised.split(/\s*[,;]\s*/)) {
    const range = RANGE_PART.exec(piece);
    if (!range) {
      // A day spec alone ("Mon" in "Mon, Wed 09:00-12:00") applies to the next range.
      pendingDays = pendingDays.concat(parseDays(piece, field));
      continue;
    }
    const [, daySpec, h1, m1, h2, m2] = range;
    const start = minuteOfDay(h1, m1, false, field);
    const end = minuteOfDay(h2, m2, true, field);
    if (start === end) throw windowError(field, `range ${piece} is empty`);
    const on = pendingDays.concat(daySpec ? parseDays(daySpec, field) : [1, 2, 3, 4, 5, 6, 7]);
    pendingDays = [];
    for (const day of on) {
      if (start < end) days[day].push([start, end]);
      else {
        // Past midnight: the rest of this day, then the start of the next.
        days[day].push([start, MINUTES_PER_DAY]);
        if (end > 0) days[(day % 7) + 1].push([0, end]);
      }
    }
  }
  if (pendingDays.length > 0) throw windowError(field, 'names days without a time range after them');
  return { text: normalised, days: days.map(mergeRanges) };
}

function parseDays(spec: string, field: string): number[] {
  const match = DAYS_PART.exec(spec.trim());
  if (!match) throw windowError(field, `has "${spec}", which is neither days (Mon, Mon-Fri) nor a time range (08:00-21:00)`);
  const first = DAY_NAMES.indexOf(match[1].toLowerCase()) + 1;
  const last = match[2] ? DAY_NAMES.indexOf(match[2].toLowerCase()) + 1 : first;
  const out: number[] = [];
  for (let day = first; ; day = (day % 7) + 1) {
    out.push(day);
    if (day === last) return out;
  }
}

function minuteOfDay(hours: string, minutes: string, isEnd: boolean, field: string): number {
  const h = Number(hours);
  const m = Number(minutes);
  if (m > 59 || h > 24 || (h === 24 && (m !== 0 || !isEnd))) throw windowError(field, `has a time ${hours}:${minutes} that is not on a clock`);
  return h * 60 + m;
}

function mergeRanges(ranges: [number, number][]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = merged.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** True when `instant` falls inside `window` on the wall clock of `zone` (an IANA name). */
export function isInsideWindow(window: CallingWindow, zone: string, instant: Date): boolean {
  return insideAt(window, Temporal.Instant.fromEpochMilliseconds(instant.getTime()).toZonedDateTimeISO(zone));
}

function insideAt(window: CallingWindow, local: Temporal.ZonedDateTime): boolean {
  const minute = local.hour * 60 + local.minute + (local.second + local.millisecond / 1000) / 60;
  return window.days[local.dayOfWeek].some(([start, end]) => minute >= start && minute < end);
}

// Two weeks of days is enough to meet every weekday twice, even where a transition skips a whole
// day (Pacific/Apia skipped 2011-12-30); further on is searched in the same steps.
const SCAN_DAYS = 15;
const MAX_SCANS = 60;

/**
 * The first instant at or after `instant` that is inside `window` in `zone`: `instant` itself when
 * it is inside. Correct across DST: the wall clock is what counts, so an opening that falls in a
 * spring-forward gap opens when the clock jumps past it, and in a fall-back overlap the first
 * occurrence of the local time opens it. Every left edge of the open time is either a range start
 * resolved to an instant (both occurrences where the local time repeats) or a zone transition;
 * the earliest such candidate that is inside the window is the answer.
 */
export function nextOpening(window: CallingWindow, zone: string, instant: Date): Date {
  const from = Temporal.Instant.fromEpochMilliseconds(instant.getTime()).toZonedDateTimeISO(zone);
  if (insideAt(window, from)) return new Date(instant.getTime());
  let day = from.toPlainDate().subtract({ days: 1 });
  for (let scan = 0; scan < MAX_SCANS; scan += 1) {
    const end = day.add({ days: SCAN_DAYS });
    const found = earliestIn(window, from, day, end);
    if (found) return new Date(found.epochMilliseconds);
    day = end;
  }
  // parseCallingWindow builds only windows that open every week: this is unreachable.
  throw new Error(`calling window ${window.text} never opens in ${zone}`);
}

function earliestIn(
  window: CallingWindow,
  from: Temporal.ZonedDateTime,
  firstDay: Temporal.PlainDate,
  endDay: Temporal.PlainDate,
): Temporal.ZonedDateTime | null {
  const zone = from.timeZoneId;
  const candidates: Temporal.ZonedDateTime[] = [];
  for (let day = firstDay; Temporal.PlainDate.compare(day, endDay) < 0; day = day.add({ days: 1 })) {
    for (const [start] of window.days[day.dayOfWeek]) {
      const local = day.toPlainDateTime({ hour: Math.floor(start / 60), minute: start % 60 });
      candidates.push(local.toZonedDateTime(zone, { disambiguation: 'earlier' }), local.toZonedDateTime(zone, { disambiguation: 'later' }));
    }
  }
  const last = endDay.toPlainDateTime().toZonedDateTime(zone, { disambiguation: 'later' });
  // Zone transitions: where the clock jumps into an open range (a gap, or a step back).
  for (let t = from.getTimeZoneTransition('next'); t && Temporal.ZonedDateTime.compare(t, last) < 0; t = t.getTimeZoneTransition('next')) candidates.push(t);
  let best: Temporal.ZonedDateTime | null = null;
  for (const candidate of candidates) {
    if (Temporal.ZonedDateTime.compare(candidate, from) < 0 || (best && Temporal.ZonedDateTime.compare(candidate, best) >= 0)) continue;
    if (insideAt(window, candidate)) best = candidate;
  }
  return best;
}

/**
 * The effective window of a call: its own (`null` = any time), otherwise the configured default.
 * Returns the text to record, or null for any time.
 */
export function resolveCallingWindow(requested: string | undefined, fallback: string | null): string | null {
  const text = requested ?? fallback;
  return text === null ? null : (parseCallingWindow(text)?.text ?? null);
}

/** The zone a call's window is evaluated in: its callee's, or UTC when none was given. */
export function windowZone(timezone: string | null): string {
  return timezone ?? 'UTC';
}

/**
 * True when a call's calling window (its `callingWindow` text, read in its `timezone`) is closed at
 * `at`: a claim then defers it (CallDeferredToWindow) rather than dialling, so the dispatcher spends
 * no dial slot on it. Calls without a window are never closed.
 */
export function callingWindowClosed(call: { callingWindow: string | null; timezone: string | null }, at: Date): boolean {
  const window = callingWindowOf(call);
  return window !== null && !isInsideWindow(window, windowZone(call.timezone), at);
}

const parsed = new Map<string, CallingWindow | null>();
const MAX_CACHED_WINDOWS = 1_000;

/**
 * A call's recorded window, parsed (null = any time). Recorded texts were valid when written, and
 * few distinct ones exist: the parse is remembered (the dispatcher asks for every due call).
 */
export function callingWindowOf(call: { callingWindow: string | null }): CallingWindow | null {
  if (call.callingWindow === null) return null;
  let window = parsed.get(call.callingWindow);
  if (window === undefined) {
    window = parseCallingWindow(call.callingWindow);
    if (parsed.size >= MAX_CACHED_WINDOWS) parsed.clear();
    parsed.set(call.callingWindow, window);
  }
  return window;
}
