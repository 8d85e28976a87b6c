import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import type { Logger as PinoInstance } from 'pino';
import { API_ROUTES, ApiModule } from './api.module.js';
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
        ApiModule,
        API_ROUTES,
        DispatchModule,
        MetricsModule,
      ],
      controllers: [HealthController],
      providers: [{ provide: APP_GUARD, useClass: AuthGuard }],
    };
  }
}
