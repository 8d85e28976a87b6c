import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { ThrottlerModule } from '@nestjs/throttler';
import { API_ROUTES, ApiModule } from './api.module.js';
import { RateLimitGuard } from './auth/rate-limit.guard.js';
import { AuthGuard } from './common/auth.guard.js';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { DispatchModule } from './dispatch/dispatch.module.js';
import { HealthModule } from './health/health.module.js';
import { MetricsModule } from './metrics/metrics.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      // /api/… comes from ApiModule's routes; /health and /metrics stay at the root.
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        ScheduleModule.forRoot(),
        // RATE_LIMIT_PER_MINUTE=0 turns the limit off (benchmarks measure throughput from one address).
        ThrottlerModule.forRoot({ throttlers: [{ ttl: 60_000, limit: config.rateLimitPerMinute }], skipIf: () => config.rateLimitPerMinute === 0 }),
        ApiModule,
        API_ROUTES,
        DispatchModule,
        HealthModule,
        MetricsModule,
      ],
      // In this order: the rate limit first, so a flood of wrong keys gets 429s like any other flood.
      providers: [
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
    };
  }
}
