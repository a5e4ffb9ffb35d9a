import type { ParamOverride } from '../params-override.js';

/** The params of one trial, as overrides of the params files. */
export interface TrialParams {
  /** 0-based, in the order trials were asked for. */
  readonly number: number;
  readonly overrides: readonly ParamOverride[];
}

/** How a trial ended, as the sampler learns it. */
export type TrialResult = { readonly state: 'complete'; readonly value: number } | { readonly state: 'pruned' } | { readonly state: 'failed' };

/**
 * Decides the params of each trial. grid and random decide from the trial number alone (so any
 * --jobs gives the same trials); tpe learns from the results told so far.
 */
export interface Sampler {
  readonly name: 'grid' | 'random' | 'tpe';
  /** The next trial, or undefined when the sampler has no more (a grid is done). */
  ask(): Promise<TrialParams | undefined>;
  tell(number: number, result: TrialResult): Promise<void>;
  /** An intermediate value (e.g. one epoch's val loss) of a running trial: true means prune it. */
  report(number: number, step: number, value: number): Promise<boolean>;
  close(): Promise<void>;
}
