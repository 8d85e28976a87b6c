import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Database } from '#persistence';
import { Clock } from '../common/clock.js';
import { withTimeout } from './with-timeout.js';

/** /health's `database`: does it answer a ping, and since when it has not. */
@Injectable()
export class DatabaseHealthIndicator {
  // When this process first saw the current database outage; null while the database answers.
  private downSince: Date | null = null;

  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async isReachable() {
    const session = this.indicators.check('database');
    try {
      await withTimeout(this.db.ping(), 'no answer to a ping');
      this.downSince = null;
      return session.up({ engine: this.db.dialect.kind });
    } catch (error) {
      // Other work (a dispatch, a write) may have met the outage before this probe did.
      this.downSince ??= this.db.unavailableSince ?? this.clock.now();
      return session.down({ engine: this.db.dialect.kind, message: (error as Error).message, since: this.downSince.toISOString() });
    }
  }
}
