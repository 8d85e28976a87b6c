/**
 * Sliding-window limiter: at most `ratePerSecond` takes in ANY window of one second. A token bucket
 * lets a full bucket plus its refill through within one second (up to twice the rate), which is
 * exactly what a provider's per-second limit refuses, e.g. when a backlog drains after an outage.
 * The times of the last `ratePerSecond` takes are kept in a ring; the next take waits until the
 * oldest of them is a second old. `now`/`sleep` are injectable for unit tests.
 */
export class RateLimiter {
  private readonly taken: Float64Array;
  private next = 0;
  private count = 0;

  constructor(
    private readonly ratePerSecond: number,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.taken = new Float64Array(ratePerSecond);
  }

  async take(): Promise<void> {
    for (;;) {
      const now = this.now();
      // The slot to reuse holds the oldest of the last `rate` takes.
      const oldest = this.taken[this.next];
      if (this.count < this.ratePerSecond || now - oldest >= 1000) {
        this.taken[this.next] = now;
        this.next = (this.next + 1) % this.ratePerSecond;
        this.count = Math.min(this.count + 1, this.ratePerSecond);
        return;
      }
      await this.sleep(Math.max(1, Math.ceil(oldest + 1000 - now)));
    }
  }
}
