import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { HealthCheckService, HealthIndicatorService, type HealthCheckResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { CallViewRepository, Database } from '#persistence';
import { Public } from '../common/auth.guard.js';
import { Clock } from '../common/clock.js';
import { CallApiCircuit } from '../dispatch/circuit/call-api-circuit.service.js';

// A probe that waits longer than a monitor's own timeout says nothing; a dead server is "down" in 2 s.
const DATABASE_CHECK_TIMEOUT_MS = 2000;

// Terminus's result: status, then each dependency under info (up) or error (down), all of them under details.
const DEPENDENCIES = { type: 'object', additionalProperties: { type: 'object', additionalProperties: true } } as const;
const HEALTH_SCHEMA = {
  type: 'object',
  required: ['status', 'details'],
  properties: { status: { type: 'string', enum: ['ok', 'degraded', 'error'] }, info: DEPENDENCIES, error: DEPENDENCIES, details: DEPENDENCIES },
};
const HEALTH_OK = {
  status: 'ok',
  info: { database: { status: 'up', engine: 'sqlite' }, callApi: { status: 'up' } },
  error: {},
  details: { database: { status: 'up', engine: 'sqlite' }, callApi: { status: 'up' } },
};
const DATABASE_DOWN = { status: 'down', engine: 'postgres', message: 'connect ECONNREFUSED 127.0.0.1:5432', since: '2026-12-01T21:14:05.000Z' };
const HEALTH_DOWN = {
  status: 'error',
  info: { callApi: { status: 'up' } },
  error: { database: DATABASE_DOWN },
  details: { database: DATABASE_DOWN, callApi: { status: 'up' } },
};

// Open and unthrottled: load balancers and monitors poll it, hold no key, and it reveals no data.
@Public()
@SkipThrottle()
@ApiTags('health')
@Controller('health')
export class HealthController {
  // When this process first saw the current database outage; null while the database answers.
  private databaseDownSince: Date | null = null;

  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(Database) private readonly db: Database,
    @Inject(CallApiCircuit) private readonly circuit: CallApiCircuit,
    @Inject(CallViewRepository) private readonly views: CallViewRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({
    operationId: 'getHealth',
    summary:
      'Liveness and dependencies: `database` (503 when down) and `callApi` (reported down with since/waiting; the service stays live: 200, status "degraded")',
  })
  @ApiOkResponse({ description: 'ok, or degraded while the Call API is unavailable', schema: HEALTH_SCHEMA, example: HEALTH_OK })
  @ApiServiceUnavailableResponse({ description: 'the database is unreachable', schema: HEALTH_SCHEMA, example: HEALTH_DOWN })
  async check(@Res({ passthrough: true }) res: FastifyReply): Promise<HealthCheckResult> {
    try {
      return await this.health.check([() => this.database(), () => this.callApi()]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const result = error.getResponse() as HealthCheckResult;
      // A Call API outage is something this service handles (calls wait); it stays live and ready.
      const onlyCallApi = Object.keys(result.error ?? {}).every((key) => key === 'callApi');
      res.status(onlyCallApi ? 200 : 503);
      return onlyCallApi ? { ...result, status: 'degraded' as HealthCheckResult['status'] } : result;
    }
  }

  private async database() {
    const session = this.indicators.check('database');
    try {
      await withTimeout(this.db.ping(), DATABASE_CHECK_TIMEOUT_MS, 'no answer to a ping');
      this.databaseDownSince = null;
      return session.up({ engine: this.db.dialect.kind });
    } catch (error) {
      // Other work (a dispatch, a write) may have met the outage before this probe did.
      this.databaseDownSince ??= this.db.unavailableSince ?? this.clock.now();
      return session.down({ engine: this.db.dialect.kind, message: (error as Error).message, since: this.databaseDownSince.toISOString() });
    }
  }

  private async callApi() {
    const session = this.indicators.check('callApi');
    const status = this.circuit.status();
    if (status.up) return session.up();
    // How many calls wait for it; unknown if the database is down too.
    const waiting = await withTimeout(this.views.countDue(this.clock.now()), DATABASE_CHECK_TIMEOUT_MS, 'no count').catch(() => null);
    return session.down({ since: status.since, waiting, reason: status.reason, circuit: status.state });
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
