import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { hostname } from 'node:os';
import { auditTime, Subject, type Subscription } from 'rxjs';
import { ConcurrencyError } from '#domain';
import {
  CallViewRepository,
  ClusterRepository,
  Database,
  DispatchClaims,
  EventStore,
  LogAdvances,
  type ClaimedCall,
  type ClaimResult,
  type EventMetadata,
} from '#persistence';
import { ClusterService, LEASE_MS } from '../cluster/cluster.service.js';
import { CallCommandsService } from '../commands/call-commands.service.js';
import { Clock } from '../common/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CallApiClient, type PlaceCallResult } from './call-api.client.js';
import { CallApiCircuit } from './circuit/call-api-circuit.service.js';
import { ClusterDialSlots } from './cluster-dial-slots.js';
import { OverdueCalls } from './overdue-calls.js';
import { RateLimiter } from './rate-limiter.js';
import { StatusFollowerService } from './status-follower.service.js';
import { WakeTimer } from './wake-timer.js';

// After a sweep, a call that still looks due is being claimed right now: look again shortly.
const RESWEEP_FLOOR_MS = 10;
// Requests reach the provider up to ~100 ms after their token on a busy machine; a full provider-side
// second must never hold more than the rate, so the send window is that much longer (sustained
// rate ≈ 0.9 × DISPATCH_RATE when saturated).
const RATE_WINDOW_MARGIN_MS = 100;
const RATE_WINDOW_MS = 1000 + RATE_WINDOW_MARGIN_MS;
const CAPPED_RETRY_MS = 50;
const SHUTDOWN_POLL_MS = 20;
// Advances of the log within this long wake the dispatcher once.
const ADVANCE_COALESCE_MS = 5;
const RATE_BURST_MS = 20;

/** How a dial ended, for metrics: placed, unavailable (nothing placed, not counted), failed, unknown. */
export type DialOutcome = 'placed' | 'unavailable' | 'failed' | 'unknown';

/**
 * Places due calls with the Call API. A timer armed for the soonest due call does the precise
 * work; the interval sweep is the safety net. Due calls are claimed in batches: one transaction
 * appends CallDispatchStarted for each (on PostgreSQL over rows locked with SKIP LOCKED, so
 * instances take disjoint batches) before any HTTP request goes out.
 *
 * Several instances on PostgreSQL share DISPATCH_RATE (a sliding window of dial slots in the
 * database, taken just before each request) and DISPATCH_CONCURRENCY (the claim counts the calls
 * dispatching across the cluster); each claimed call is leased to its claimer (ClusterService).
 */
