import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { hostname } from 'node:os';
import { ConcurrencyError, formatDuration, IllegalTransitionError, IN_PROGRESS_STATUSES, isTerminal } from '#domain';
import { CallViewRepository, type EventMetadata } from '#persistence';
import { CallCommandsService, type CommandResult } from '../commands/call-commands.service.js';
import { Clock } from '../common/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ClusterService } from '../cluster/cluster.service.js';
import { CallApiClient } from './call-api.client.js';
import { Semaphore } from './semaphore.js';

interface Tracked {
  providerCallId: string;
  // The result of our last command on the call: the next one is decided from it without a read.
  known?: CommandResult;
  since: number;
  delay: number;
  notFound: number;
  timer?: NodeJS.Timeout;
}

// The Call API has no webhooks: we poll each live call, quickly while it changes, slower while not.
const BACKOFF = 1.5;
const MAX_CONCURRENT_POLLS = 32;
const REFOLLOW_FIRST_DELAY_MS = 1000;
const REFOLLOW_MAX_DELAY_MS = 30_000;

/** Follows dispatched calls with GET /api/call/:id until they end, recording each change. */
@Injectable()
export class StatusFollowerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('StatusFollower');
  private readonly tracked = new Map<string, Tracked>();
  private readonly polls = new Semaphore(MAX_CONCURRENT_POLLS);
  private readonly metadata: EventMetadata = { actor: `status-follower@${hostname()}:${process.pid}` };
  private stopping = false;

  constructor(
    private readonly commands: CallCommandsService,
    private readonly views: CallViewRepository,
    private readonly callApi: CallApiClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly cluster: ClusterService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Several instances: each live call is followed by the owner of its lease; a restarted
    // instance follows only what it takes over (see LeaseTakeoverService), never everything.
    if (this.cluster.enabled) return;
    // Calls that were live when the service last stopped are followed again. A database that went
    // away since the migrations ran must not stop the start-up: keep trying in the background.
    if (!(await this.refollow())) void this.refollowLater(REFOLLOW_FIRST_DELAY_MS);
  }

  private async refollow(): Promise<boolean> {
    try {
      for (const call of await this.views.inStatuses(IN_PROGRESS_STATUSES, 1_000_000)) {
        if (call.providerCallId) this.follow(call.id, call.providerCallId);
      }
      return true;
    } catch (error) {
      this.logger.warn(`re-following live calls: ${(error as Error).message}; trying again`);
      return false;
    }
  }

  private async refollowLater(delay: number): Promise<void> {
    await new Promise((r) => setTimeout(r, delay).unref());
    if (!this.stopping && !(await this.refollow())) void this.refollowLater(Math.min(delay * 2, REFOLLOW_MAX_DELAY_MS));
  }

  beforeApplicationShutdown(): void {
    this.stopping = true;
    for (const t of this.tracked.values()) clearTimeout(t.timer);
    this.tracked.clear();
  }

  get followingCount(): number {
    return this.tracked.size;
  }

  /** `since`: when the call was placed (FOLLOW_GIVE_UP counts from it; a call taken over keeps its age). */
  follow(callId: string, providerCallId: string, known?: CommandResult, since = this.clock.now().getTime()): void {
    if (this.stopping || this.tracked.has(callId)) return;
    const entry: Tracked = { providerCallId, known, since, delay: this.config.followIntervalMs, notFound: 0 };
    this.tracked.set(callId, entry);
    this.cluster.hold(callId);
    this.schedule(callId, entry);
  }

  private schedule(callId: string, entry: Tracked): void {
    if (this.stopping) return;
    // poll() catches its own failures; the catch here is the last guard so a timer can never end the process.
    entry.timer = setTimeout(() => {
      this.polls
        .run(() => this.poll(callId, entry))
        .catch((error: unknown) => this.logger.error(`following ${callId}: ${(error as Error).stack ?? (error as Error).message}`));
    }, entry.delay);
  }

  private async poll(callId: string, entry: Tracked): Promise<void> {
    if (this.stopping || this.tracked.get(callId) !== entry) return;
    try {
      const answer = await this.callApi.getCall(entry.providerCallId);
      if (answer.ok) {
        entry.notFound = 0;
        // The answer is in hand: a database outage is waited out rather than the answer dropped.
        const result = await this.commands.executeWithRetry(
          callId,
          { type: 'RecordStatus', providerStatus: answer.status, duration: answer.duration },
          { metadata: this.metadata, persistUntilStored: true },
          entry.known,
        );
        entry.known = result;
        if (isTerminal(result.state.status)) {
          this.untrack(callId);
          return;
        }
        entry.delay = result.events.length > 0 ? this.config.followIntervalMs : this.slower(entry.delay);
        // `return await` (not `return`): a failing loseTracking must land in the catch below and be
        // tried again at the next poll, not escape as an unhandled rejection.
        if (this.clock.now().getTime() - entry.since > this.config.followGiveUpMs) {
          await this.loseTracking(callId, entry, `no final status after ${formatDuration(this.config.followGiveUpMs)} (last: ${answer.status})`);
          return;
        }
      } else if (answer.notFound && ++entry.notFound >= this.config.followNotFoundLimit) {
        await this.loseTracking(callId, entry, `${answer.reason}, ${entry.notFound} times in a row; its final status is unknown`);
        return;
      } else {
        entry.delay = this.slower(entry.delay);
      }
    } catch (error) {
      // The call moved on without us (ended elsewhere): stop following.
      if (error instanceof IllegalTransitionError) {
        this.untrack(callId);
        return;
      }
      if (!(error instanceof ConcurrencyError)) this.logger.warn(`following ${callId}: ${(error as Error).message}`);
      entry.delay = this.slower(entry.delay);
    }
    this.schedule(callId, entry);
  }

  private async loseTracking(callId: string, entry: Tracked, reason: string): Promise<void> {
    await this.commands.executeWithRetry(callId, { type: 'LoseTracking', reason }, { metadata: this.metadata }, entry.known);
    this.untrack(callId);
  }

  private slower(delay: number): number {
    return Math.min(this.config.followMaxIntervalMs, Math.round(delay * BACKOFF));
  }

  isFollowing(callId: string): boolean {
    return this.tracked.has(callId);
  }

  /** Another instance took the call over: stop polling it, without giving up a lease that is no longer ours. */
  unfollow(callId: string): void {
    clearTimeout(this.tracked.get(callId)?.timer);
    this.tracked.delete(callId);
  }

  private untrack(callId: string): void {
    this.tracked.delete(callId);
    this.cluster.release(callId);
  }
}
