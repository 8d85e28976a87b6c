import { RateLimiter } from './rate-limiter.js';

// A fake clock: sleeping moves time forward at once, so the spec runs in microseconds.
function fakeTime() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    advance: (ms: number) => (now += ms),
    sleeps,
  };
}

async function takeTimes(limiter: RateLimiter, n: number, clock: { now: () => number }): Promise<number[]> {
  const at: number[] = [];
  for (let i = 0; i < n; i++) {
    await limiter.take();
    at.push(clock.now());
  }
  return at;
}

describe('RateLimiter', () => {
  it('lets a full second’s worth of takes through at once', async () => {
    const time = fakeTime();
    const limiter = new RateLimiter(5, time.now, time.sleep);
    const at = await takeTimes(limiter, 5, time);
    expect(at).toEqual([0, 0, 0, 0, 0]);
    expect(time.sleeps).toEqual([]);
  });

  it('makes the take after the burst wait one token’s time', async () => {
    const time = fakeTime();
    const limiter = new RateLimiter(5, time.now, time.sleep);
    await takeTimes(limiter, 5, time);
    await limiter.take();
    expect(time.now()).toBe(200);
  });

  it('holds a steady rate once the bucket is empty', async () => {
    const time = fakeTime();
    const limiter = new RateLimiter(10, time.now, time.sleep);
    const at = await takeTimes(limiter, 10 + 50, time);
    // After the initial burst of 10, one take per 100 ms.
    const gaps = at.slice(10).map((t, i) => t - at[9 + i]);
    expect(gaps.every((g) => g === 100)).toBe(true);
    expect(at[at.length - 1]).toBe(5000);
  });

  it('never allows more than rate + burst takes in any one second', async () => {
    const time = fakeTime();
    const rate = 7;
    const limiter = new RateLimiter(rate, time.now, time.sleep);
    const at = await takeTimes(limiter, 200, time);
    for (const start of at) {
      const inWindow = at.filter((t) => t >= start && t < start + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(2 * rate);
    }
    // Over the whole run, the average is the rate (plus the one initial burst).
    expect(at.length).toBeLessThanOrEqual(rate + Math.ceil((at[at.length - 1] / 1000) * rate) + 1);
  });

  it('refills while idle, but never beyond one second’s worth', async () => {
    const time = fakeTime();
    const limiter = new RateLimiter(4, time.now, time.sleep);
    await takeTimes(limiter, 4, time);
    time.advance(60_000); // a long quiet minute
    const at = await takeTimes(limiter, 5, time);
    expect(at.slice(0, 4)).toEqual([60_000, 60_000, 60_000, 60_000]);
    expect(at[4]).toBe(60_250);
  });

  it('refills partly after a short pause', async () => {
    const time = fakeTime();
    const limiter = new RateLimiter(10, time.now, time.sleep);
    await takeTimes(limiter, 10, time);
    time.advance(300); // three tokens' worth
    const at = await takeTimes(limiter, 4, time);
    expect(at).toEqual([300, 300, 300, 400]);
  });

  it('runs on the real clock by default', async () => {
    const limiter = new RateLimiter(50);
    const started = performance.now();
    for (let i = 0; i < 55; i++) await limiter.take();
    // 50 at once, then 5 more at 20 ms each.
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
  });
});
