import { DvctsError, ExitCode } from '../../core/errors.js';
import type { Dimension } from './space.js';
import type { Sampler, TrialParams } from './sampler.js';

/** Grids bigger than this are refused: they are never meant. */
const MAX_GRID = 100_000;

/** Every value of a discrete dimension: its choices, or each integer of int(low, high). */
function gridValues(d: Dimension): readonly unknown[] {
  const dist = d.distribution;
  if (dist.kind === 'choice') return dist.values;
  if (dist.kind === 'int') return Array.from({ length: dist.high - dist.low + 1 }, (_, i) => dist.low + i);
  throw new DvctsError('E_SWEEP_OPTION', `--sampler grid needs discrete values, but ${d.key} is ${dist.kind}(${dist.low}, ${dist.high})`, {
    data: { option: 'sampler' },
    hint: 'use choice(...) or int(...) for a grid, or --sampler random / tpe for continuous ranges',
    exitCode: ExitCode.usage,
  });
}

/** The number of points of the grid (checked against MAX_GRID). */
export function gridSize(dimensions: readonly Dimension[]): number {
  const size = dimensions.reduce((n, d) => n * gridValues(d).length, 1);
  if (size > MAX_GRID) throw new DvctsError('E_SWEEP_OPTION', `the grid has ${size} points (at most ${MAX_GRID})`, { data: { option: 'sampler' }, exitCode: ExitCode.usage });
  return size;
}

/** Every combination, in order: the last `-S` varies fastest (like nested loops). */
export function gridSampler(dimensions: readonly Dimension[]): Sampler {
  const values = dimensions.map(gridValues);
  const size = gridSize(dimensions);
  let next = 0;
  return {
    name: 'grid',
    ask: async (): Promise<TrialParams | undefined> => {
      if (next >= size) return undefined;
      const number = next++;
      let rest = number;
      const picked: unknown[] = new Array(dimensions.length);
      for (let i = dimensions.length - 1; i >= 0; i--) {
        const options = values[i]!;
        picked[i] = options[rest % options.length];
        rest = Math.floor(rest / options.length);
      }
      return { number, overrides: dimensions.map((d, i) => ({ file: d.file, key: d.key, add: d.add, value: picked[i] })) };
    },
    tell: async () => undefined,
    report: async () => false,
    close: async () => undefined,
  };
}
