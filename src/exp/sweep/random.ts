import { below, hash32, mulberry32 } from '../../core/prng.js';
import { dimensionId, type Dimension } from './space.js';
import type { Sampler, TrialParams } from './sampler.js';

/**
 * Seeded random search: trial N's value of each dimension comes from its own generator, seeded
 * by (seed, N, dimension), so the trials are the same on every machine, at any --jobs, and do
 * not change when another dimension is added. Never Math.random.
 */
export function randomSampler(dimensions: readonly Dimension[], seed: number): Sampler {
  let next = 0;
  return {
    name: 'random',
    ask: async (): Promise<TrialParams> => {
      const number = next++;
      return { number, overrides: dimensions.map((d) => ({ file: d.file, key: d.key, add: d.add, value: draw(d, mulberry32(hash32(`${seed}:${number}:${dimensionId(d)}`))) })) };
    },
    tell: async () => undefined,
    report: async () => false,
    close: async () => undefined,
  };
}

function draw(d: Dimension, next: () => number): unknown {
  const dist = d.distribution;
  switch (dist.kind) {
    case 'choice':
      return dist.values[below(next, dist.values.length)];
    case 'int':
      return dist.low + below(next, dist.high - dist.low + 1);
    case 'uniform':
      return dist.low + unit(next) * (dist.high - dist.low);
    case 'loguniform':
      return Math.exp(Math.log(dist.low) + unit(next) * (Math.log(dist.high) - Math.log(dist.low)));
  }
}

/** A uniform double in [0, 1) with 53 random bits (two 32-bit draws). */
function unit(next: () => number): number {
  return ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992;
}
