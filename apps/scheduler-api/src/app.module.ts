import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import type { Logger as PinoInstance } from 'pino';
import { ThrottlerModule } from '@nestjs/throttler';
import { API_ROUTES, ApiModule } from './api.module.js';
import { RateLimitGuard } from './auth/rate-limit.guard.js';
import { AuthGuard } from './common/auth.guard.js';
import { createLogging } from './common/logging.js';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { DispatchModule } from './dispatch/dispatch.module.js';
import { HealthController } from './health/health.controller.js';
import { MetricsModule } from './metrics/metrics.module.js';

@Module({})
export class AppModule {
  /** `logger`: the pino instance main.ts also mounts as the access log (one instance, one output). */
  static forRoot(config: AppConfig, logger: PinoInstance = createLogging(config.logLevel).logger): DynamicModule {
    return {
      module: AppModule,
      // /api/… comes from ApiModule's routes; /health and /metrics stay at the root.
      imports: [
        // useExisting: the HTTP middleware is mounted in main.ts, ahead of the body checks, so their 4xx are logged too.
        LoggerModule.forRoot({ pinoHttp: { logger }, useExisting: true }),
        ConfigModule.forRoot(config),
        DatabaseModule,
        ScheduleModule.forRoot(),
        TerminusModule.forRoot({ logger: false }),
        // RATE_LIMIT_PER_MINUTE=0 turns the limit off (benchmarks measure throughput from one address).
        ThrottlerModule.forRoot({ throttlers: [{ ttl: 60_000, limit: config.rateLimitPerMinute }], skipIf: () => config.rateLimitPerMinute === 0 }),
        ApiModule,
        API_ROUTES,
        DispatchModule,
        MetricsModule,
      ],
      controllers: [HealthController],
      // In this order: the rate limit first, so a flood of wrong keys gets 429s like any other flood.
      providers: [
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
    };
  }
}
