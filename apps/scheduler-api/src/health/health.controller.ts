import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { HealthCheckService, HealthIndicatorService, type HealthCheckResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { CallViewRepository, Database, EventStore } from '#persistence';
import { Public } from '../common/auth.guard.js';
import { Clock } from '../common/clock.js';
import { CallApiCircuit } from '../dispatch/circuit/call-api-circuit.service.js';
import { ClusterService } from '../cluster/cluster.service.js';

// A probe that waits longer than a monitor's own timeout says nothing; a dead server is "down" in 2 s.
const DATABASE_CHECK_TIMEOUT_MS = 2000;

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
  // When this process first saw the current database outage; null while the database answers.
  private databaseDownSince: Date | null = null;

  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(Database) private readonly db: Database,
    @Inject(CallApiCircuit) private readonly circuit: CallApiCircuit,
    @Inject(CallViewRepository) private readonly views: CallViewRepository,
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(ClusterService) private readonly cluster: ClusterService,
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
      return await this.health.check([() => this.database(), () => this.log(), () => this.callApi(), () => this.instances()]);
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

  // Always up (the database check says whether it answers); null figures when it could not be read.
  private async log() {
    const lag = await withTimeout(this.store.sealLag(), DATABASE_CHECK_TIMEOUT_MS, 'no seal lag').catch(() => null);
    return this.indicators.check('log').up({ unsealed: lag?.unsealed ?? null, oldestUnsealedMs: lag?.oldestUnsealedMs ?? null });
  }

  /**
   * The instances sharing this database, from the registry this one reads at each heartbeat: live,
   * or gone (no heartbeat for a few seconds; their leases run out and others take their calls).
   * Always "up": another instance's death is not this one's ill health.
   */
  private instances() {
    const session = this.indicators.check('instances');
    const list = this.cluster.instances().map((i) => ({
      id: i.id,
      host: i.host,
      pid: i.pid,
      version: i.version,
      startedAt: i.startedAt,
      heartbeatAt: i.heartbeatAt,
      inFlight: i.inFlight,
      following: i.following,
      state: i.live ? 'live' : 'gone',
      self: i.self,
    }));
    const failing = this.cluster.heartbeatFailingSince;
    return session.up({ live: list.filter((i) => i.state === 'live').length, list, ...(failing ? { heartbeatFailingSince: failing.toISOString() } : {}) });
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
