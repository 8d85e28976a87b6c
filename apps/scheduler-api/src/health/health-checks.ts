import type { Provider } from '@nestjs/common';
import type { HealthIndicatorFunction } from '@nestjs/terminus';
import { CallApiHealthIndicator } from './call-api.health.js';
import { DatabaseHealthIndicator } from './database.health.js';
import { EventLogHealthIndicator } from './event-log.health.js';
import { InstancesHealthIndicator } from './instances.health.js';

/** The checks GET /health runs, in the order its answer lists them. */
export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');

// One indicator per dependency (terminus's way); adding a check is a provider here and one line below.
export const HEALTH_INDICATORS: Provider[] = [DatabaseHealthIndicator, EventLogHealthIndicator, CallApiHealthIndicator, InstancesHealthIndicator];

export const HEALTH_CHECKS_PROVIDER: Provider = {
  provide: HEALTH_CHECKS,
  inject: [DatabaseHealthIndicator, EventLogHealthIndicator, CallApiHealthIndicator, InstancesHealthIndicator],
  useFactory: (
    database: DatabaseHealthIndicator,
    log: EventLogHealthIndicator,
    callApi: CallApiHealthIndicator,
    instances: InstancesHealthIndicator,
  ): HealthIndicatorFunction[] => [() => database.isReachable(), () => log.sealLag(), () => callApi.isAvailable(), () => instances.list()],
};
