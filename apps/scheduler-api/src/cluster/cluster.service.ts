import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Subject } from 'rxjs';
import { ClusterRepository, Database, type InstanceRecord, type ListedInstance } from '#persistence';
import { Clock } from '../common/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

// Every second: heartbeat, lease renewal, take-over. A lease outlives a few missed beats (a busy
// machine, a GC pause) and an instance that stopped is taken over within LEASE_MS + HEARTBEAT_MS.
// Both are timed by the database's clock (cluster.repository.ts): instances' clocks may differ.
const HEARTBEAT_MS = 1000;
export const LEASE_MS = 5000;
// An instance without a heartbeat for this long is shown as gone (its leases run out soon after).
export const GONE_AFTER_MS = 3000;
const FORGET_AFTER_MS = 3_600_000;
const MAX_BACKOFF_MS = 5000;
const TAKEOVER_PAGE = 500;
const SHUTDOWN_POLL_MS = 50;
const VERSION = process.env.npm_package_version ?? '0.1.0';

export interface InstanceStatus extends Omit<InstanceRecord, 'heartbeatAt'> {
  heartbeatAt: string;
  live: boolean;
  self: boolean;
}

/** What this instance is doing, for its heartbeat. */
export interface InstanceLoad {
  inFlight: number;
  following: number;
}

/**
 * This instance among the others on one PostgreSQL: it registers itself with a heartbeat, renews
 * the leases of the live calls it follows (or is dialling), and takes over leases that ran out.
 * Which calls it takes over, and which it lost, it announces (`adopted$`, `lost$`); the dispatch
 * module decides what to do with them. On SQLite there is one instance: nothing is leased.
 */
@Injectable()
export class ClusterService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly enabled: boolean;
  readonly instanceId = randomUUID();
  /** Calls whose leases this instance owns but does not hold: taken over, or left by a failed step. */
  readonly adopted$ = new Subject<string[]>();
  /** Calls this instance held whose leases another instance took over: stop following them. */
  readonly lost$ = new Subject<string[]>();
  private readonly logger = new Logger('Cluster');
  private readonly startedAt: string;
  private readonly held = new Set<string>();
  private readonly releasing = new Set<string>();
  private known: ListedInstance[] = [];
  private knownAt = 0;
  private load: () => InstanceLoad = () => ({ inFlight: 0, following: 0 });
  private timer: NodeJS.Timeout | undefined;
  private delay = HEARTBEAT_MS;
  private failingSince: Date | null = null;
  private stopping = false;
  private beating: Promise<void> = Promise.resolve();

  constructor(
    private readonly repo: ClusterRepository,
    db: Database,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.enabled = db.dialect.otherWritersPossible;
    this.startedAt = clock.now().toISOString();
  }

  onApplicationBootstrap(): void {
    if (this.enabled) void this.tick();
  }

  /**
   * A graceful stop hands this instance's calls over at once (a rolling deploy should not leave
   * live calls unfollowed for a lease period): once the dials in flight are answered (the
   * dispatcher waits for them in its own shutdown, alongside this one), every lease is let run out
   * and the others take the calls over at their next beat. If the database cannot be reached the
   * leases simply run out as if this instance had died.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    if (!this.enabled) return;
    await this.beating; // a beat in progress would renew the leases after the hand-over
    const graceEnds = performance.now() + this.config.shutdownGraceMs;
    while (this.load().inFlight > 0 && performance.now() < graceEnds) await new Promise((r) => setTimeout(r, SHUTDOWN_POLL_MS));
    try {
      await this.repo.leave(this.instanceId);
      this.logger.log('left the cluster: its leases are free for the other instances now');
    } catch (error) {
      this.logger.warn(`could not hand the leases over (${(error as Error).message}); they run out within ${LEASE_MS} ms`);
    }
  }

  reportLoad(load: () => InstanceLoad): void {
    this.load = load;
  }

  /** This instance works on the call (its lease was written by a claim, or taken over). */
  hold(callId: string): void {
    this.held.add(callId);
    this.releasing.delete(callId);
  }

  /** This instance is done with the call: its lease is deleted at the next beat. */
  release(callId: string): void {
    if (!this.enabled) return;
    this.held.delete(callId);
    this.releasing.add(callId);
  }

  /** This instance stops working on the call but keeps its lease: at the next beat it is adopted again (e.g. an attempt to resolve once overdue). */
  letGo(callId: string): void {
    this.held.delete(callId);
  }

  /**
   * The instances the registry knows, live first (this one alone on SQLite). Live or gone is judged
   * by the heartbeat's age on the database's clock when the list was read (at the last beat), plus
   * the time since by this instance's clock: an interval, which clock skew does not change.
   */
  instances(): InstanceStatus[] {
    const now = this.clock.now().getTime();
    if (!this.enabled) return [{ ...this.record(), heartbeatAt: new Date(now).toISOString(), self: true, live: true }];
    const since = now - this.knownAt;
    return this.known
      .map(({ heartbeatAgeMs, ...i }) => ({ ...i, self: i.id === this.instanceId, live: heartbeatAgeMs + since < GONE_AFTER_MS }))
      .sort((a, b) => Number(b.live) - Number(a.live));
  }

  /** Since when the heartbeat has been failing (null while it works). */
  get heartbeatFailingSince(): Date | null {
    return this.failingSince;
  }

  private record(): Omit<InstanceRecord, 'heartbeatAt'> {
    return { id: this.instanceId, host: hostname(), pid: process.pid, version: VERSION, startedAt: this.startedAt, ...this.load() };
  }

  private async tick(): Promise<void> {
    if (this.stopping) return;
    try {
      const beat = this.beat();
      this.beating = beat.catch(() => undefined);
      await beat;
      if (this.failingSince) this.logger.log(`heartbeat resumed after ${this.clock.now().getTime() - this.failingSince.getTime()} ms`);
      this.failingSince = null;
      this.delay = HEARTBEAT_MS;
    } catch (error) {
      // A database outage must not end the process: back off, keep trying; /health shows it.
      if (!this.failingSince) this.logger.error(`heartbeat failed, retrying with backoff: ${(error as Error).message}`);
      this.failingSince ??= this.clock.now();
      this.delay = Math.min(this.delay * 2, MAX_BACKOFF_MS);
    }
    if (!this.isStopping()) this.timer = setTimeout(() => void this.tick(), this.delay);
  }

  // Shutdown sets the flag while a beat awaits: read through a call, not the value narrowed before the await.
  private isStopping(): boolean {
    return this.stopping;
  }

  private async beat(): Promise<void> {
    await this.repo.heartbeat(this.record(), FORGET_AFTER_MS);
    const releasing = [...this.releasing];
    await this.repo.releaseLeases(this.instanceId, releasing);
    for (const id of releasing) this.releasing.delete(id);
    const owned = new Set(await this.repo.renewLeases(this.instanceId, LEASE_MS));
    const lost = [...this.held].filter((id) => !owned.has(id));
    for (const id of lost) this.held.delete(id);
    if (lost.length > 0) {
      this.logger.warn(`${lost.length} lease(s) taken over by other instances: no longer following them`);
      this.lost$.next(lost);
    }
    const orphans = [...owned].filter((id) => !this.held.has(id) && !this.releasing.has(id));
    const taken = await this.repo.takeExpiredLeases(this.instanceId, LEASE_MS, TAKEOVER_PAGE);
    if (taken.length > 0) this.logger.log(`took over ${taken.length} expired lease(s)`);
    if (orphans.length + taken.length > 0) this.adopted$.next([...orphans, ...taken]);
    this.known = await this.repo.instances();
    this.knownAt = this.clock.now().getTime();
  }
}
