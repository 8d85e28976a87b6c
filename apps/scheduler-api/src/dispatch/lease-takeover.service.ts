import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { ConcurrencyError, IllegalTransitionError, type CallView } from '#domain';
import { CallViewRepository, Database } from '#persistence';
import { ClusterService } from '../cluster/cluster.service.js';
import { CallCommandsService } from '../commands/call-commands.service.js';
import { Clock } from '../common/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DispatcherService } from './dispatcher.service.js';
import { AFTER_OUTAGE_GRACE_MS } from './overdue-calls.js';
import { StatusFollowerService } from './status-follower.service.js';

/**
 * What this instance does with the calls whose leases it took over (their owner died) or found
 * itself owning without working on them: a live call is followed, an attempt whose dialler
 * stopped is resolved as lost once its answer is overdue, anything else gives its lease back.
 */
@Injectable()
export class LeaseTakeoverService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('LeaseTakeover');
  private readonly subscriptions: Subscription[] = [];

  constructor(
    private readonly cluster: ClusterService,
    private readonly dispatcher: DispatcherService,
    private readonly follower: StatusFollowerService,
    private readonly views: CallViewRepository,
    private readonly commands: CallCommandsService,
    private readonly db: Database,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.cluster.reportLoad(() => ({ inFlight: this.dispatcher.inFlightCount, following: this.follower.followingCount }));
    this.subscriptions.push(
      // Errors are caught per call; the lease stays ours and is looked at again at the next beat.
      this.cluster.adopted$.subscribe((ids) => void this.adopt(ids).catch((e: unknown) => this.logger.warn(`taking over: ${(e as Error).message}`))),
      this.cluster.lost$.subscribe((ids) => {
        for (const id of ids) this.follower.unfollow(id);
      }),
    );
  }

  onModuleDestroy(): void {
    for (const s of this.subscriptions) s.unsubscribe();
  }

  private async adopt(ids: string[]): Promise<void> {
    const views = await this.views.findByIds(ids);
    for (const id of ids) {
      const call = views.get(id);
      if (this.dispatcher.isDialling(id)) this.cluster.hold(id);
      else if (call?.status === 'dispatching') await this.resolveIfLost(call);
      else if (call?.providerCallId && ['dispatched', 'ringing', 'connected'].includes(call.status))
        this.follower.follow(id, call.providerCallId, undefined, Date.parse(call.dispatchedAt ?? call.updatedAt));
      else this.cluster.release(id);
    }
  }

  /** An attempt whose dialler stopped: once any live dialler would have recorded its answer, it is lost (never redialled blindly). */
  private async resolveIfLost(call: CallView): Promise<void> {
    const now = this.clock.now().getTime();
    if (now - (this.db.lastOutageEndedAt?.getTime() ?? Number.NEGATIVE_INFINITY) < AFTER_OUTAGE_GRACE_MS) return;
    if (Date.parse(call.updatedAt) > now - this.config.callApiTimeoutMs - 2000) return; // its dialler may still answer
    const metadata = this.dispatcher.metadata;
    try {
      if (!this.dispatcher.hasSent(call.id) && (await this.startedHere(call.id))) {
        // This process claimed the attempt but never dialled it: the claim's commit went through
        // while its answer was lost with the connection (an outage mid-claim). Nothing was placed,
        // so the attempt is given back, due now, instead of being judged lost.
        this.logger.warn(`attempt ${call.attempts} of call ${call.id} was claimed here but never dialled; giving it back`);
        const reason = 'not dialled: the claim was stored while its answer was lost with the database connection';
        await this.commands.execute(call.id, { type: 'RecordDispatchUnavailable', reason, retryAt: this.clock.now().toISOString() }, { metadata });
      } else {
        this.logger.warn(`attempt ${call.attempts} of call ${call.id} lost its dialler; not redialling blindly`);
        const reason = 'the dispatcher stopped before the Call API answered; the call may have been placed';
        await this.commands.execute(call.id, { type: 'RecordLostAttempt', reason }, { metadata });
      }
    } catch (error) {
      if (!(error instanceof ConcurrencyError) && !(error instanceof IllegalTransitionError)) throw error;
    }
    this.cluster.release(call.id);
  }

  /** The call's current attempt was started by this very process (its actor, host and pid). */
  private async startedHere(callId: string): Promise<boolean> {
    const { history } = await this.commands.load(callId);
    const started = history.findLast((e) => e.type === 'CallDispatchStarted');
    return started?.metadata.actor === this.dispatcher.metadata.actor;
  }
}
