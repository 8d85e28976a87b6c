import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DispatchModule } from '../dispatch/dispatch.module.js';
import { HEALTH_CHECKS_PROVIDER, HEALTH_INDICATORS } from './health-checks.js';
import { HealthController } from './health.controller.js';

/** GET /health: terminus, one indicator per dependency (health-checks.ts). */
@Module({
  imports: [TerminusModule.forRoot({ logger: false }), DispatchModule],
  controllers: [HealthController],
  providers: [...HEALTH_INDICATORS, HEALTH_CHECKS_PROVIDER],
})
export class HealthModule {}
