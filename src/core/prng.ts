/**
 * Seeded randomness that gives the same numbers on every machine and Node version: 32-bit
 * integer arithmetic only (Math.imul), never Math.random.
 */

/** FNV-1a over the UTF-16 code units of `text`: turns a seed and a name into a 32-bit state. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: a small, well-mixed 32-bit generator. Returns integers in [0, 2^32). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** An unbiased integer in [0, n) (rejection sampling, so every index is equally likely). */
export function below(next: () => number, n: number): number {
  const limit = 0x100000000 - (0x100000000 % n);
  for (;;) {
    const x = next();
    if (x < limit) return x % n;
  }
}

/** Fisher–Yates shuffle of `items` in place. */
export function shuffle(items: Uint32Array, next: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = below(next, i + 1);
    const tmp = items[i] as number;
    items[i] = items[j] as number;
    items[j] = tmp;
  }
}
