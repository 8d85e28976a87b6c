import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Database } from '../../../../libs/persistence/src/index.js';

// A probe that waits longer than a monitor's own timeout says nothing; a dead server is "down" in 2 s.
const DATABASE_CHECK_TIMEOUT_MS = 2000;

@ApiTags('health')
@Controller('health')
export class HealthController {
  // When this process first saw the current database outage; null while the database answers.
  private databaseDownSince: Date | null = null;

  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(Database) private readonly db: Database,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.database()]);
  }

  private async database() {
    const session = this.indicators.check('database');
    try {
      await withTimeout(this.db.read((m) => m.query('SELECT 1')), DATABASE_CHECK_TIMEOUT_MS, 'no answer to SELECT 1');
      this.databaseDownSince = null;
      return session.up({ engine: this.db.dialect.kind });
    } catch (error) {
      // Other work (a dispatch, a write) may have met the outage before this probe did.
      this.databaseDownSince ??= this.db.unavailableSince ?? new Date();
      return session.down({ engine: this.db.dialect.kind, message: (error as Error).message, since: this.databaseDownSince.toISOString() });
    }
  }
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
  });
  // race() handles a late rejection of `work` too, so an abandoned probe cannot go unhandled.
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
