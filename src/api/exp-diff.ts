import type { ProjectOptions } from './builtins.js';
import { metricsDiff, type MetricsDiffResult } from './metrics-diff.js';
import { paramsDiff, type ParamsDiffResult } from './params-diff.js';

export interface ExpDiffResult {
  readonly params: ParamsDiffResult;
  readonly metrics: MetricsDiffResult;
}

/**
 * `dvcts exp diff [A] [B]`: the params and metrics that differ between two experiments (or any
 * revisions: an experiment name is a revision; default HEAD and the workspace).
 */
export async function expDiff(opts: ProjectOptions & { a?: string; b?: string; all?: boolean } = {}): Promise<ExpDiffResult> {
  return { params: await paramsDiff(opts), metrics: await metricsDiff(opts) };
}
