import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { hostname } from 'node:os';
import { Subject, type Subscription } from 'rxjs';
import { callingWindowClosed, ConcurrencyError, effectiveDeadline, IllegalTransitionError, type CallView } from '#domain';
import { CallViewRepository, Database, EventStore, type EventMetadata } from '#persistence';
import { CallCommandsService } from '../commands/call-commands.service.js';
import { Clock } from '../common/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CallApiClient, type PlaceCallResult } from './call-api.client.js';
import { CallApiCircuit } from './circuit/call-api-circuit.service.js';
import { RateLimiter } from './rate-limiter.js';
import { StatusFollowerService } from './status-follower.service.js';

const MAX_TIMER_MS = 2 ** 31 - 1;
// After a sweep, a call that still looks due is being claimed right now: look again shortly.
const RESWEEP_FLOOR_MS = 10;
// Requests reach the provider up to ~100 ms after their token on a busy machine; a full provider-side
// second must never hold more than the rate, so the send window is that much longer (sustained
// rate ≈ 0.9 × DISPATCH_RATE when saturated).
const RATE_WINDOW_MARGIN_MS = 100;
const AFTER_OUTAGE_GRACE_MS = 10_000;
const RATE_BURST_MS = 20;
// While the Call API is down, due calls are checked against their deadlines this many at a time.
const DEADLINE_PAGE = 500;

/** How a dial ended, for metrics: placed, unavailable (nothing placed, not counted), failed, unknown. */
export type DialOutcome = 'placed' | 'unavailable' | 'failed' | 'unknown';

/**
 * Places due calls with the Call API. A timer armed for the soonest due call does the precise
 * work; the interval sweep is the safety net. Each attempt is claimed by appending
 * CallDispatchStarted at the version we read (so two instances cannot both claim it) before the
 * HTTP request goes out.
 */
