import fc from 'fast-check';
import { RateLimiter } from './rate-limiter.js';

// A fake clock: sleeping moves time forward at once, so the spec runs in microseconds.
function fakeTime() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: (ms: number) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
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

function maxInAnySecond(at: number[]): number {
  return Math.max(...at.map((start) => at.filter((t) => t >= start && t < start + 1000).length));
}

describe('RateLimiter', () => {
  it('lets a full second’s worth of takes through at once', async () => {
    const time = fakeTime();
    const limiter = new RateLimiter(5, { now: time.now, sleep: time.sleep });
    expect(await takeTimes(limiter, 5, time)).toEqual([0, 0, 0, 0, 0]);
    expect(time.sleeps).toEqual([]);
  });

  it('makes the take after a burst wait until the burst is a second old', async () => {
    const time = fakeTime();
    const limiter = new RateLimiter(5, { now: time.now, sleep: time.sleep });
    await takeTimes(limiter, 5, time);
    await limiter.take();
    expect(time.now()).toBe(1000);
  });

  it('never allows more than the rate in any one second, also right after a burst (the provider’s limit)', async () => {
    const time = fakeTime();
    const rate = 7;
    const limiter = new RateLimiter(rate, { now: time.now, sleep: time.sleep });
    const at = await takeTimes(limiter, 200, time);
    expect(maxInAnySecond(at)).toBe(rate);
  });

  it('holds the limit in any window whatever the pauses between takes (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 20 }), fc.array(fc.integer({ min: 0, max: 700 }), { minLength: 1, maxLength: 80 }), async (rate, pauses) => {
        const time = fakeTime();
        const limiter = new RateLimiter(rate, { now: time.now, sleep: time.sleep });
        const at: number[] = [];
        for (const pause of pauses) {
          time.advance(pause);
          await limiter.take();
          at.push(time.now());
        }
        expect(maxInAnySecond(at)).toBeLessThanOrEqual(rate);
      }),
      { numRuns: 200 },
    );
  });

  it('is available again after an idle second, a full second’s worth', async () => {
    const time = fakeTime();
    const limiter = new RateLimiter(4, { now: time.now, sleep: time.sleep });
    await takeTimes(limiter, 4, time);
    time.advance(60_000); // a long quiet minute
    const at = await takeTimes(limiter, 5, time);
    expect(at.slice(0, 4)).toEqual([60_000, 60_000, 60_000, 60_000]);
    expect(at[4]).toBe(61_000);
  });

  it('keeps a longer window when asked (a margin for the time a request takes to arrive)', async () => {
    const time = fakeTime();
    const limiter = new RateLimiter(2, { windowMs: 1025, now: time.now, sleep: time.sleep });
    expect(await takeTimes(limiter, 3, time)).toEqual([0, 0, 1025]);
  });

  it('paces takes evenly when given a small burst tolerance, still within the window limit', async () => {
    const time = fakeTime();
    const limiter = new RateLimiter(10, { burstMs: 0, now: time.now, sleep: time.sleep });
    const at = await takeTimes(limiter, 25, time);
    expect(at.slice(0, 5)).toEqual([0, 100, 200, 300, 400]);
    expect(maxInAnySecond(at)).toBe(10);
  });

  it('runs on the real clock by default', async () => {
    const limiter = new RateLimiter(50);
    const started = performance.now();
    for (let i = 0; i < 51; i++) await limiter.take();
    // 50 at once, then the 51st a second after the first.
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
  });

  it('says how many takes are allowed now without taking them, and takeNow counts like take', () => {
    const time = fakeTime();
    const limiter = new RateLimiter(5, { now: time.now, sleep: time.sleep });
    expect(limiter.available(10)).toBe(5);
    expect(limiter.available(3)).toBe(3);
    for (let i = 0; i < 4; i++) limiter.takeNow();
    expect(limiter.available(10)).toBe(1);
    limiter.takeNow();
    expect(limiter.available(10)).toBe(0);
    expect(limiter.waitMs()).toBe(1000);
    time.advance(1000);
    expect(limiter.available(10)).toBe(5);
  });

  it('never lets available-then-takeNow exceed the rate in any window (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 60 }), (rate, gaps) => {
        const time = fakeTime();
        const limiter = new RateLimiter(rate, { now: time.now, sleep: time.sleep, burstMs: 20 });
        const at: number[] = [];
        for (const gap of gaps) {
          time.advance(gap);
          const n = limiter.available(rate);
          for (let i = 0; i < n; i++) {
            limiter.takeNow();
            at.push(time.now());
          }
        }
        return at.length === 0 || maxInAnySecond(at) <= rate;
      }),
    );
  });
});
