import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Database, EventStore } from '#persistence';

const SWEEP_MS = 1000;
const MAX_BACKOFF_MS = 30_000;

/**
 * PostgreSQL: every append seals its own rows right after its commit, but an instance can die in
 * between. This sweep runs a sealing pass every second, so such rows join the log (and wake the
 * live feeds) within a second even when nobody appends. A failing pass (database down) is logged
 * once, backs off and retries; it never ends the process.
 */
@Injectable()
export class SealSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SealSweep.name);
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private delay = SWEEP_MS;
  private failingSince: number | null = null;

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(Database) private readonly db: Database,
  ) {}

  onApplicationBootstrap(): void {
    if (this.db.dialect.placesAtInsert) return;
    this.schedule(0);
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.sweep(), ms);
    this.timer.unref();
  }

  private async sweep(): Promise<void> {
    try {
      // Not logged per pass: most rows it seals belong to appends that are sealing them anyway.
      await this.store.seal();
      if (this.failingSince !== null) this.logger.log(`sealing again after ${Math.round(performance.now() - this.failingSince)} ms`);
      this.failingSince = null;
      this.delay = SWEEP_MS;
    } catch (error) {
      if (this.failingSince === null) this.logger.warn(`sealing the log: ${(error as Error).message}; retrying with backoff`);
      this.failingSince ??= performance.now();
      this.delay = Math.min(this.delay * 2, MAX_BACKOFF_MS);
    }
    this.schedule(this.delay);
  }
}
