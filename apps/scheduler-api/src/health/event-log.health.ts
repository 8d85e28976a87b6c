import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { EventStore } from '#persistence';
import { withTimeout } from './with-timeout.js';

/**
 * /health's `log`: the seal lag on PostgreSQL (events committed but not yet placed in the log, and
 * the oldest one's age). Always up (`database` says whether the database answers); null figures
 * when they could not be read.
 */
@Injectable()
export class EventLogHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly store: EventStore,
  ) {}

  async sealLag() {
    const lag = await withTimeout(this.store.sealLag(), 'no seal lag').catch(() => null);
    return this.indicators.check('log').up({ unsealed: lag?.unsealed ?? null, oldestUnsealedMs: lag?.oldestUnsealedMs ?? null });
  }
}
