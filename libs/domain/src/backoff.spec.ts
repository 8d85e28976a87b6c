import { retryDelayMs } from './backoff.js';

describe('retryDelayMs', () => {
  it('waits between half the base and the base after the first attempt', () => {
    expect(retryDelayMs(1, 1_000, 60_000, 0)).toBe(500);
    expect(retryDelayMs(1, 1_000, 60_000, 0.999_999)).toBe(1_000);
  });

  it('doubles the ceiling with each attempt', () => {
    expect(retryDelayMs(2, 1_000, 60_000, 0)).toBe(1_000);
    expect(retryDelayMs(3, 1_000, 60_000, 0)).toBe(2_000);
    expect(retryDelayMs(4, 1_000, 60_000, 0.5)).toBe(6_000);
  });

  it('never exceeds the maximum, however many attempts', () => {
    expect(retryDelayMs(10, 1_000, 60_000, 0.999_999)).toBe(60_000);
    expect(retryDelayMs(10, 1_000, 60_000, 0)).toBe(30_000);
    expect(retryDelayMs(5_000, 1_000, 60_000, 0.5)).toBe(45_000);
  });

  it('treats attempt 0 like the first attempt', () => {
    expect(retryDelayMs(0, 1_000, 60_000, 0)).toBe(500);
  });

  it('spreads delays with jitter: different random draws give different delays', () => {
    expect(retryDelayMs(3, 1_000, 60_000, 0.1)).not.toBe(retryDelayMs(3, 1_000, 60_000, 0.9));
  });
});
