import { InjectionToken } from '@angular/core';

/** The IANA zone the user's browser runs in ("Europe/Paris"); every time on screen is shown in it. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

// A token rather than a direct call, so tests can pin a zone.
export const USER_TIME_ZONE = new InjectionToken<string>('USER_TIME_ZONE', {
  providedIn: 'root',
  factory: browserTimeZone,
});

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = formatters.get(key);
  if (!f) {
    f = make();
    formatters.set(key, f);
  }
  return f;
}

/** "22 Nov 2026, 14:05:03" in `timeZone`; an em dash for no value. */
export function formatInstant(iso: string | null | undefined, timeZone: string, locale?: string): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return formatter(
    `${locale}|${timeZone}|dt`,
    () =>
      new Intl.DateTimeFormat(locale, {
        timeZone,
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
      }),
  ).format(date);
}

/**
 * "21:14:05" in `timeZone` (operators read an outage's start against the wall clock); with the
 * day in front ("30 Nov, 21:14:05") when that is not today there.
 */
export function formatClock(iso: string, timeZone: string, now: Date = new Date(), locale?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  const clock = formatter(
    `${locale}|${timeZone}|clock`,
    () => new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }),
  ).format(date);
  const day = (d: Date) => instantToWallTime(d, timeZone).date;
  if (day(date) === day(now)) return clock;
  const dayLabel = formatter(`${locale}|${timeZone}|day`, () => new Intl.DateTimeFormat(locale, { timeZone, day: 'numeric', month: 'short' }));
  return `${dayLabel.format(date)}, ${clock}`;
}

/** Offset of `timeZone` at `instant` in minutes east of UTC (Paris in winter: 60). */
export function zoneOffsetMinutes(instant: Date, timeZone: string): number {
  const name = formatter(`offset|${timeZone}`, () => new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }))
    .formatToParts(instant)
    .find((p) => p.type === 'timeZoneName')?.value;
  // "GMT" alone means UTC; otherwise "GMT+05:30" / "GMT-03:00".
  const match = /GMT([+-])(\d{1,2})(?::?(\d{2}))?/.exec(name ?? '');
  if (!match) return 0;
  const [, sign, hours, mins = '0'] = match; // an optional group is undefined when absent
  const minutes = Number(hours) * 60 + Number(mins);
  return sign === '-' ? -minutes : minutes;
}

/** "+01:00" for 60, "-03:30" for -210, "+00:00" for 0. */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** "Europe/Paris (UTC+01:00)" for the zone as it is at `at`. */
export function describeZone(timeZone: string, at: Date = new Date()): string {
  return `${timeZone} (UTC${formatOffset(zoneOffsetMinutes(at, timeZone))})`;
}

/**
 * Turns a wall-clock date ("2026-11-22") and time ("14:05" or "14:05:03") in `timeZone` into an
 * ISO-8601 instant with that zone's offset ("2026-11-22T14:05:03+01:00"), as the API requires.
 * Returns null when the inputs are not a date and a time.
 */
export function wallTimeToIso(date: string, time: string, timeZone: string): string | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(time);
  if (!d || !t) return null;
  const [y, mo, da] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const [, hh, mm, ss = '0'] = t; // seconds are optional
  const [h, mi, s] = [Number(hh), Number(mm), Number(ss)];
  const asUtc = Date.UTC(y, mo - 1, da, h, mi, s);
  // Two passes find the offset in force at that wall time, also next to a DST change.
  let offset = zoneOffsetMinutes(new Date(asUtc), timeZone);
  offset = zoneOffsetMinutes(new Date(asUtc - offset * 60_000), timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d[1]}-${d[2]}-${d[3]}T${pad(h)}:${pad(mi)}:${pad(s)}${formatOffset(offset)}`;
}

/** The wall-clock date ("2026-11-22") and time ("14:05:03") of `instant` in `timeZone`, for form inputs. */
export function instantToWallTime(instant: Date, timeZone: string): { date: string; time: string } {
  const parts = formatter(
    `wall|${timeZone}`,
    () =>
      new Intl.DateTimeFormat('en-CA', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
      }),
  ).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '00';
  return {
    date: `${get('year')}-${get('month')}-${get('day')}`,
    time: `${get('hour')}:${get('minute')}:${get('second')}`,
  };
}

/** A countdown: "in 4m 05s", "in 2h 03m", "in 3d 4h", "due now", "12s overdue". */
export function formatCountdown(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 1000) return 'due now';
  const s = Math.floor(abs / 1000);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  const text = d > 0 ? `${d}d ${h}h` : h > 0 ? `${h}h ${two(m)}m` : m > 0 ? `${m}m ${two(sec)}s` : `${sec}s`;
  return ms > 0 ? `in ${text}` : `${text} overdue`;
}

/** "850 ms" / "2.4 s" / "3 min" for a lateness or duration in milliseconds. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (Math.abs(ms) < 1000) return `${Math.round(ms)} ms`;
  if (Math.abs(ms) < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}
