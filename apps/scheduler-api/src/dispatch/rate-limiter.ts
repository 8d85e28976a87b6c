/**
 * At most `ratePerSecond` takes in ANY window of `windowMs` (default one second), evenly paced.
 *
 * - The sliding window is the guarantee. A token bucket lets a full bucket plus its refill through
 *   within one second (up to twice the rate), which is exactly what a provider's per-second limit
 *   refuses, e.g. when a backlog drains after an outage. The times of the last `ratePerSecond` takes
 *   are kept in a ring; the next take waits until the oldest of them is a window old.
 * - Pacing (a GCRA with a small burst tolerance) spreads takes evenly across the window instead of
 *   letting a whole window's worth out at once: requests arrive at the provider with some jitter,
 *   and a burst that arrives late would share a provider-side second with the next one.
 *
 * `now`/`sleep` are injectable for unit tests.
 */
export class RateLimiter {
  private readonly taken: Float64Array;
  private next = 0;
  private count = 0;
  private readonly windowMs: number;
  private readonly interval: number;
  private readonly burstMs: number;
  private theoreticalArrival = Number.NEGATIVE_INFINITY;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly ratePerSecond: number,
    options: { windowMs?: number; burstMs?: number; now?: () => number; sleep?: (ms: number) => Promise<void> } = {},
  ) {
    this.taken = new Float64Array(ratePerSecond);
    this.windowMs = options.windowMs ?? 1000;
    this.interval = this.windowMs / ratePerSecond;
    // How far ahead of the even pace takes may run (timers have a 1 ms grain, so at high rates a few
    // ms' worth must go at once). The default, a whole window, is no pacing at all.
    this.burstMs = options.burstMs ?? this.windowMs;
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  async take(): Promise<void> {
    for (;;) {
      const now = this.now();
      const wait = this.waitAt(now);
      if (wait <= 0) {
        this.record(now);
        return;
      }
      await this.sleep(Math.max(1, Math.ceil(wait)));
    }
  }

  /** How many takes (up to `max`) are allowed right now, taking none. */
  available(max: number): number {
    return this.availableAt(this.now(), max);
  }

  /** How long until the next take is allowed (0: now). */
  waitMs(): number {
    return Math.max(0, Math.ceil(this.waitAt(this.now())));
  }

  /** Takes without waiting: for a caller that `ready` told a take is allowed (time only makes more allowed). */
  takeNow(): void {
    this.record(this.now());
  }

  private waitAt(now: number): number {
    // The slot to reuse holds the oldest of the last `rate` takes.
    const oldest = this.taken[this.next];
    const windowWait = this.count < this.ratePerSecond ? 0 : oldest + this.windowMs - now;
    const arrival = Math.max(this.theoreticalArrival, now);
    const paceWait = arrival - this.burstMs - now;
    return Math.max(windowWait, paceWait);
  }

  private availableAt(now: number, max: number): number {
    const arrival = Math.max(this.theoreticalArrival, now);
    const paced = Math.min(max, Math.floor((now + this.burstMs - arrival) / this.interval) + 1);
    // Window: slots never used yet come first in the ring, then the oldest takes, in time order.
    let free = 0;
    while (free < paced && free < this.ratePerSecond) {
      const neverUsed = free < this.ratePerSecond - this.count;
      if (!neverUsed && this.taken[(this.next + free) % this.ratePerSecond] + this.windowMs > now) break;
      free++;
    }
    return free;
  }

  private record(now: number): void {
    this.theoreticalArrival = Math.max(this.theoreticalArrival, now) + this.interval;
    this.taken[this.next] = now;
    this.next = (this.next + 1) % this.ratePerSecond;
    this.count = Math.min(this.count + 1, this.ratePerSecond);
  }
}
