import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { HealthCheckService, type HealthCheckResult, type HealthIndicatorFunction } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/auth.guard.js';
import { HEALTH_CHECKS } from './health-checks.js';

// Terminus's result: status, then each dependency under info (up) or error (down), all of them under details.
const DEPENDENCIES = { type: 'object', additionalProperties: { type: 'object', additionalProperties: true } } as const;
const HEALTH_SCHEMA = {
  type: 'object',
  required: ['status', 'details'],
  properties: { status: { type: 'string', enum: ['ok', 'degraded', 'error'] }, info: DEPENDENCIES, error: DEPENDENCIES, details: DEPENDENCIES },
};
const LOG_OK = { status: 'up', unsealed: 0, oldestUnsealedMs: null };
const INSTANCES_UP = {
  status: 'up',
  live: 1,
  list: [
    {
      id: '6f1c0c1e-2d0a-4c57-9a51-0f2f3b1f8e42',
      host: 'scheduler-1',
      pid: 4121,
      version: '0.1.0',
      startedAt: '2026-12-01T21:10:00.000Z',
      heartbeatAt: '2026-12-01T21:14:04.812Z',
      inFlight: 3,
      following: 41,
      state: 'live',
      self: true,
    },
  ],
};
const HEALTH_OK = {
  status: 'ok',
  info: { database: { status: 'up', engine: 'sqlite' }, log: LOG_OK, callApi: { status: 'up' }, instances: INSTANCES_UP },
  error: {},
  details: { database: { status: 'up', engine: 'sqlite' }, log: LOG_OK, callApi: { status: 'up' }, instances: INSTANCES_UP },
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
  constructor(
    private readonly health: HealthCheckService,
    @Inject(HEALTH_CHECKS) private readonly checks: HealthIndicatorFunction[],
  ) {}

  @Get()
  @ApiOperation({
    operationId: 'getHealth',
    summary:
      'Liveness and dependencies: `database` (503 when down), `log` (the seal lag on PostgreSQL: events committed but not yet placed in the log, and the oldest one\'s age in ms) and `callApi` (reported down with since/waiting; the service stays live: 200, status "degraded")',
  })
  @ApiOkResponse({ description: 'ok, or degraded while the Call API is unavailable', schema: HEALTH_SCHEMA, example: HEALTH_OK })
  @ApiServiceUnavailableResponse({ description: 'the database is unreachable', schema: HEALTH_SCHEMA, example: HEALTH_DOWN })
  async check(@Res({ passthrough: true }) res: FastifyReply): Promise<HealthCheckResult> {
    try {
      return await this.health.check(this.checks);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const result = error.getResponse() as HealthCheckResult;
      // A Call API outage is something this service handles (calls wait); it stays live and ready.
      const onlyCallApi = Object.keys(result.error ?? {}).every((key) => key === 'callApi');
      res.status(onlyCallApi ? 200 : 503);
      return onlyCallApi ? { ...result, status: 'degraded' as HealthCheckResult['status'] } : result;
    }
  }
}
