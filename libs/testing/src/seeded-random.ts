/** A small seeded PRNG (sfc32): the same seed generates the same log, for reproducible tests and benchmarks. */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4_294_967_296;
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  int(min: number, max: number): number {
    return Math.floor(this.between(min, max + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** A version-4-shaped UUID drawn from this generator. */
  uuid(): string {
    const a = this.u32();
    const b = this.u32();
    const c = this.u32();
    const d = this.u32();
    // xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx, y in 8..b
    return (
      hex32(a) + '-' + hex16(b >>> 16) + '-4' + hex16(b & 0xfff).slice(1) + '-' + hex16(((c >>> 16) & 0x3fff) | 0x8000) + '-' + hex16(c & 0xffff) + hex32(d)
    );
  }

  hex(length: number): string {
    let s = '';
    while (s.length < length) s += hex32(this.u32());
    return s.slice(0, length);
  }
}

const BYTE_HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex16 = (n: number) => BYTE_HEX[(n >>> 8) & 0xff] + BYTE_HEX[n & 0xff];
const hex32 = (n: number) => hex16(n >>> 16) + hex16(n & 0xffff);

/** Floats in [0, 1), one per call. */
export type RandomSource = () => number;

/** A draw function over SeededRandom; a null seed picks one at random (the Call API stand-in's unpinned runs). */
export function seededRandom(seed: number | null): RandomSource {
  const random = new SeededRandom(seed ?? Math.floor(Math.random() * 2 ** 32));
  return () => random.next();
}
