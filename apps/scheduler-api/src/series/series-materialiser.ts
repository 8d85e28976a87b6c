import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ConcurrencyError, DomainError, nextOccurrence, type CallCommand } from '#domain';
import { SeriesRepository, type EventMetadata } from '#persistence';
import { Clock } from '../common/clock.js';
import { CallCommandsService } from '../commands/call-commands.service.js';
import { PeriodicJob } from '../common/periodic-job.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { occurrenceCallId } from './occurrence-call-id.js';
import { SeriesService } from './series.service.js';

const BATCH = 100;
// Occurrences one series may materialise in one pass (a rule that rings hourly with a long lead).
const PER_SERIES = 50;
const MAX_BACKOFF_MS = 60_000;
const METADATA: EventMetadata = { actor: 'series-materialiser' };

/**
 * Turns each active series' occurrences into ordinary calls SERIES_LEAD ahead of time, through the
 * calls' own command pipeline. Idempotent per occurrence: the call id is derived from the series id
 * and the instant, so two instances or a restart between the two appends never create it twice.
 * A failing pass is logged and retried with backoff (PeriodicJob); it never ends the process.
 */
@Injectable()
export class SeriesMaterialiser implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('SeriesMaterialiser');
  private readonly job = new PeriodicJob(() => this.materialiseDue(), {
    what: 'materialising series occurrences',
    everyMs: this.config.dispatchIntervalMs,
    maxBackoffMs: MAX_BACKOFF_MS,
    logger: this.logger,
  });

  constructor(
    private readonly repo: SeriesRepository,
    private readonly series: SeriesService,
    private readonly calls: CallCommandsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.job.start();
  }

  onModuleDestroy(): void {
    this.job.stop();
  }

  /** One pass: every active series with an occurrence within the lead gets its calls. */
  async materialiseDue(): Promise<number> {
    const horizon = new Date(this.clock.now().getTime() + this.config.seriesLeadMs).toISOString();
    let made = 0;
    for (const id of await this.repo.due(horizon, BATCH)) {
      for (let i = 0; i < PER_SERIES && !this.job.stopped; i++) {
        if (!(await this.materialiseNext(id, horizon))) break;
        made += 1;
      }
    }
    return made;
  }

  /** Materialises the series' next occurrence if it is within the horizon; false when there is none to do. */
  private async materialiseNext(id: string, horizon: string): Promise<boolean> {
    const { state } = await this.series.load(id);
    const at = state.status === 'active' ? nextOccurrence(state) : null;
    if (at === null || at > horizon) return false;
    const callId = occurrenceCallId(id, at);
    const schedule: CallCommand = {
      type: 'ScheduleCall',
      phoneNumber: state.phoneNumber,
      scheduledAt: at,
      timezone: state.timezone,
      callingWindow: state.callingWindow ?? undefined,
    };
    try {
      await this.calls.execute(callId, schedule, { metadata: { ...METADATA, correlationId: `series-${id}` }, isNew: true });
    } catch (error) {
      // The call exists: an earlier pass (or another instance) created it and then stopped short.
      if (error instanceof ConcurrencyError) {
        // fall through to record it on the series
      } else if (error instanceof DomainError) {
        // Too late to place (the service was down past the misfire grace): the series moves on.
        await this.series.run(id, { type: 'SkipOccurrence', at, reason: error.message }, METADATA);
        return true;
      } else {
        throw error;
      }
    }
    await this.record(id, at, callId);
    return true;
  }

  private async record(id: string, at: string, callId: string): Promise<void> {
    try {
      await this.series.run(id, { type: 'RecordOccurrence', at, callId }, METADATA);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
    const { state } = await this.series.load(id);
    if (state.occurrences.some((o) => o.callId === callId)) return;
    // Paused, ended or edited between reading the series and recording the call: the call is not
    // the series' any more, so it must not ring.
    this.logger.log(`series ${id} changed while its occurrence at ${at} was created: cancelling call ${callId}`);
    await this.calls
      .execute(callId, { type: 'CancelCall', reason: `series ${id} changed before the occurrence was recorded` }, { metadata: METADATA })
      .catch(() => undefined);
  }
}
