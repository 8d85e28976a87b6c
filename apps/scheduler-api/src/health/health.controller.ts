import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Database } from '../../../../libs/persistence/src/index.js';
import { Public } from '../common/auth.guard.js';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
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
      await this.db.read((m) => m.query('SELECT 1'));
      return session.up({ engine: this.db.dialect.kind });
    } catch (error) {
      return session.down({ message: (error as Error).message });
    }
  }
}
