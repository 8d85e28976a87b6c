import type { Logger } from '@nestjs/common';

export interface PeriodicJobOptions {
  /** What one run does, for the log lines: "sealing the log". */
  what: string;
  everyMs: number;
  /** The longest wait between failing runs (the wait doubles from `everyMs` after each failure). */
  maxBackoffMs: number;
  logger: Logger;
}

/**
 * Background work that runs every `everyMs`, each run armed when the previous one ends, so runs
 * never overlap (a slow database delays the next run instead of stacking them). A failing run never
 * ends the process: it is logged with how many failed in a row, the wait doubles up to
 * `maxBackoffMs`, and it is retried; the first run that works again says so. The timer is unref'd:
 * it never holds the process open on its own.
 *
 * Not @nestjs/schedule's `@Interval`: the period and the backoff change at run time, and a fixed
 * interval would start a run while a slow one is still going.
 */
export class PeriodicJob {
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  private failures = 0;

  constructor(
    private readonly work: () => Promise<unknown>,
    private readonly options: PeriodicJobOptions,
  ) {}

  /** Set by stop(): long runs check it between their steps. */
  get stopped(): boolean {
    return this.stopping;
  }

  start(firstInMs = 0): void {
    this.stopping = false;
    this.arm(firstInMs);
  }

  stop(): void {
    this.stopping = true;
    clearTimeout(this.timer);
  }

  /** One run, then the next one armed. Never rejects. */
  async run(): Promise<void> {
    const { what, everyMs, maxBackoffMs, logger } = this.options;
    let delay = everyMs;
    try {
      await this.work();
      if (this.failures > 0) logger.log(`${what}: working again after ${this.failures} failed runs`);
      this.failures = 0;
    } catch (error) {
      this.failures += 1;
      delay = Math.min(everyMs * 2 ** this.failures, maxBackoffMs);
      logger.error(`${what} failed (${this.failures} in a row), retrying in ${delay} ms: ${(error as Error).message}`);
    }
    this.arm(delay);
  }

  private arm(ms: number): void {
    if (this.stopping) return;
    // run() catches its own failures; the catch here is the last guard so a timer can never end the process.
    this.timer = setTimeout(() => void this.run().catch(() => undefined), ms);
    this.timer.unref();
  }
}
