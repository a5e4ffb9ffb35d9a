import { parse } from 'yaml';
import { DvctsError, ExitCode } from '../../core/errors.js';
import { parseOverride, parseSetArgument, type ParamOverride } from '../params-override.js';

/** Where a sweep draws one param from. */
export type Distribution =
  | { readonly kind: 'choice'; readonly values: readonly unknown[] }
  | { readonly kind: 'uniform'; readonly low: number; readonly high: number }
  | { readonly kind: 'loguniform'; readonly low: number; readonly high: number }
  | { readonly kind: 'int'; readonly low: number; readonly high: number };

/** One searched param: `-S [FILE:]KEY=choice(...)` and friends. */
export interface Dimension {
  readonly file: string;
  readonly key: string;
  readonly add: boolean;
  readonly distribution: Distribution;
}

export interface SearchSpace {
  readonly dimensions: readonly Dimension[];
  /** Plain `-S KEY=VALUE`: the same in every trial. */
  readonly fixed: readonly ParamOverride[];
}

const SPACE_RE = /^\s*(choice|uniform|loguniform|int)\s*\((.*)\)\s*$/s;

/** Splits sweep `-S` arguments into searched dimensions and fixed values. */
export function parseSearchSpace(args: readonly string[]): SearchSpace {
  const dimensions: Dimension[] = [];
  const fixed: ParamOverride[] = [];
  for (const arg of args) {
    const { file, key, add, valueText } = parseSetArgument(arg);
    const match = SPACE_RE.exec(valueText);
    if (match === null) {
      fixed.push(parseOverride(arg));
      continue;
    }
    if (dimensions.some((d) => d.file === file && d.key === key)) throw invalidSpace(arg, `${key} is searched twice`);
    dimensions.push({ file, key, add, distribution: distribution(arg, match[1] as Distribution['kind'], match[2]!) });
  }
  return { dimensions, fixed };
}

function distribution(arg: string, kind: Distribution['kind'], inside: string): Distribution {
  let values: unknown;
  try {
    values = parse(`[${inside}]`);
  } catch (e) {
    throw invalidSpace(arg, `its arguments are not a list of values: ${(e as Error).message.split('\n')[0]}`);
  }
  const list = values as unknown[];
  if (kind === 'choice') {
    if (list.length === 0) throw invalidSpace(arg, 'choice() needs at least one value');
    return { kind, values: list };
  }
  if (list.length !== 2 || !list.every((v) => typeof v === 'number' && Number.isFinite(v))) throw invalidSpace(arg, `${kind}() needs two numbers: ${kind}(low, high)`);
  const [low, high] = list as [number, number];
  if (!(low < high)) throw invalidSpace(arg, `low must be less than high (got ${low}, ${high})`);
  if (kind === 'loguniform' && low <= 0) throw invalidSpace(arg, 'loguniform() needs 0 < low');
  if (kind === 'int' && !(Number.isInteger(low) && Number.isInteger(high))) throw invalidSpace(arg, 'int() needs two integers');
  return { kind, low, high };
}

/** The id of a dimension (unique in a sweep): `FILE:KEY`. */
export function dimensionId(d: Pick<Dimension, 'file' | 'key'>): string {
  return `${d.file}:${d.key}`;
}

/** A value every dimension may take (its first choice, its low end): to check keys before a sweep starts. */
export function sampleOverrides(space: SearchSpace): ParamOverride[] {
  return [...space.fixed, ...space.dimensions.map((d) => ({ file: d.file, key: d.key, add: d.add, value: d.distribution.kind === 'choice' ? d.distribution.values[0] : d.distribution.low }))];
}

export function invalidSpace(arg: string, reason: string): DvctsError {
  return new DvctsError('E_SWEEP_SPACE', `-S ${arg}: ${reason}`, { data: { arg, reason }, exitCode: ExitCode.usage });
}
