import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DispatcherService } from './dispatcher.service.js';

/**
 * The safety-net sweep every DISPATCH_INTERVAL_MS (an interval registered at start-up because its
 * period is configuration). The dispatcher's own timer does the on-time work; the dispatcher also
 * refuses to overlap its sweeps.
 */
@Injectable()
export class DispatchSweepJob implements OnModuleInit, OnModuleDestroy {
  constructor(
    @Inject(SchedulerRegistry) private readonly registry: SchedulerRegistry,
    @Inject(DispatcherService) private readonly dispatcher: DispatcherService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.registry.addInterval('dispatch-sweep', setInterval(() => void this.dispatcher.sweep(), this.config.dispatchIntervalMs));
  }

  onModuleDestroy(): void {
    clearInterval(this.registry.getInterval('dispatch-sweep'));
    this.registry.deleteInterval('dispatch-sweep');
  }
}
