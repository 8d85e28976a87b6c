import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { CallView } from '@call-scheduler/domain/call-view';

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string, withDate: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${withDate}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      ...(withDate ? { day: 'numeric', month: 'short' } : {}),
    });
    formatters.set(key, format);
  }
  return format;
}

/** "08:00 Tue" in `timeZone` ("08:00 Tue 1 Dec" with the date): how the callee's clock reads then. */
export function formatCalleeClock(iso: string, timeZone: string, withDate = false): string {
  const parts = formatterFor(timeZone, withDate).formatToParts(new Date(iso));
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('hour')}:${get('minute')} ${get('weekday')}${withDate ? ` ${get('day')} ${get('month')}` : ''}`;
}

/** "14:05 UTC" (with the date when asked): the instant as the log stores it. */
export function formatUtc(iso: string): string {
  return `${new Date(iso).toISOString().slice(11, 16)} UTC`;
}

/** "waits for 08:00 Tue, callee's time" while a call waits for its calling window; null otherwise. */
export function windowWait(call: Pick<CallView, 'status' | 'windowOpensAt' | 'timezone'>): string | null {
  if (call.status !== 'pending' || !call.windowOpensAt) return null;
  return call.timezone ? `waits for ${formatCalleeClock(call.windowOpensAt, call.timezone)}, callee's time` : `waits for ${formatUtc(call.windowOpensAt)}`;
}

/** The callee's local time of `at`, beside UTC: "08:00 Tue 1 Dec Europe/Paris · 07:00 UTC". Nothing for calls without a zone. */
@Component({
  selector: 'app-callee-time',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `@if (text(); as t) {
    <span class="callee-time muted small" data-testid="callee-time">{{ t }}</span>
  }`,
})
export class CalleeTime {
  readonly call = input.required<Pick<CallView, 'timezone'>>();
  readonly at = input<string | null>(null);

  protected readonly text = computed(() => {
    const zone = this.call().timezone;
    const at = this.at();
    return zone && at ? `callee ${formatCalleeClock(at, zone, true)} ${zone} · ${formatUtc(at)}` : null;
  });
}
