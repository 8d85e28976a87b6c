import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { USER_TIME_ZONE, formatClock } from '../shared/time';
import { HealthService, type Outage } from './health.service';

/** "Call API unreachable since 21:14:05 — 37 calls waiting" (times in the operator's zone). */
export function describeOutage(what: string, outage: Outage, timeZone: string, now: Date = new Date()): string {
  const since = outage.since ? ` since ${formatClock(outage.since, timeZone, now)}` : '';
  const waiting = outage.waiting === null ? '' : ` — ${outage.waiting === 0 ? 'no' : outage.waiting} call${outage.waiting === 1 ? '' : 's'} waiting`;
  return `${what} unreachable${since}${waiting}`;
}

/**
 * Which dependency of the scheduler is down, on every page, as long as it is down. The live
 * region is always in the page so that a line appearing in it is announced.
 */
@Component({
  selector: 'app-health-banner',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="health" role="status" aria-live="polite" data-testid="health-banner">
      @for (line of lines(); track line.kind) {
        <p class="health__line" [attr.data-outage]="line.kind"><span class="health__icon" aria-hidden="true">⚠</span> {{ line.text }}</p>
      }
    </div>
  `,
})
export class HealthBanner {
  private readonly health = inject(HealthService);
  private readonly zone = inject(USER_TIME_ZONE);

  protected readonly lines = computed(() => {
    const report = this.health.report();
    if (!report) return [];
    return [
      ...(report.database ? [{ kind: 'database', text: describeOutage('Database', report.database, this.zone) }] : []),
      ...(report.callApi ? [{ kind: 'callApi', text: describeOutage('Call API', report.callApi, this.zone) }] : []),
    ];
  });
}
