import { Module } from '@nestjs/common';
import { RouterModule } from '@nestjs/core';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { CallsModule } from './calls/calls.module.js';
import { LogModule } from './log/log.module.js';
import { SeriesModule } from './series/series.module.js';

/** The modules whose routes live under /api. */
const API_MODULES = [CallsModule, SeriesModule, LogModule, AuditModule, AuthModule];

@Module({ imports: API_MODULES })
export class ApiModule {}

/**
 * Puts ApiModule and API_MODULES under /api as a module path. Not app.setGlobalPrefix('api',
 * { exclude: ['health', 'metrics'] }): Nest logs each controller's path before it applies prefix
 * exclusions, so start-up said "HealthController {/api/health}", a path that answers 404.
 * /health and /metrics are declared outside these modules and are served (and logged) at the root.
 */
export const API_ROUTES = RouterModule.register([{ path: 'api', module: ApiModule, children: API_MODULES }]);
