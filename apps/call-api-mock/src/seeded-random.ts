// Fault injection and `random` outcomes draw from this generator so a test can pin MOCK_SEED and get
// the same sequence of answers on every run. mulberry32: tiny, fast, good enough for shares.

export type RandomSource = () => number;

/** Returns a generator of floats in [0, 1); a null seed picks one at random. */
export function seededRandom(seed: number | null): RandomSource {
  let state = (seed ?? Math.floor(Math.random() * 2 ** 32)) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
