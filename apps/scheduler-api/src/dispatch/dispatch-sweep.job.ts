import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DispatcherService } from './dispatcher.service.js';

/**
 * The safety-net sweep every DISPATCH_INTERVAL_MS. The dispatcher's own timer does the on-time
 * work; the dispatcher also refuses to overlap its sweeps.
 *
 * Not `@Interval(ms)`: a decorator's argument is evaluated once, when this file is imported, before
 * the environment is read and validated (AppModule.forRoot(config)), and each process (each test's
 * server) sets its own period. So the job registers its interval with @nestjs/schedule's
 * SchedulerRegistry at start-up, Nest's way for a period known only at run time; the registry
 * lists it beside any decorated job and ScheduleModule clears it at shutdown.
 */
@Injectable()
export class DispatchSweepJob implements OnModuleInit, OnModuleDestroy {
  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly dispatcher: DispatcherService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.registry.addInterval(
      'dispatch-sweep',
      setInterval(() => void this.dispatcher.sweep(), this.config.dispatchIntervalMs),
    );
  }

  onModuleDestroy(): void {
    clearInterval(this.registry.getInterval('dispatch-sweep'));
    this.registry.deleteInterval('dispatch-sweep');
  }
}
