import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { hostname } from 'node:os';
import { Subject } from 'rxjs';
import { CALL_API_STREAM, ConcurrencyError, formatDuration, type CallApiEvent } from '#domain';
import { CallViewRepository, EventStore, toCallApiEvent, type EventMetadata } from '#persistence';
import { Clock } from '../../common/clock.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { CallApiClient } from '../call-api.client.js';
import { CircuitBreaker, type CircuitState, type CircuitTransition } from './circuit-breaker.js';

export interface CallApiStatus {
  up: boolean;
  state: CircuitState;
  since: string | null;
  reason: string | null;
}

/**
 * The Call API's availability for this instance, kept in step with the log: a circuit opened or
 * closed here is recorded in the `call-api` stream (CallApiUnavailable / CallApiRecovered), and one
 * recorded by another instance is adopted here, so every instance sharing a log pauses together.
 */
@Injectable()
export class CallApiCircuit implements OnApplicationBootstrap, BeforeApplicationShutdown {
  /** Dialling may resume (the circuit half-opened or closed, or a Retry-After ran out). */
  readonly resumed$ = new Subject<void>();
  private readonly logger = new Logger('CallApiCircuit');
  private readonly breaker: CircuitBreaker;
  private readonly metadata: EventMetadata = { actor: `dispatcher@${hostname()}:${process.pid}` };
  // Transitions not yet on record (the database may be down when they happen).
  private readonly unrecorded: Exclude<CircuitTransition, null>[] = [];
  private timer: NodeJS.Timeout | undefined;
  private blocked = false;
  private stopping = false;

  constructor(
    private readonly store: EventStore,
    private readonly views: CallViewRepository,
    private readonly callApi: CallApiClient,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.breaker = new CircuitBreaker({
      failureThreshold: config.circuitFailureThreshold,
      probeBaseMs: config.callApiProbeMs,
      probeMaxMs: config.callApiProbeMaxMs,
    });
  }

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  beforeApplicationShutdown(): void {
    this.stopping = true;
    clearTimeout(this.timer);
  }

  status(): CallApiStatus {
    const since = this.breaker.since;
    return {
      up: this.breaker.state === 'closed',
      state: this.breaker.state,
      since: since === null ? null : new Date(since).toISOString(),
      reason: this.breaker.reason,
    };
  }

  /** Takes the right to start one dial now (false while the circuit is open or paused). */
  acquire(): boolean {
    const allowed = this.breaker.acquire(this.now());
    this.blocked ||= !allowed;
    return allowed;
  }

  canDial(): boolean {
    return this.breaker.canDial(this.now());
  }

  /** The Call API answered something other than "unavailable". */
  reached(): void {
    this.note(this.breaker.onReached(this.now()));
  }

  unavailable(reason: string, retryAfterMs: number | null): void {
    this.note(this.breaker.onUnavailable(this.now(), reason, retryAfterMs));
  }

  private note(transition: CircuitTransition): void {
    if (!transition) return;
    if (transition.kind === 'opened') {
      this.logger.warn(
        `Call API unavailable since ${new Date(transition.since).toISOString()} (${transition.failures} failures in a row: ${transition.reason}); dials paused, probing its /health`,
      );
    } else {
      this.logger.log(`Call API reachable again after ${formatDuration(transition.at - transition.since)}; dialling resumes`);
      this.resumed$.next();
    }
    this.unrecorded.push(transition);
    void this.recordPending();
  }

  private async tick(): Promise<void> {
    try {
      await this.recordPending();
      await this.adoptFromLog();
      const now = this.now();
      if (this.breaker.isProbeDue(now)) {
        const probe = await this.callApi.probe();
        const waiting = probe.ok ? await this.views.countDue(this.clock.now()) : 0;
        const before = this.breaker.state;
        this.note(this.breaker.onProbe(this.now(), probe.ok, waiting, `health probe: ${probe.reason}`));
        if (before === 'open' && this.breaker.state === 'half-open') {
          this.logger.log(`Call API health probe passed; one trial dial before dispatch resumes (${waiting} calls waiting)`);
        }
      }
      // Wake the dispatcher when dialling is allowed again (half-open trial, or a Retry-After ran out).
      if (this.blocked && this.breaker.canDial(this.now())) {
        this.blocked = false;
        this.resumed$.next();
      }
    } catch (error) {
      this.logger.warn(`Call API circuit: ${(error as Error).message}`);
    } finally {
      this.schedule(this.config.callApiProbeMs / 2);
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopping) return;
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  /** Another instance may have opened or closed the circuit: the log is the shared truth. */
  private async adoptFromLog(): Promise<void> {
    if (this.unrecorded.length > 0) return; // ours first
    const last = await this.store.readLast(CALL_API_STREAM);
    if (!last) return;
    const event = toCallApiEvent(last);
    if (event.type === 'CallApiUnavailable' && this.breaker.state === 'closed') {
      this.breaker.adoptOpen(Date.parse(event.data.since), event.data.reason, this.now());
      this.logger.warn(`Call API recorded unavailable since ${event.data.since} by another instance; dials paused here too`);
    } else if (event.type === 'CallApiRecovered' && this.breaker.state !== 'closed') {
      this.breaker.adoptClosed();
      this.logger.log('Call API recorded reachable again by another instance; dialling resumes');
      this.resumed$.next();
    }
  }

  /** Appends what changed, unless the log already says so (another instance was first). */
  private async recordPending(): Promise<void> {
    while (this.unrecorded.length > 0 && !this.stopping) {
      const transition = this.unrecorded[0];
      try {
        await this.record(transition);
      } catch (error) {
        if (error instanceof ConcurrencyError) continue; // re-read and decide again
        throw error;
      }
      this.unrecorded.shift();
    }
  }

  private async record(transition: Exclude<CircuitTransition, null>): Promise<void> {
    const last = await this.store.readLast(CALL_API_STREAM);
    const loggedDown = last?.type === 'CallApiUnavailable';
    const at = new Date(this.now()).toISOString();
    let event: CallApiEvent;
    if (transition.kind === 'opened') {
      if (loggedDown) return;
      event = {
        type: 'CallApiUnavailable',
        data: { reason: transition.reason, since: new Date(transition.since).toISOString(), failures: transition.failures },
        occurredAt: at,
      };
    } else {
      if (!loggedDown) return;
      const since = String(last.data.since);
      event = { type: 'CallApiRecovered', data: { since, recoveredAt: at, downtimeMs: transition.at - Date.parse(since) }, occurredAt: at };
    }
    await this.store.append(CALL_API_STREAM, last?.version ?? 0, [event], { metadata: this.metadata });
  }

  private now(): number {
    return this.clock.now().getTime();
  }
}