@Injectable()
export class DispatcherService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Dispatcher');
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Every dial's outcome (metrics count them). */
  readonly dialOutcome$ = new Subject<DialOutcome>();
  private readonly limiter: RateLimiter;
  private readonly sendGate: RateLimiter;
  /** Who this process's dispatch events name: `dispatcher@host:pid`. */
  readonly metadata: EventMetadata = { actor: `dispatcher@${hostname()}:${process.pid}` };
  // Calls whose dial this process sent and whose answer it has not recorded (yet, or ever).
  private readonly sentUnrecorded = new Set<string>();
  private readonly timer: WakeTimer;
  private readonly dialSlots: ClusterDialSlots;
  private readonly overdue: OverdueCalls;
  // The pace allows no claim before this time (ms).
  private notBefore = 0;
  private sweeping = false;
  private failingSince: number | null = null;
  private sweepAgain = false;
  private stopping = false;
  private readonly subscriptions: Subscription[] = [];

  constructor(
    private readonly commands: CallCommandsService,
    private readonly views: CallViewRepository,
    private readonly store: EventStore,
    private readonly callApi: CallApiClient,
    private readonly follower: StatusFollowerService,
    private readonly circuit: CallApiCircuit,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Database,
    private readonly claims: DispatchClaims,
    private readonly cluster: ClusterService,
    private readonly clusterState: ClusterRepository,
    private readonly advances: LogAdvances,
  ) {
    // Claims are paced evenly (a backlog does not go out as one burst); the send gate is the hard
    // limit, with a margin on its window: requests reach the provider some ms after their token.
    this.limiter = new RateLimiter(config.dispatchRate, { windowMs: RATE_WINDOW_MS, burstMs: RATE_BURST_MS });
    this.sendGate = new RateLimiter(config.dispatchRate, { windowMs: RATE_WINDOW_MS });
    this.timer = new WakeTimer(clock, () => void this.sweep());
    this.dialSlots = new ClusterDialSlots(clusterState, config.dispatchRate, RATE_WINDOW_MS);
    this.overdue = new OverdueCalls({
      commands,
      views,
      circuit,
      db,
      clock,
      config,
      metadata: this.metadata,
      logger: this.logger,
      isStopping: () => this.stopping,
      isDialling: (id) => this.inFlight.has(id),
    });
  }

  onApplicationBootstrap(): void {
    // Any change that leaves a call pending (schedule, reschedule, retry) may be the new soonest.
    this.subscriptions.push(
      this.store.changes$.subscribe(({ call }) => {
        if (call.status === 'pending' && call.nextAttemptAt) this.armFor(Date.parse(call.nextAttemptAt));
      }),
      // The Call API is back (or its Retry-After ran out): the backlog drains, soonest first.
      this.circuit.resumed$.subscribe(() => void this.sweep()),
    );
    // Several instances: a call scheduled (or retried) on another one may now be the soonest. The
    // log's advance (LISTEN/NOTIFY) says something changed; the timer is re-armed from the table.
    if (this.cluster.enabled)
      this.subscriptions.push(
        this.advances.advanced$.pipe(auditTime(ADVANCE_COALESCE_MS)).subscribe(() => {
          this.armNext().catch((error: unknown) => this.logger.debug(`re-arming after a log advance: ${(error as Error).message}`));
        }),
      );
    // Start-up sweep: overdue calls are dispatched or recorded missed, lost attempts resolved.
    void this.sweep();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    this.timer.clear();
    // A claim that was committing when the signal came starts its calls after this point (they
    // give their attempts back without dialling): wait for those too, not only the dials seen now.
    const graceEnds = performance.now() + this.config.shutdownGraceMs;
    while ((this.inFlight.size > 0 || this.sweeping) && performance.now() < graceEnds) {
      // With no dial in flight (a sweep still running) only the poll timer may end the wait: an
      // already settled Promise.allSettled([]) would spin this loop without letting the sweep run.
      const poll = new Promise((r) => setTimeout(r, Math.min(SHUTDOWN_POLL_MS, graceEnds - performance.now())).unref());
      await Promise.race(this.inFlight.size > 0 ? [Promise.allSettled([...this.inFlight.values()]), poll] : [poll]);
    }
    if (this.inFlight.size > 0) this.logger.warn(`${this.inFlight.size} dial(s) still in flight at shutdown; they will be resolved on restart`);
  }

  // stop() and overlapping sweep() calls set these flags while a sweep awaits; read through a call,
  // TypeScript would keep the value it narrowed before the await.
  private isStopping(): boolean {
    return this.stopping;
  }

  private anotherSweepWanted(): boolean {
    return this.sweepAgain && !this.stopping;
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** This process sent the call's current dial and has not recorded its answer: it may have been placed. */
  hasSent(callId: string): boolean {
    return this.sentUnrecorded.has(callId);
  }

  /** This instance is dialling the call right now (its answer will be recorded here). */
  isDialling(callId: string): boolean {
    return this.inFlight.has(callId);
  }

  /** One pass: resolve lost attempts, then claim and dial due calls, soonest first. Never overlaps itself. */
  async sweep(): Promise<void> {
    if (this.stopping) return;
    if (this.sweeping) {
      this.sweepAgain = true;
      return;
    }
    this.sweeping = true;
    try {
      do {
        this.sweepAgain = false;
        // Lost attempts only age into "lost" after the request timeout: checking at the sweep
        // cadence is enough. Every finishing dial also sweeps, and must not pay for it each time.
        // Several instances: an attempt is resolved by the owner of its lease (LeaseTakeoverService).
        if (!this.cluster.enabled) await this.overdue.recoverLostAttempts();
        await this.dispatchDue();
        // A wake-up while the next one is being armed must start another pass, not be dropped: the
        // timer that fired is spent, and the call it was for would wait for the re-sweep floor.
        if (!this.anotherSweepWanted()) await this.armNext();
      } while (this.anotherSweepWanted());
      if (this.failingSince !== null) {
        this.logger.log(`dispatch resumed after ${this.clock.now().getTime() - this.failingSince} ms of failed sweeps`);
        this.failingSince = null;
      }
    } catch (error) {
      // A database outage must not end the process: the interval sweep tries again. One line per
      // outage, not one a second.
      if (this.failingSince === null) {
        this.failingSince = this.clock.now().getTime();
        this.logger.error(`sweep failed, dispatch paused until it succeeds: ${(error as Error).message}`);
      }
    } finally {
      this.sweeping = false;
    }
  }

  private async dispatchDue(): Promise<void> {
    while (!this.stopping) {
      if (!this.circuit.canDial()) return this.overdue.missPastDeadline();
      const free = this.config.dispatchConcurrency - this.inFlight.size;
      if (free <= 0) return;
      // As many as the pace allows right now; half-open, only the trial. None: the timer comes back
      // when the next one is allowed (not a wait here: nothing may be due by then).
      const allowed = this.circuit.status().state === 'half-open' ? 1 : this.limiter.available(free);
      if (allowed === 0) {
        this.notBefore = this.clock.now().getTime() + this.limiter.waitMs();
        return;
      }
      const { calls: claimed, capped } = await this.claim(allowed);
      // The cluster has DISPATCH_CONCURRENCY dials out: other instances' finishing dials do not
      // wake this one, so look again shortly.
      if (capped) this.armFor(this.clock.now().getTime() + CAPPED_RETRY_MS);
      for (const call of claimed) {
        const started = call.events.find((e) => e.type === 'CallDispatchStarted');
        // A call past its deadline is recorded missed: no dial, so no circuit trial and no rate token.
        if (!started) this.logMissed(call);
        else {
          this.limiter.takeNow();
          this.circuit.acquire();
          this.start(call);
        }
      }
      if (claimed.length < allowed) return;
    }
  }

  /** One transaction: up to `limit` due calls started (or missed), soonest first. */
  private async claim(limit: number): Promise<ClaimResult> {
    const now = this.clock.now();
    const cluster = this.cluster.enabled;
    try {
      return await this.claims.claim({
        now,
        limit,
        metadata: this.metadata,
        clusterConcurrency: cluster ? this.config.dispatchConcurrency : undefined,
        lease: cluster ? { owner: this.cluster.instanceId, ms: LEASE_MS } : undefined,
        decide: (state, dueAt) => this.commands.decideNow({ type: 'StartDispatch', dueAt }, state, now),
      });
    } catch (error) {
      // Someone changed one of the calls in between (an operator): the batch is claimed afresh.
      if (!(error instanceof ConcurrencyError)) throw error;
      this.sweepAgain = true;
      return { calls: [], capped: false };
    }
  }

  private logMissed(call: ClaimedCall): void {
    const missed = call.events.find((e) => e.type === 'CallMissed');
    if (!missed) return;
    this.logger.warn({
      msg: `call ${call.state.id} missed: ${typeof missed.data.reason === 'string' ? missed.data.reason : 'past its deadline'}`,
      callId: call.state.id,
      outcome: 'missed',
    });
  }

  private start(claim: ClaimedCall): void {
    const id = claim.state.id;
    this.cluster.hold(id);
    const run = this.dispatchOne(claim)
      .then(() => {
        // A followed call keeps its lease (the follower holds it); anything else gives it back.
        if (!this.follower.isFollowing(id)) this.cluster.release(id);
      })
      .catch((error: unknown) => {
        this.logger.error(`dispatch of ${id} failed: ${(error as Error).message}`);
        // Its answer is not recorded: the lease stays this instance's, which resolves it once overdue.
        this.cluster.letGo(id);
      })
      .finally(() => {
        this.inFlight.delete(id);
        void this.sweep();
      });
    this.inFlight.set(id, run);
  }

  private async dispatchOne(claim: ClaimedCall): Promise<void> {
    const call = { id: claim.state.id };
    const started = claim.events.find((e) => e.type === 'CallDispatchStarted');
    if (!started) return;
    const key = String(started.data.idempotencyKey);
    const attempt = claim.state.attempts;
    // Claims are paced by `limiter`; the gate holds the limit where the provider counts it, at the
    // request, whatever time each claim took. It rarely waits longer than that jitter.
    const notSent = await this.takeSendSlot();
    if (notSent) {
      // Nothing was sent, so the attempt is given back, due now (or shortly, when the database was the reason).
      const retryAt = new Date(this.clock.now().getTime() + (this.stopping ? 0 : this.config.retryBaseMs)).toISOString();
      await this.recordOutcome(claim, { type: 'RecordDispatchUnavailable', reason: `not dialled: ${notSent}`, retryAt });
      return;
    }
    this.sentUnrecorded.add(call.id);
    const result = await this.callApi.placeCall(claim.state.phoneNumber, key);
    this.dialOutcome$.next(outcomeOf(result, this.config.callApiIdempotent));
    await this.recordAnswer(call, claim, attempt, result);
    this.sentUnrecorded.delete(call.id);
  }

  /**
   * Takes the right to send one dial: in-process on one instance, a shared dial slot in the
   * database on several. Returns why the dial must not go out (shutdown, no slot), or null.
   */
  private async takeSendSlot(): Promise<string | null> {
    if (!this.cluster.enabled) {
      await this.sendGate.take();
      return this.stopping ? 'the dispatcher shut down first' : null;
    }
    try {
      return (await this.dialSlots.take(() => this.isStopping())) ? null : 'the dispatcher shut down first';
    } catch (error) {
      this.logger.warn(`no dial slot: ${(error as Error).message}`);
      return `no dial slot (${(error as Error).message})`;
    }
  }

  private async recordAnswer(call: { id: string }, claim: ClaimedCall, attempt: number, result: PlaceCallResult): Promise<void> {
    if (result.ok) {
      this.circuit.reached();
      const recorded = await this.recordOutcome(claim, {
        type: 'RecordDispatch',
        providerCallId: result.providerCallId,
        providerStatus: result.providerStatus,
      });
      this.logger.log({
        msg: `call ${call.id} attempt ${attempt} placed (${result.providerCallId}, ${result.providerStatus})`,
        callId: call.id,
        attempt,
        outcome: 'placed',
        latenessMs: recorded.state.latenessMs,
      });
      this.follower.follow(call.id, result.providerCallId, recorded);
    } else if (result.unavailable) {
      this.circuit.unavailable(result.reason, result.retryAfterMs);
      // Nothing was placed: the call waits, its attempt not counted, for the Call API to come back.
      const retryAt = new Date(this.clock.now().getTime() + Math.max(result.retryAfterMs ?? 0, this.config.retryBaseMs)).toISOString();
      this.logger.warn(`call ${call.id} attempt ${attempt}: Call API unavailable (${result.reason}); waits until ${retryAt} or the Call API is back`);
      await this.recordOutcome(claim, { type: 'RecordDispatchUnavailable', reason: result.reason, retryAt });
    } else {
      this.circuit.reached();
      const recorded = await this.recordOutcome(claim, {
        type: 'RecordDispatchFailure',
        reason: result.reason,
        certain: result.certain,
        retryable: result.retryable,
      });
      const next = recorded.state.status === 'pending' ? `retry at ${recorded.state.dueAt}` : recorded.state.status;
      this.logger.warn(`call ${call.id} attempt ${attempt} ${result.certain ? 'failed' : 'has an unknown outcome'}: ${result.reason}; ${next}`);
    }
  }

  /** What became of a claimed attempt, stored whatever the database's mood (retried until it is). */
  private recordOutcome(claim: ClaimedCall, command: Parameters<CallCommandsService['executeWithRetry']>[1]) {
    return this.commands.executeWithRetry(claim.state.id, command, { metadata: this.metadata, persistUntilStored: true }, claim);
  }

  private async armNext(): Promise<void> {
    if (this.stopping || this.inFlight.size >= this.config.dispatchConcurrency) return; // a finishing dial sweeps again
    const next = await this.views.nextDueAt();
    if (!next) return;
    const now = this.clock.now().getTime();
    const dueAt = Date.parse(next);
    if (dueAt <= now) {
      // Still due after this sweep: it is being claimed right now (here or elsewhere), or waits for
      // the circuit to let dials through (resumed$ sweeps then): look again shortly, never spin.
      if (!this.circuit.canDial()) return;
      this.armFor(Math.max(now + RESWEEP_FLOOR_MS, this.notBefore));
    } else {
      // A call due soon is woken for at its time: the floor above must not make it late.
      this.armFor(Math.max(dueAt, this.notBefore));
    }
  }

  private armFor(at: number): void {
    if (!this.stopping) this.timer.armFor(at);
  }
}

function outcomeOf(result: PlaceCallResult, idempotentProvider: boolean): DialOutcome {
  if (result.ok) return 'placed';
  if (result.unavailable) return 'unavailable';
  return result.certain || idempotentProvider ? 'failed' : 'unknown';
}
