import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { DestroyRef, Injectable, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { firstValueFrom } from 'rxjs';
import { LiveService } from '../live/live.service';

export const HEALTH_URL = '/health';
export const HEALTH_POLL_MS = 2000;

/** One dependency that is down: since when (when known), and for the Call API how many calls wait for it. */
export interface Outage {
  since: string | null;
  waiting: number | null;
}

/** Events committed but not yet placed in the log by the sealer (PostgreSQL), and the oldest one's age. */
export interface SealLag {
  unsealed: number;
  oldestUnsealedMs: number | null;
}

/** The instances sharing the database (several on PostgreSQL): live, and gone (no heartbeat for a few seconds). */
export interface InstanceSummary {
  live: number;
  gone: number;
}

/** What GET /health says is down, and the log's seal lag. Null when /health itself gave no usable answer. */
export interface HealthReport {
  callApi: Outage | null;
  database: Outage | null;
  sealLag: SealLag | null;
  // Absent from schedulers without an instance registry.
  instances?: InstanceSummary;
}

interface Indicator {
  status?: unknown;
  list?: unknown;
  since?: unknown;
  waiting?: unknown;
  unsealed?: unknown;
  oldestUnsealedMs?: unknown;
}

function sealLagOf(indicator: Indicator | undefined): SealLag | null {
  if (typeof indicator?.unsealed !== 'number') return null;
  return { unsealed: indicator.unsealed, oldestUnsealedMs: typeof indicator.oldestUnsealedMs === 'number' ? indicator.oldestUnsealedMs : null };
}

function instancesOf(indicator: Indicator | undefined): InstanceSummary | undefined {
  if (!Array.isArray(indicator?.list)) return undefined;
  const states = (indicator.list as { state?: unknown }[]).map((i) => i.state);
  return { live: states.filter((s) => s === 'live').length, gone: states.filter((s) => s === 'gone').length };
}

function outageOf(indicator: Indicator | undefined): Outage | null {
  if (indicator?.status !== 'down') return null;
  return {
    since: typeof indicator.since === 'string' ? indicator.since : null,
    waiting: typeof indicator.waiting === 'number' ? indicator.waiting : null,
  };
}

/**
 * Reads the Terminus-style body of /health (200 ok/degraded, 503 when the database is down).
 * Anything else (a proxy's HTML page, no body) is null: the banner claims nothing it was not told.
 */
export function readHealth(body: unknown): HealthReport | null {
  if (!body || typeof body !== 'object') return null;
  const { status, details, info, error } = body as Record<string, unknown>;
  if (typeof status !== 'string') return null;
  const indicators = (details && typeof details === 'object' ? details : { ...(info as object), ...(error as object) }) as Record<
    string,
    Indicator | undefined
  >;
  const instances = instancesOf(indicators['instances']);
  return {
    callApi: outageOf(indicators['callApi']),
    database: outageOf(indicators['database']),
    sealLag: sealLagOf(indicators['log']),
    ...(instances ? { instances } : {}),
  };
}

/**
 * Polls /health (outside /api, open without a token) every 2 s and right after the live feed
 * comes back, so every page can say which dependency is down and since when.
 */
@Injectable({ providedIn: 'root' })
export class HealthService {
  private readonly http = inject(HttpClient);
  private readonly reportSignal = signal<HealthReport | null>(null);
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  private inFlight: Promise<void> | null = null;

  readonly report = this.reportSignal.asReadonly();

  constructor() {
    inject(LiveService)
      .reconnected.pipe(takeUntilDestroyed())
      .subscribe(() => void this.check());
    inject(DestroyRef).onDestroy(() => this.stop());
  }

  /** Checks now, then every HEALTH_POLL_MS after each answer (never two requests at once). */
  start(): void {
    if (this.running) return;
    this.running = true;
    void this.check();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** One request to /health; a check already on its way is shared rather than doubled. */
  check(): Promise<void> {
    this.inFlight ??= this.fetch().finally(() => {
      this.inFlight = null;
      this.scheduleNext();
    });
    return this.inFlight;
  }

  private async fetch(): Promise<void> {
    try {
      this.reportSignal.set(readHealth(await firstValueFrom(this.http.get<unknown>(HEALTH_URL))));
    } catch (err) {
      // 503 carries the same body (the database is down); no answer at all says nothing.
      this.reportSignal.set(err instanceof HttpErrorResponse && err.status !== 0 ? readHealth(err.error) : null);
    }
  }

  private scheduleNext(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = this.running ? setTimeout(() => void this.check(), HEALTH_POLL_MS) : null;
  }
}
