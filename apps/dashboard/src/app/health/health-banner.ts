import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { USER_TIME_ZONE, formatClock } from '../shared/time';
import { HealthService, type InstanceSummary, type Outage, type SealLag } from './health.service';

// Sealing normally follows a commit within milliseconds; a tail older than this means it is stuck.
export const SEAL_LAG_WARN_MS = 5000;

/** "Event log: 12 events not yet sealed, oldest 8 s" — only when the sealer has fallen behind. */
export function describeSealLag(lag: SealLag | null): string | null {
  if (!lag || lag.unsealed === 0 || (lag.oldestUnsealedMs ?? 0) < SEAL_LAG_WARN_MS) return null;
  const age = lag.oldestUnsealedMs === null ? '' : `, oldest ${Math.round(lag.oldestUnsealedMs / 1000)} s`;
  return `Event log: ${lag.unsealed} event${lag.unsealed === 1 ? '' : 's'} not yet sealed${age}`;
}

/** "Instances: 2 live, 1 gone" — only for a cluster (one instance alone says nothing worth a line). */
export function describeInstances(instances: InstanceSummary | undefined): string | null {
  if (!instances || instances.live + instances.gone < 2) return null;
  return `Instances: ${instances.live} live${instances.gone > 0 ? `, ${instances.gone} gone` : ''}`;
}

/** "Call API unreachable since 21:14:05 — 37 calls waiting" (times in the operator's zone). */
export function describeOutage(what: string, outage: Outage, timeZone: string, now: Date = new Date()): string {
  const since = outage.since ? ` since ${formatClock(outage.since, timeZone, now)}` : '';
  const waiting = outage.waiting === null ? '' : ` — ${outage.waiting === 0 ? 'no' : outage.waiting} call${outage.waiting === 1 ? '' : 's'} waiting`;
  return `${what} unreachable${since}${waiting}`;
}

/**
 * Which dependency of the scheduler is down (and whether the log's sealer has fallen behind), on
 * every page, as long as it lasts. The live
 * region is always in the page so that a line appearing in it is announced.
 */
@Component({
  selector: 'app-health-banner',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="health" role="status" aria-live="polite" data-testid="health-banner">
      @for (line of lines(); track line.kind) {
        <p class="health__line" [attr.data-outage]="line.kind">
          @if (line.kind !== 'instances') {
            <span class="health__icon" aria-hidden="true">⚠</span>
          }
          {{ line.text }}
        </p>
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
    const lag = describeSealLag(report.sealLag);
    const instances = describeInstances(report.instances);
    return [
      ...(report.database ? [{ kind: 'database', text: describeOutage('Database', report.database, this.zone) }] : []),
      ...(report.callApi ? [{ kind: 'callApi', text: describeOutage('Call API', report.callApi, this.zone) }] : []),
      ...(lag ? [{ kind: 'sealLag', text: lag }] : []),
      ...(instances ? [{ kind: 'instances', text: instances }] : []),
    ];
  });
}
