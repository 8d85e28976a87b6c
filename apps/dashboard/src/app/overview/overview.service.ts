import { HttpClient } from '@angular/common/http';
import { Injectable, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { auditTime, firstValueFrom } from 'rxjs';
import { CALL_STATUSES, type CallStatus } from '@call-scheduler/domain/call-status';
import { LiveService } from '../live/live.service';
import { toApiProblem } from '../shared/api-error';

export const STATS_URL = '/api/calls/stats';

/** GET /api/calls/stats. */
export interface CallStats {
  counts: Partial<Record<CallStatus, number>>;
  recentLateness: { callId: string; dispatchedAt: string; latenessMs: number }[];
}

// Stats are aggregates the client cannot fold from single events, so a burst of changes
// triggers one refetch per this many milliseconds.
export const STATS_REFRESH_MS = 1000;

/** Lateness summary over the recent dispatches: median, 95th percentile and worst. */
export function summariseLateness(values: number[]): { count: number; p50: number; p95: number; max: number } | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { count: sorted.length, p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] };
}

@Injectable({ providedIn: 'root' })
export class OverviewService {
  private readonly http = inject(HttpClient);
  private readonly statsSignal = signal<CallStats | null>(null);
  private readonly errorSignal = signal<string | null>(null);

  readonly stats = this.statsSignal.asReadonly();
  readonly error = this.errorSignal.asReadonly();
  /** Every status with its count, in lifecycle order, zero where the API has none. */
  readonly counts = computed(() => {
    const counts = this.statsSignal()?.counts;
    return CALL_STATUSES.map((status) => ({ status, count: counts?.[status] ?? 0 }));
  });
  readonly total = computed(() => this.counts().reduce((sum, c) => sum + c.count, 0));
  readonly lateness = computed(() => this.statsSignal()?.recentLateness ?? []);
  readonly latenessSummary = computed(() => summariseLateness(this.lateness().map((l) => l.latenessMs)));

  constructor() {
    inject(LiveService)
      .changes.pipe(auditTime(STATS_REFRESH_MS), takeUntilDestroyed())
      .subscribe(() => {
        if (this.statsSignal()) void this.load();
      });
  }

  async load(): Promise<void> {
    try {
      this.statsSignal.set(await firstValueFrom(this.http.get<CallStats>(STATS_URL)));
      this.errorSignal.set(null);
    } catch (err) {
      this.errorSignal.set(toApiProblem(err).message);
    }
  }
}
