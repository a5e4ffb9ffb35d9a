import { createHash } from 'node:crypto';

/**
 * The random numbers of one output image. Seeded from (stage seed, source path, content id, copy
 * index) alone, never from processing order, so an output's bytes do not depend on concurrency or
 * on which other images exist. sfc32 (Chris Doty-Humphrey's small fast counter) over a 128-bit
 * state from SHA-256: 32-bit integer arithmetic, identical on every machine.
 */
export class OutputRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number | string, source: string, contentId: string, copy: number) {
    const digest = createHash('sha256').update(JSON.stringify([String(seed), source, contentId, copy])).digest();
    this.a = digest.readUInt32LE(0);
    this.b = digest.readUInt32LE(4);
    this.c = digest.readUInt32LE(8);
    this.d = digest.readUInt32LE(12);
    for (let i = 0; i < 12; i++) this.next(); // mix the state before use
  }

  /** A float in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** A float in [lo, hi]. */
  between([lo, hi]: readonly [number, number]): number {
    return lo + (hi - lo) * this.next();
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** `items` in a random order (Fisher-Yates). */
  shuffled<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }
}
