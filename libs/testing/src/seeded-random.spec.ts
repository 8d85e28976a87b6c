import { seededRandom } from './seeded-random.js';

describe('seededRandom', () => {
  it('repeats the same sequence for the same seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const first = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(first);
    expect(Array.from({ length: 5 }, seededRandom(43))).not.toEqual(first);
  });

  it('draws floats in [0, 1) spread over the whole range', () => {
    const random = seededRandom(7);
    const draws = Array.from({ length: 10_000 }, random);
    expect(draws.every((d) => d >= 0 && d < 1)).toBe(true);
    const belowHalf = draws.filter((d) => d < 0.5).length;
    expect(belowHalf).toBeGreaterThan(4700);
    expect(belowHalf).toBeLessThan(5300);
  });
});
