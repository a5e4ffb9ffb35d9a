import { hash32, mulberry32, shuffle } from '../../core/prng.js';

/**
 * How many of `n` units each split gets: floor(n × ratio), then the units left over go one each
 * to the splits with the largest remainders (ties: the split listed first). Sums to exactly n.
 */
export function largestRemainder(n: number, ratios: readonly number[]): number[] {
  const exact = ratios.map((r) => n * r);
  const counts = exact.map(Math.floor);
  let left = n - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, rest: x - Math.floor(x) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    counts[i] = (counts[i] as number) + 1;
    left--;
  }
  return counts;
}

/**
 * Assigns units (rows, or groups of rows) to splits, stratum by stratum: the units of a stratum
 * are shuffled with a generator seeded from (seed, stratum name) and cut into consecutive runs of
 * the largest-remainder counts. Unit order within the input never depends on timing, so the same
 * input and seed always give the same assignment.
 */
export function assignUnits(
  unitStratum: Uint32Array,
  strata: readonly string[],
  ratios: readonly number[],
  seed: string,
): { splitOfUnit: Uint8Array; countsByStratum: number[][] } {
  const sizes = new Array<number>(strata.length).fill(0);
  for (const s of unitStratum) sizes[s] = (sizes[s] as number) + 1;
  const members = sizes.map((n) => new Uint32Array(n));
  const filled = new Array<number>(strata.length).fill(0);
  unitStratum.forEach((s, unit) => {
    (members[s] as Uint32Array)[filled[s] as number] = unit;
    filled[s] = (filled[s] as number) + 1;
  });

  const splitOfUnit = new Uint8Array(unitStratum.length);
  const countsByStratum = strata.map((name, s) => {
    const units = members[s] as Uint32Array;
    shuffle(units, mulberry32(hash32(`${seed}\u0000${name}`)));
    const counts = largestRemainder(units.length, ratios);
    let at = 0;
    counts.forEach((count, split) => {
      for (let k = 0; k < count; k++) splitOfUnit[units[at++] as number] = split;
    });
    return counts;
  });
  return { splitOfUnit, countsByStratum };
}
