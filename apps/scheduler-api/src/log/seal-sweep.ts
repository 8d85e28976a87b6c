import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Database, EventStore } from '#persistence';
import { PeriodicJob } from '../common/periodic-job.js';

const SWEEP_MS = 1000;
const MAX_BACKOFF_MS = 30_000;

/**
 * PostgreSQL: every append seals its own rows right after its commit, but an instance can die in
 * between. This sweep runs a sealing pass every second, so such rows join the log (and wake the
 * live feeds) within a second even when nobody appends. A failing pass (database down) is logged,
 * backs off and retries (PeriodicJob); it never ends the process.
 */
@Injectable()
export class SealSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  // Not logged per pass: most rows it seals belong to appends that are sealing them anyway.
  private readonly job = new PeriodicJob(() => this.store.seal(), {
    what: 'sealing the log',
    everyMs: SWEEP_MS,
    maxBackoffMs: MAX_BACKOFF_MS,
    logger: new Logger(SealSweep.name),
  });

  constructor(
    private readonly store: EventStore,
    private readonly db: Database,
  ) {}

  onApplicationBootstrap(): void {
    if (this.db.dialect.placesAtInsert) return;
    this.job.start();
  }

  onApplicationShutdown(): void {
    this.job.stop();
  }
}