@Injectable()
export class DispatcherService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Dispatcher');
  private readonly inFlight = new Map<string, Promise<void>>();
  // Started but not yet claimed: still 'pending' in the view, so a due() read can return them again.
  private readonly claiming = new Set<string>();
  private lastRecoveryAt = Number.NEGATIVE_INFINITY;
  private lastDeadlineCheckAt = Number.NEGATIVE_INFINITY;
  /** Every dial's outcome (metrics count them). */
  readonly dialOutcome$ = new Subject<DialOutcome>();
  private readonly limiter: RateLimiter;
  private readonly sendGate: RateLimiter;
  private readonly metadata: EventMetadata = { actor: `dispatcher@${hostname()}:${process.pid}` };
  private timer: NodeJS.Timeout | undefined;
  private armedAt = Number.POSITIVE_INFINITY;
  private sweeping = false;
  private failingSince: number | null = null;
  private sweepAgain = false;
  private stopping = false;
  private readonly subscriptions: Subscription[] = [];

  constructor(
    @Inject(CallCommandsService) private readonly commands: CallCommandsService,
    @Inject(CallViewRepository) private readonly views: CallViewRepository,
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(CallApiClient) private readonly callApi: CallApiClient,
    @Inject(StatusFollowerService) private readonly follower: StatusFollowerService,
    @Inject(CallApiCircuit) private readonly circuit: CallApiCircuit,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(Database) private readonly db: Database,
  ) {
    // Claims are paced evenly (a backlog does not go out as one burst); the send gate is the hard
    // limit, with a margin on its window: requests reach the provider some ms after their token.
    this.limiter = new RateLimiter(config.dispatchRate, { windowMs: 1000 + RATE_WINDOW_MARGIN_MS, burstMs: RATE_BURST_MS });
    this.sendGate = new RateLimiter(config.dispatchRate, { windowMs: 1000 + RATE_WINDOW_MARGIN_MS });
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
    // Start-up sweep: overdue calls are dispatched or recorded missed, lost attempts resolved.
    void this.sweep();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    clearTimeout(this.timer);
    const inFlight = Promise.allSettled([...this.inFlight.values()]);
    await Promise.race([inFlight, new Promise((r) => setTimeout(r, this.config.shutdownGraceMs).unref())]);
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
        if (this.clock.now().getTime() - this.lastRecoveryAt >= this.config.dispatchIntervalMs) {
          this.lastRecoveryAt = this.clock.now().getTime();
          await this.recoverLostAttempts();
        }
        await this.dispatchDue();
      } while (this.anotherSweepWanted());
      await this.armNext();
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
      if (!this.circuit.canDial()) return this.missPastDeadline();
      const free = this.config.dispatchConcurrency - this.inFlight.size;
      if (free <= 0) return;
      const now = this.clock.now();
      // Read only as many rows as can be started (plus those being claimed, which still look due).
      const due = (await this.views.due(now, free + this.claiming.size)).filter((c) => !this.inFlight.has(c.id)).slice(0, free);
      for (const call of due) {
        if (this.isStopping()) return;
        // A call past its deadline is recorded missed, one outside its calling window deferred to the
        // next opening: no dial, so no circuit trial and no rate token.
        if (!this.isMisfire(call, now) && !callingWindowClosed(call, now)) {
          if (!this.circuit.acquire()) return; // open, paused, or its one trial dial is out
          await this.limiter.take();
        }
        // Shutdown may have begun while we waited for the token; it only waits for dials it saw.
        if (this.isStopping()) return;
        this.start(call);
      }
      if (due.length < free) return;
    }
  }

  private start(call: CallView): void {
    this.claiming.add(call.id);
    const run = this.dispatchOne(call)
      .catch((error: unknown) => this.logger.error(`dispatch of ${call.id} failed: ${(error as Error).message}`))
      .finally(() => {
        this.claiming.delete(call.id);
        this.inFlight.delete(call.id);
        void this.sweep();
      });
    this.inFlight.set(call.id, run);
  }

  private async dispatchOne(call: CallView): Promise<void> {
    // Claim what we read: a call rescheduled since (say, while we waited for a rate token) is left alone.
    const claim = await this.tryCommand(call.id, { type: 'StartDispatch', dueAt: call.nextAttemptAt ?? undefined }).finally(() =>
      this.claiming.delete(call.id),
    );
    const started = claim?.events.find((e) => e.type === 'CallDispatchStarted');
    const missed = claim?.events.find((e) => e.type === 'CallMissed');
    if (missed)
      this.logger.warn({
        msg: `call ${call.id} missed: ${typeof missed.data.reason === 'string' ? missed.data.reason : 'past its deadline'}`,
        callId: call.id,
        outcome: 'missed',
      });
    if (!claim || !started) return; // claimed elsewhere, no longer pending, or missed
    const key = String(started.data.idempotencyKey);
    const attempt = claim.state.attempts;
    // Claims are paced by `limiter`; the gate holds the limit where the provider counts it, at the
    // request, whatever time each claim took. It rarely waits longer than that jitter.
    await this.sendGate.take();
    if (this.stopping) {
      // Shutdown began while it waited: nothing was sent, so the attempt is given back, due now.
      const retryAt = this.clock.now().toISOString();
      const reason = 'not dialled: the dispatcher shut down first';
      await this.commands.executeWithRetry(
        call.id,
        { type: 'RecordDispatchUnavailable', reason, retryAt },
        { metadata: this.metadata, persistUntilStored: true },
        claim,
      );
      return;
    }
    const result = await this.callApi.placeCall(claim.state.phoneNumber, key);
    this.dialOutcome$.next(outcomeOf(result, this.config.callApiIdempotent));
    if (result.ok) {
      this.circuit.reached();
      const recorded = await this.commands.executeWithRetry(
        call.id,
        { type: 'RecordDispatch', providerCallId: result.providerCallId, providerStatus: result.providerStatus },
        { metadata: this.metadata, persistUntilStored: true },
        claim,
      );
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
      await this.commands.executeWithRetry(
        call.id,
        { type: 'RecordDispatchUnavailable', reason: result.reason, retryAt },
        { metadata: this.metadata, persistUntilStored: true },
        claim,
      );
    } else {
      this.circuit.reached();
      const recorded = await this.commands.executeWithRetry(
        call.id,
        { type: 'RecordDispatchFailure', reason: result.reason, certain: result.certain, retryable: result.retryable },
        { metadata: this.metadata, persistUntilStored: true },
        claim,
      );
      const next = recorded.state.status === 'pending' ? `retry at ${recorded.state.dueAt}` : recorded.state.status;
      this.logger.warn(`call ${call.id} attempt ${attempt} ${result.certain ? 'failed' : 'has an unknown outcome'}: ${result.reason}; ${next}`);
    }
  }

  /**
   * While the Call API cannot be dialled, calls whose deadline passes are recorded missed with the
   * reason; the rest wait. Checked at the sweep cadence, a page at a time, soonest due first.
   */
  private async missPastDeadline(): Promise<void> {
    const now = this.clock.now();
    if (now.getTime() - this.lastDeadlineCheckAt < this.config.dispatchIntervalMs) return;
    this.lastDeadlineCheckAt = now.getTime();
    const { since, reason } = this.circuit.status();
    for (const call of await this.views.due(now, DEADLINE_PAGE)) {
      if (this.stopping || !this.isMisfire(call, now)) continue;
      const why = `not placed by its deadline ${call.deadline ?? ''}: the Call API has been unavailable since ${since ?? 'recently'} (${reason ?? 'unreachable'})`;
      const missed = await this.tryCommand(call.id, { type: 'MissDeadline', reason: why });
      if (missed?.events.length) this.logger.warn(`call ${call.id} missed: ${why}`);
    }
  }

  /**
   * An attempt recorded as started whose answer never reached the log: its dispatcher died.
   * Any live dispatcher would have recorded an answer within the request timeout.
   */
  private async recoverLostAttempts(): Promise<void> {
    const now = this.clock.now().getTime();
    // Right after a database outage, answers in hand are still being recorded by their dispatchers
    // (they retry until stored): their calls only look lost. Give them time before judging.
    if (now - (this.db.lastOutageEndedAt?.getTime() ?? Number.NEGATIVE_INFINITY) < AFTER_OUTAGE_GRACE_MS) return;
    const staleBefore = now - this.config.callApiTimeoutMs - 2000;
    const stuck = await this.views.inStatuses(['dispatching'], 500);
    for (const call of stuck) {
      if (this.inFlight.has(call.id) || Date.parse(call.updatedAt) > staleBefore) continue;
      this.logger.warn(`attempt ${call.attempts} of call ${call.id} lost its answer; not redialling blindly`);
      await this.tryCommand(call.id, {
        type: 'RecordLostAttempt',
        reason: 'the dispatcher stopped before the Call API answered; the call may have been placed',
      });
    }
  }

  private async tryCommand(callId: string, command: Parameters<CallCommandsService['execute']>[1]) {
    try {
      // A claim whose commit landed but whose reply was lost (database outage) must be found again,
      // not taken for one that failed: the retry re-appends the same events and finds them stored.
      return await this.commands.execute(callId, command, { metadata: this.metadata, persistUntilStored: command.type === 'StartDispatch' });
    } catch (error) {
      // Someone else changed the call first (another instance, an operator): theirs stands.
      if (error instanceof ConcurrencyError || error instanceof IllegalTransitionError) return null;
      throw error;
    }
  }

  private isMisfire(call: CallView, now: Date): boolean {
    return now.getTime() > effectiveDeadline(call, this.commands.policy);
  }

  private async armNext(): Promise<void> {
    if (this.stopping || this.inFlight.size >= this.config.dispatchConcurrency) return; // a finishing dial sweeps again
    const next = await this.views.nextDueAt();
    if (!next) return;
    const now = this.clock.now().getTime();
    // Calls already due wait for the circuit to let dials through (resumed$ sweeps then), not a spinning timer.
    if (Date.parse(next) <= now && !this.circuit.canDial()) return;
    this.armFor(Math.max(Date.parse(next), now + RESWEEP_FLOOR_MS));
  }

  private armFor(at: number): void {
    if (this.stopping || (this.timer && at >= this.armedAt)) return;
    clearTimeout(this.timer);
    this.armedAt = at;
    const delay = Math.min(Math.max(0, at - this.clock.now().getTime()), MAX_TIMER_MS);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.armedAt = Number.POSITIVE_INFINITY;
      void this.sweep();
    }, delay);
  }
}

function outcomeOf(result: PlaceCallResult, idempotentProvider: boolean): DialOutcome {
  if (result.ok) return 'placed';
  if (result.unavailable) return 'unavailable';
  return result.certain || idempotentProvider ? 'failed' : 'unknown';
}
